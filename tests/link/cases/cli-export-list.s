## Test: -exported_symbols_list, -exported_symbol, -unexported_symbol
## (ld64's patterns: *, ?, [...]; '#' comments and blank lines in the
## file). With an exported list, a global it does not name becomes a
## private extern (out of the export trie, "was a private external" in
## the symbol table), __mh_execute_header included, as lld does; a weak
## definition hidden only as "can be hidden" is shown again when named.
## The unexported list hides what it names. Both lists at once are
## refused, as ld64 refuses them. A plain name of an exported list is a
## reference of the link, as in ld64 and lld: an archive member defining
## it is loaded, and with no definition the link fails. ld64.lld agrees.

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/a.s -o %t/a.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -exported_symbols_list %t/list.txt -o %t/lfld.out %t/a.o
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -exported_symbols_list %t/list.txt -o %t/lld.out %t/a.o
# RUN: llvm-nm -m %t/lfld.out | FileCheck %s
# RUN: llvm-nm -m %t/lld.out | FileCheck %s
# RUN: llvm-objdump --macho --exports-trie %t/lfld.out | FileCheck %s --check-prefix=TRIE
# RUN: llvm-objdump --macho --exports-trie %t/lld.out | FileCheck %s --check-prefix=TRIE
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -unexported_symbol '_api_t?o' -o %t/un.out %t/a.o
# RUN: llvm-objdump --macho --exports-trie %t/un.out | FileCheck %s --check-prefix=UN
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -exported_symbol _main -unexported_symbol _api_one -o %t/x.out %t/a.o 2>&1 \
# RUN:   | FileCheck %s --check-prefix=BOTH
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/lib.s -o %t/lib.o
# RUN: rm -f %t/liblib.a && llvm-ar rcs %t/liblib.a %t/lib.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -exported_symbol _main -exported_symbol _from_lib -o %t/lib.out %t/a.o %t/liblib.a
# RUN: %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -exported_symbol _main -exported_symbol _from_lib -o %t/lld-lib.out %t/a.o %t/liblib.a
# RUN: llvm-objdump --macho --exports-trie %t/lib.out | FileCheck %s --check-prefix=LIB
# RUN: llvm-objdump --macho --exports-trie %t/lld-lib.out | FileCheck %s --check-prefix=LIB
# RUN: not %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -exported_symbol _nosuch -o %t/x.out %t/a.o 2>&1 | FileCheck %s --check-prefix=NOSUCH
# RUN: not %lld -arch x86_64 -platform_version macos 11.0 11.0 -L %libsystem -lSystem \
# RUN:   -exported_symbol _nosuch -o %t/x.out %t/a.o 2>&1 | FileCheck %s --check-prefix=LLDNOSUCH

# CHECK-DAG: non-external (was a private external) __mh_execute_header
# CHECK-DAG: external _api_one
# CHECK-DAG: external _api_two
# CHECK-DAG: weak external _inl
# CHECK-DAG: non-external (was a private external) _internal
# CHECK-DAG: external _main

# TRIE-NOT: _internal
# TRIE-NOT: __mh_execute_header
# TRIE-DAG: _api_one
# TRIE-DAG: _api_two
# TRIE-DAG: _inl [weak_def]
# TRIE-DAG: _main

# UN-NOT: _api_two
# UN-DAG: __mh_execute_header
# UN-DAG: _api_one
# UN-DAG: _internal

# BOTH: -unexported_symbol: an exported and an unexported symbols list cannot both be given

# LIB: _from_lib
# NOSUCH: error: undefined symbol _nosuch, referenced from the link options (-u, -e, -exported_symbol)
# LLDNOSUCH: undefined symbol: _nosuch

#--- lib.s
.text
.globl _from_lib
_from_lib:
  retq

#--- list.txt
# the API
  _api_*
_main

_inl

#--- a.s
.text
.globl _main, _api_one, _api_two, _internal
.globl _inl
.weak_def_can_be_hidden _inl
_main:
  callq _inl
  retq
_api_one:
  retq
_api_two:
  retq
_internal:
  retq
_inl:
  retq
.subsections_via_symbols
