/* TargetConditionals.h - the few TARGET_OS_* macros that real programs test
 * (sqlite3.c includes this header on __APPLE__). Part of tests/real: Mach-O
 * builds use musl's headers, which have no Darwin headers. */
#ifndef REAL_TARGET_CONDITIONALS_H
#define REAL_TARGET_CONDITIONALS_H
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_TV 0
#define TARGET_OS_WATCH 0
#define TARGET_OS_EMBEDDED 0
#define TARGET_OS_SIMULATOR 0
#define TARGET_IPHONE_SIMULATOR 0
#endif
