## Test: the debug map reads the objects' DWARF as hostile input. A first
## unit whose name and directory are inline strings (DW_FORM_string) is
## read as ld64.lld reads it. Debug info that cannot be read -- a
## truncated unit header, a reserved unit length, a DWARF version out of
## range, an abbreviation code missing from its table, an unknown form, a
## string offset outside __debug_str, a string index outside
## __debug_str_offsets, an inline string with no NUL before the unit's
## end -- costs that object its stabs, with one warning naming the object
## and the problem; the link succeeds and nothing else changes. An empty
## __debug_info is no debug info (no warning).

# RUN: rm -rf %t && split-file %s %t
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/ok.s -o %t/ok.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/ok.out %t/ok.o 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
# RUN: env ZERO_AR_DATE=1 %lld -arch x86_64 -platform_version macos 11.0 11.0 \
# RUN:   -L %libsystem -lSystem -o %t/ok-lld.out %t/ok.o
# RUN: llvm-nm -pa %t/ok.out | FileCheck %s --check-prefix=OK -DDIR=%t
# RUN: llvm-nm -pa %t/ok-lld.out | FileCheck %s --check-prefix=OK -DDIR=%t

# QUIET-NOT: {{.}}

# OK:      {{^0+}} - 00 0000    SO /dir/x.c
# OK-NEXT: {{^0+}} - 03 0001   OSO [[DIR]]/ok.o
# OK-NEXT: {{^[0-9a-f]+}} - 01 0000   FUN _main
# OK-NEXT: {{^0+}}1 - 00 0000   FUN {{$}}
# OK-NEXT: {{^0+}} - 01 0000    SO {{$}}

## bad.s as it is: valid, read as lld reads it
# RUN: sed "/^BAD_/d" %t/bad.s > %t/valid.s
# RUN: llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/valid.s -o %t/valid.o
# RUN: %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:   -o %t/valid.out %t/valid.o 2>&1 | FileCheck %s --allow-empty --check-prefix=QUIET
# RUN: env ZERO_AR_DATE=1 %lld -arch x86_64 -platform_version macos 11.0 11.0 \
# RUN:   -L %libsystem -lSystem -o %t/valid-lld.out %t/valid.o
# RUN: llvm-nm -pa %t/valid.out | FileCheck %s --check-prefix=VALID -DDIR=%t
# RUN: llvm-nm -pa %t/valid-lld.out | FileCheck %s --check-prefix=VALID -DDIR=%t

# VALID:      {{^0+}} - 00 0000    SO /dir/x.c
# VALID-NEXT: {{^0+}} - 03 0001   OSO [[DIR]]/valid.o
# VALID-NEXT: {{^[0-9a-f]+}} - 01 0000   FUN _main

# RUN: for b in truncated reserved version noabbrev badform strp strx \
# RUN:          unterminated empty; do \
# RUN:   sed "s/^BAD_$b //; /^BAD_/d" %t/bad.s > %t/$b.s && \
# RUN:   llvm-mc -filetype=obj -triple=x86_64-apple-macos11 %t/$b.s -o %t/$b.o && \
# RUN:   %lfld -arch x86_64 -platform_version macos 11.0 11.0 -lSystem \
# RUN:     -o %t/$b.out %t/$b.o 2>&1 && \
# RUN:   llvm-nm -pa --defined-only %t/$b.out; \
# RUN: done | FileCheck %s --check-prefix=BAD -DDIR=%t

# BAD:      warning: '[[DIR]]/truncated.o': __debug_info: truncated unit header; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/reserved.o': __debug_info: reserved unit length; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/version.o': __debug_info: unsupported DWARF version; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/noabbrev.o': __debug_info: the first DIE's abbreviation is not in its table; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/badform.o': __debug_info: unknown form 0x7f; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/strp.o': __debug_info: string offset outside __debug_str; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/strx.o': __debug_info: string index outside __debug_str_offsets; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD:      warning: '[[DIR]]/unterminated.o': __debug_info: attribute value extends past the end of __debug_info; no debug map entries for it
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
## the empty __debug_info: no warning, no stabs
# BAD-NEXT: T __mh_execute_header
# BAD-NEXT: T _main
# BAD-NOT:  {{.}}

#--- ok.s
	.section __TEXT,__text,regular,pure_instructions
	.globl _main
_main:
	retq

	.section __DWARF,__debug_abbrev,regular,debug
	.byte 1, 0x11, 0             ## 1: DW_TAG_compile_unit, no children
	.byte 0x03, 0x08             ## DW_AT_name, DW_FORM_string
	.byte 0x1b, 0x08             ## DW_AT_comp_dir, DW_FORM_string
	.byte 0, 0, 0

	.section __DWARF,__debug_info,regular,debug
	.long Lend - Lstart
Lstart:
	.short 4                     ## version
	.long 0                      ## abbreviation table offset
	.byte 8                      ## address size
	.byte 1
	.asciz "x.c"
	.asciz "/dir"
Lend:
.subsections_via_symbols

#--- bad.s
## Each BAD_<name> line is in only the object of that name; the rest is
## one valid DWARF 5 unit (DW_FORM_strp name, DW_FORM_strx1 comp_dir).
	.section __TEXT,__text,regular,pure_instructions
	.globl _main
_main:
	retq

	.section __DWARF,__debug_abbrev,regular,debug
	.byte 1, 0x11, 0             ## 1: DW_TAG_compile_unit, no children
	.byte 0x03, 0x0e             ## DW_AT_name, DW_FORM_strp
BAD_badform 	.byte 0x13, 0x7f             ## DW_AT_language, no such form
	.byte 0x72, 0x17             ## DW_AT_str_offsets_base, sec_offset
	.byte 0x1b, 0x25             ## DW_AT_comp_dir, DW_FORM_strx1
BAD_unterminated 	.byte 0x01, 0x08     ## DW_AT_sibling, DW_FORM_string
	.byte 0, 0, 0

	.section __DWARF,__debug_str,regular,debug
Lname:
	.asciz "x.c"
Ldir:
	.asciz "/dir"

	.section __DWARF,__debug_str_offs,regular,debug
	.long 12                     ## contribution: length, version 5
	.short 5, 0
Lbase:
	.long Lname - Lname
	.long Ldir - Lname

	.section __DWARF,__debug_info,regular,debug
BAD_truncated 	.short 0
BAD_reserved 	.long 0xfffffff0
BAD_empty 	.section __DWARF,__debug_line,regular,debug
	.long Lend - Lstart
Lstart:
BAD_version 	.short 1
	.short 5                     ## version
	.byte 1                      ## DW_UT_compile
	.byte 8                      ## address size
	.long 0                      ## abbreviation table offset
BAD_noabbrev 	.byte 5
	.byte 1                      ## abbreviation 1
BAD_strp 	.long 0x1000
	.long Lname - Lname          ## DW_AT_name
	.long 8                      ## DW_AT_str_offsets_base
BAD_strx 	.byte 9
	.byte 1                      ## DW_AT_comp_dir: index 1
BAD_unterminated 	.ascii "abc"
Lend:
.subsections_via_symbols
