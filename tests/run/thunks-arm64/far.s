# far.s - called from main.s across the padding; calls back _near.
	.section __TEXT,__text,regular,pure_instructions
	.globl _far
	.p2align 2
_far:
	stp x29, x30, [sp, #-16]!
	adrp x0, msg2@PAGE
	add x0, x0, msg2@PAGEOFF
	bl _puts
	bl _near
	ldp x29, x30, [sp], #16
	ret
	.section __TEXT,__cstring
msg2: .asciz "far"
	.subsections_via_symbols
