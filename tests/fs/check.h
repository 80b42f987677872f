/*
 * check.h - the fs unit tests' check: CHECK(cond, fmt, ...) prints the
 * line and the message when cond is false and counts it in `failures`;
 * main returns 1 when failures is not 0. Test code only.
 */
#ifndef LINKFS_TESTS_CHECK_H
#define LINKFS_TESTS_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL line %d: ", __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

#endif
