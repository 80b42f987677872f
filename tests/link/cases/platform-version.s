## Test: -platform_version for the platforms ld64 knows, by name
## (ld64's spellings: ios, iOS, ios-simulator, mac-catalyst, ...) or by
## number. LC_BUILD_VERSION carries it; a TBD is read for the target
## ARCH-PLATFORM ("arm64-ios": _puts here, not the macOS-only name);
## chained fixups are the default from the versions lld uses (iOS 13.4,
## tvOS 14, watchOS 7, macOS 13, simulators later). ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=arm64-apple-ios16.0 %t/a.s -o %t/a.o
# RUN: %lfld -arch arm64 -platform_version ios 16.0 16.0 -o %t/ios.out %t/a.o %t/sys.tbd
# RUN: %lld -arch arm64 -platform_version ios 16.0 16.0 -o %t/lld-ios.out %t/a.o %t/sys.tbd
# RUN: llvm-objdump --macho --private-headers %t/ios.out | FileCheck %s --check-prefix=IOS
# RUN: llvm-objdump --macho --private-headers %t/lld-ios.out | FileCheck %s --check-prefix=IOS
# RUN: %lfld -arch arm64 -platform_version iOS 12.0 16.0 -o %t/old.out %t/a.o %t/sys.tbd
# RUN: llvm-objdump --macho --private-headers %t/old.out | FileCheck %s --check-prefix=OLD
# RUN: %lfld -arch arm64 -platform_version 7 16.0 16.0 -o %t/sim.out %t/a.o %t/sys.tbd
# RUN: llvm-objdump --macho --private-headers %t/sim.out | FileCheck %s --check-prefix=SIM
# RUN: not %lfld -arch arm64 -platform_version plan9 1.0 1.0 -o %t/x.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=BAD
# RUN: not %lfld -arch arm64 -platform_version macos 13.0 13.0 -o %t/mac.out %t/a.o %t/sys.tbd 2>&1 \
# RUN:   | FileCheck %s --check-prefix=MAC

# IOS: LC_DYLD_CHAINED_FIXUPS
# IOS: platform ios
# IOS-NEXT: sdk 16.0
# IOS-NEXT: minos 16.0
# OLD-NOT: LC_DYLD_CHAINED_FIXUPS
# OLD: platform ios
# SIM: platform iossimulator
# BAD: unknown platform 'plan9'
# MAC: undefined symbol _puts

#--- a.s
.text
.globl _main
_main:
  bl _puts
  ret

#--- sys.tbd
--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-ios, arm64-ios-simulator, arm64-macos ]
install-name:    '/usr/lib/libSystem.B.dylib'
current-version: 1311
exports:
  - targets:         [ arm64-ios, arm64-ios-simulator ]
    symbols:         [ _puts, dyld_stub_binder ]
  - targets:         [ arm64-macos ]
    symbols:         [ _mac_only ]
...
