#!/bin/sh
# make-seeds.sh - regenerates the checked-in seed objects (*.o.in) from the
# sources beside it with clang-19 and llvm-mc-19. The seeds are committed so
# the malformed-input cases and their expected offsets never depend on the
# compiler installed on the machine running the tests.
set -eu
cd "$(dirname "$0")"
L=${LLVM_BIN:-/usr/lib/llvm-19/bin}
R=$("$L/clang" -print-resource-dir)
cc() { # arch, flags..., src, out
	a=$1; shift
	"$L/clang" -target "$a-apple-macos11" -nostdinc -isystem "$R/include" \
		-isystem /usr/include/x86_64-linux-musl "$@"
}
cc x86_64 -O0 -c basic.c -o x86_64-basic-O0.o.in
cc x86_64 -O2 -g -c basic.c -o x86_64-basic-O2-g.o.in
cc x86_64 -O2 -c jumptable.c -o x86_64-jumptable-O2.o.in
cc x86_64 -O2 -c tls.c -o x86_64-tls-O2.o.in
cc arm64 -O2 -c basic.c -o arm64-basic-O2.o.in
cc arm64 -O0 -g -c jumptable.c -o arm64-jumptable-O0-g.o.in
cc arm64 -O2 -c tls.c -o arm64-tls-O2.o.in
"$L/llvm-mc" -triple x86_64-apple-macos11 -filetype=obj relocs-x86_64.s \
	-o x86_64-relocs.o.in
"$L/llvm-mc" -triple arm64-apple-macos11 -filetype=obj relocs-arm64.s \
	-o arm64-relocs.o.in
"$L/llvm-mc" -triple arm64-apple-macos11 -filetype=obj allrelocs-arm64.s \
	-o arm64-allrelocs.o.in
