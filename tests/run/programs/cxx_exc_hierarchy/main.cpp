/* main.cpp - handlers for base classes, in several orders. */
#include "errors.h"

static void by_app(int which)
{
	try {
		raise(which);
	} catch (const ParseError &e) {
		printf("  ParseError& %s line %d kind %s\n", e.what(), e.line, e.kind());
	} catch (const AppError &e) {
		printf("  AppError& %s code %d kind %s\n", e.what(), e.code, e.kind());
	}
}

static void by_std(int which)
{
	try {
		by_app(which);
		raise(which);
	} catch (const std::exception &e) {
		printf("  std::exception& %s\n", e.what());
	}
}

int main()
{
	for (int which = 0; which < 6; which++) {
		printf("raise %d\n", which);
		by_std(which);
	}
	try {
		raise(4);
	} catch (Retryable &r) {
		printf("retryable, %d tries\n", r.tries);
	}
	try {
		raise(3);
	} catch (AppError *p) {
		printf("wrong: caught a pointer\n");
	} catch (FatalParse &e) {
		printf("exact %s\n", e.what());
	}
	try {
		raise(1);
	} catch (AppError e) { /* sliced copy */
		printf("sliced %s code %d\n", e.what(), e.code);
	}
	return 0;
}
