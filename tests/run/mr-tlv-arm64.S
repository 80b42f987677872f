/*
 * mr-tlv-arm64.S - the arm64 assembly helpers of macho-run that must keep
 * Darwin's register conventions, which no C function can promise.
 *
 * mr_tlv_get_addr: the thunk of every thread-local descriptor. Darwin's
 * arm64 TLV convention: x0 = descriptor, the variable's address comes back
 * in x0. The caller assumes LLVM's CSR_AArch64_TLS_Darwin: x1-x15, x18-x28,
 * x29 and all of q0-q31 (full 128 bits) are preserved; only x0, x16, x17 and
 * x30 may change (and the flags). It saves x1-x15, x18 and q0-q31 around a
 * call to mr_tlv_addr (mr-tlv.c); x19-x29 are callee-saved under AAPCS64.
 *
 * mr_chkstk_darwin: ___chkstk_darwin, the stack probe for large frames.
 * Convention of Apple's libSystem (and Apple clang's callers): x9 = frame
 * size in bytes, probes each 4 KiB below the caller's sp in order, uses
 * only x16 and x17, keeps every other register (x9 included). Upstream
 * LLVM 19 never emits the call for arm64, but objects from Apple clang do.
 */
	.text
	.globl mr_tlv_get_addr
	.hidden mr_tlv_get_addr
	.type mr_tlv_get_addr, %function
	.p2align 2
mr_tlv_get_addr:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	sub sp, sp, #640
	stp x1, x2, [sp, #0]
	stp x3, x4, [sp, #16]
	stp x5, x6, [sp, #32]
	stp x7, x8, [sp, #48]
	stp x9, x10, [sp, #64]
	stp x11, x12, [sp, #80]
	stp x13, x14, [sp, #96]
	stp x15, x18, [sp, #112]
	stp q0, q1, [sp, #128]
	stp q2, q3, [sp, #160]
	stp q4, q5, [sp, #192]
	stp q6, q7, [sp, #224]
	stp q8, q9, [sp, #256]
	stp q10, q11, [sp, #288]
	stp q12, q13, [sp, #320]
	stp q14, q15, [sp, #352]
	stp q16, q17, [sp, #384]
	stp q18, q19, [sp, #416]
	stp q20, q21, [sp, #448]
	stp q22, q23, [sp, #480]
	stp q24, q25, [sp, #512]
	stp q26, q27, [sp, #544]
	stp q28, q29, [sp, #576]
	stp q30, q31, [sp, #608]
	bl mr_tlv_addr
	ldp q0, q1, [sp, #128]
	ldp q2, q3, [sp, #160]
	ldp q4, q5, [sp, #192]
	ldp q6, q7, [sp, #224]
	ldp q8, q9, [sp, #256]
	ldp q10, q11, [sp, #288]
	ldp q12, q13, [sp, #320]
	ldp q14, q15, [sp, #352]
	ldp q16, q17, [sp, #384]
	ldp q18, q19, [sp, #416]
	ldp q20, q21, [sp, #448]
	ldp q22, q23, [sp, #480]
	ldp q24, q25, [sp, #512]
	ldp q26, q27, [sp, #544]
	ldp q28, q29, [sp, #576]
	ldp q30, q31, [sp, #608]
	ldp x1, x2, [sp, #0]
	ldp x3, x4, [sp, #16]
	ldp x5, x6, [sp, #32]
	ldp x7, x8, [sp, #48]
	ldp x9, x10, [sp, #64]
	ldp x11, x12, [sp, #80]
	ldp x13, x14, [sp, #96]
	ldp x15, x18, [sp, #112]
	add sp, sp, #640
	ldp x29, x30, [sp], #16
	ret
	.size mr_tlv_get_addr, .-mr_tlv_get_addr

	.globl mr_chkstk_darwin
	.hidden mr_chkstk_darwin
	.type mr_chkstk_darwin, %function
	.p2align 2
mr_chkstk_darwin:
	mov x16, sp
	mov x17, x9
	cmp x17, #0x1000
	b.lo 1f
0:	sub x16, x16, #0x1000
	ldr xzr, [x16]
	sub x17, x17, #0x1000
	cmp x17, #0x1000
	b.hi 0b
1:	sub x16, x16, x17
	ldr xzr, [x16]
	ret
	.size mr_chkstk_darwin, .-mr_chkstk_darwin

	.section .note.GNU-stack,"",%progbits
