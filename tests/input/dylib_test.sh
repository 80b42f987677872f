#!/bin/sh
# dylib_test.sh TEST_DYLIB WORKDIR SRCDIR - builds binary dylibs with
# clang-19 and ld64.lld from tests/input/dylib/*.c (x86_64 and arm64; with
# chained fixups (LC_DYLD_EXPORTS_TRIE, macOS 11) and without
# (LC_DYLD_INFO_ONLY, macOS 10.15); weak definitions, thread-locals, a
# re-export via -reexport_library, fat files via llvm-lipo), then checks
# that dylib_macho_parse reads from each exactly the install name and
# versions llvm-objdump --private-headers shows and exactly the exports,
# with their kinds, of llvm-objdump --exports-trie; then runs
# `test_dylib check WORKDIR` (fixed expectations, fat slices, a fat file
# without the arch, and hand-made tries). Exit 77 without LLVM 19.
set -u
exe=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") work=$2 src=$3
B=/usr/lib/llvm-19/bin
for t in clang ld64.lld llvm-lipo llvm-objdump; do
	[ -x $B/$t ] || { echo "skip: $B/$t not installed"; exit 77; }
done
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
lib() { # ARCH OS NAME OUT EXTRA...
	a=$1 os=$2 nm=$3 out=$4
	shift 4
	$B/ld64.lld -dylib -arch "$a" -platform_version macos "$os" "$os" \
		-install_name "$nm" -L "$src/data" -lSystem "$@" -o "$out" || exit 1
}
for a in x86_64 arm64; do
	for s in bar weak tls re; do
		$B/clang -target $a-apple-macos11 -O1 -c "$src/tests/input/dylib/$s.c" \
			-o $s-$a.o || exit 1
	done
	lib $a 11.0 @rpath/libbar.dylib libbar-$a.dylib bar-$a.o \
		-current_version 1.2.3 -compatibility_version 1.0.0
	lib $a 10.15 /usr/lib/libbar.dylib libbar-old-$a.dylib bar-$a.o \
		-current_version 7.0 -compatibility_version 2.1.4
	lib $a 11.0 @rpath/libweak.dylib libweak-$a.dylib weak-$a.o
	lib $a 11.0 @rpath/libtls.dylib libtls-$a.dylib tls-$a.o
	lib $a 11.0 @rpath/libre.dylib libre-$a.dylib re-$a.o \
		-reexport_library libbar-$a.dylib
done
$B/llvm-lipo -create libbar-x86_64.dylib libbar-arm64.dylib -output libbar-fat.dylib || exit 1
$B/llvm-lipo -create libtls-x86_64.dylib libtls-arm64.dylib -output libtls-fat.dylib || exit 1
# FAT_MAGIC_64 (llvm-lipo -fat64)
$B/llvm-lipo -create -fat64 libweak-x86_64.dylib libweak-arm64.dylib \
	-output libweak-fat64.dylib || exit 1
status=0
# what llvm-objdump says: "id NAME CUR COMPAT" and "sym NAME KIND" lines
expect() { # FILE ARCH
	$B/llvm-objdump --macho --arch="$2" --private-headers "$1" | awk '
		/cmd LC_ID_DYLIB/ { id = 1; next }
		id && $1 == "name" { name = $2 }
		id && $1 == "current" { cur = $3 }
		id && $1 == "compatibility" { print "id " name " " cur " " $3; id = 0 }'
	$B/llvm-objdump --macho --arch="$2" --exports-trie "$1" | awk '
		/^0x/ { k = "regular"
			if ($0 ~ /\[weak_def\]/) k = "weak"
			if ($0 ~ /\[per-thread\]/) k = "tlv"
			print "sym " $2 " " k }' | LC_ALL=C sort
}
for f in lib*.dylib; do
	for a in x86_64 arm64; do
		case $f in *-x86_64.dylib) [ $a = x86_64 ] || continue ;; esac
		case $f in *-arm64.dylib) [ $a = arm64 ] || continue ;; esac
		expect "$f" $a >"$f.$a.want"
		"$exe" dump "$f" $a | grep -v '^reexport' >"$f.$a.got" 2>&1
		if ! grep -q '^sym' "$f.$a.want" || ! cmp -s "$f.$a.want" "$f.$a.got"; then
			echo "FAIL: $f ($a) differs from llvm-objdump:"
			diff "$f.$a.want" "$f.$a.got"
			status=1
		else
			echo "ok $f ($a): $(grep -c '^sym' "$f.$a.got") exports"
		fi
	done
done
"$exe" check "$work" || status=1
exit $status
