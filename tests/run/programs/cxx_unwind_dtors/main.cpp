/* main.cpp - catches each exception and shows the unwinding trail. */
#include "guard.h"

int main()
{
	for (int fail = 0; fail <= 4; fail++) {
		printf("fail=%d\n", fail);
		try {
			Guard top("main");
			level1(fail);
			printf("  no throw\n");
		} catch (int v) {
			printf("  caught %d\n", v);
		}
	}
	for (int fail_at = 0; fail_at <= 3; fail_at++) {
		printf("machine fail_at=%d\n", fail_at);
		try {
			Machine m(fail_at);
			printf("  machine built\n");
		} catch (int v) {
			printf("  caught %d\n", v);
		}
	}
	for (int fail_at = 2; fail_at <= 5; fail_at += 3) {
		printf("array fail_at=%d\n", fail_at);
		try {
			build_array(fail_at);
		} catch (int v) {
			printf("  caught %d\n", v);
		}
	}
	for (int fail = 0; fail <= 1; fail++) {
		printf("tracked fail=%d\n", fail);
		try {
			Tracked *t = new Tracked(fail);
			delete t;
		} catch (int v) {
			printf("  caught %d\n", v);
		}
	}
	return 0;
}
