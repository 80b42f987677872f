// regs.s - Darwin arm64 assembly that checks the registers macho-run's
// helpers must keep. Each function fills x1-x15, x18-x28 and q0-q31 with
// distinct patterns (both halves of each q), calls the helper, and returns
// a mask of what changed: bit n for xn, bit 32+n for qn, bit 0 for x29.
//   _check_tlv:    the thread-local thunk, through _tv's descriptor; may
//                  change only x0, x16, x17, x30 (CSR_AArch64_TLS_Darwin).
//                  The address it returns goes to *_tlv_addr_out.
//   _check_chkstk: ___chkstk_darwin with x9 = 0x9000 (9 pages), which may
//                  change only x16, x17 (and x30 by the call); the frame is
//                  then allocated and touched.

	.text

	.macro SETX n
	movz x\n, #\n
	movk x\n, #0xa5a5, lsl #16
	movk x\n, #\n, lsl #32
	movk x\n, #0x5a5a, lsl #48
	.endm

	.macro CHKX n
	movz x16, #\n
	movk x16, #0xa5a5, lsl #16
	movk x16, #\n, lsl #32
	movk x16, #0x5a5a, lsl #48
	cmp x\n, x16
	b.eq 1f
	orr x30, x30, #(1 << \n)
1:
	.endm

	.macro SETQ n
	movi v\n\().16b, #(\n + 0x40)
	movz x16, #\n
	movk x16, #0xbeef, lsl #16
	mov v\n\().d[0], x16
	.endm

	.macro CHKQ n
	umov x16, v\n\().d[0]
	movz x17, #\n
	movk x17, #0xbeef, lsl #16
	cmp x16, x17
	b.ne 2f
	umov x16, v\n\().d[1]
	mov x17, #(\n + 0x40)
	orr x17, x17, x17, lsl #8
	orr x17, x17, x17, lsl #16
	orr x17, x17, x17, lsl #32
	cmp x16, x17
	b.eq 3f
2:	orr x30, x30, #(1 << (32 + \n))
3:
	.endm

	.macro PROLOGUE
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	stp x19, x20, [sp, #-16]!
	stp x21, x22, [sp, #-16]!
	stp x23, x24, [sp, #-16]!
	stp x25, x26, [sp, #-16]!
	stp x27, x28, [sp, #-16]!
	stp d8, d9, [sp, #-16]!
	stp d10, d11, [sp, #-16]!
	stp d12, d13, [sp, #-16]!
	stp d14, d15, [sp, #-16]!
	.endm

	.macro EPILOGUE
	mov x0, x30
	ldp d14, d15, [sp], #16
	ldp d12, d13, [sp], #16
	ldp d10, d11, [sp], #16
	ldp d8, d9, [sp], #16
	ldp x27, x28, [sp], #16
	ldp x25, x26, [sp], #16
	ldp x23, x24, [sp], #16
	ldp x21, x22, [sp], #16
	ldp x19, x20, [sp], #16
	ldp x29, x30, [sp], #16
	ret
	.endm

	.macro SETALL
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	SETQ \n
	.endr
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,18,19,20,21,22,23,24,25,26,27,28
	SETX \n
	.endr
	.endm

	.macro CHKALL
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,18,19,20,21,22,23,24,25,26,27,28
	CHKX \n
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	CHKQ \n
	.endr
	ldr x16, [sp], #16
	cmp x16, x29
	b.eq 4f
	orr x30, x30, #1
4:
	.endm

	.globl _check_tlv
	.p2align 2
_check_tlv:
	PROLOGUE
	SETALL
	str x29, [sp, #-16]!
	adrp x0, _tv@TLVPPAGE
	ldr x0, [x0, _tv@TLVPPAGEOFF]
	ldr x16, [x0]
	blr x16
	mov x30, #0
	adrp x16, _tlv_addr_out@GOTPAGE
	ldr x16, [x16, _tlv_addr_out@GOTPAGEOFF]
	str x0, [x16]
	CHKALL
	EPILOGUE

	.globl _check_chkstk
	.p2align 2
_check_chkstk:
	PROLOGUE
	SETALL
	mov x9, #0x9000
	str x29, [sp, #-16]!
	bl ___chkstk_darwin
	mov x30, #0
	sub sp, sp, x9
	str xzr, [sp]
	add sp, sp, x9
	movz x16, #0x9000
	cmp x9, x16
	b.eq 5f
	orr x30, x30, #(1 << 9)
5:
	SETX 9
	CHKALL
	EPILOGUE
