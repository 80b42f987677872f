# main.s - calls _far, 140 MiB away past pad.s, and _puts (a stub past
# _far); _near is called back from far.s. Each call needs a thunk.
	.section __TEXT,__text,regular,pure_instructions
	.globl _main
	.p2align 2
_main:
	stp x29, x30, [sp, #-16]!
	bl _far
	adrp x0, msg@PAGE
	add x0, x0, msg@PAGEOFF
	bl _puts
	mov w0, #0
	ldp x29, x30, [sp], #16
	ret
	.globl _near
_near:
	adrp x0, msg3@PAGE
	add x0, x0, msg3@PAGEOFF
	b _puts
	.section __TEXT,__cstring
msg:  .asciz "main"
msg3: .asciz "near, called from far"
	.subsections_via_symbols
