#!/bin/sh
# make-dylib-seed.sh - rebuilds seeds/libseed-x86_64.dylib.in, the binary
# dylib gen-dylibs.py mutates: tests/input/dylib/weak.c (two weak
# definitions and a strong function) compiled by clang-19 and linked by
# ld64.lld for macOS 10.15, so it has LC_DYLD_INFO_ONLY (export trie), a
# symbol table, LC_ID_DYLIB and LC_LOAD_DYLIB (about 12 KB).
set -eu
cd "$(dirname "$0")"
B=/usr/lib/llvm-19/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$B/clang -target x86_64-apple-macos10.15 -O1 -c ../../input/dylib/weak.c -o "$tmp/w.o"
$B/ld64.lld -dylib -arch x86_64 -platform_version macos 10.15 10.15 \
	-install_name @rpath/libseed.dylib -current_version 1.2.3 \
	-L ../../../data -lSystem "$tmp/w.o" -o libseed-x86_64.dylib.in
