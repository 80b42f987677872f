/*
 * mr-tlv.S - the x86_64 assembly helpers of macho-run that must keep
 * Darwin's register conventions, which no C function can promise.
 *
 * mr_tlv_get_addr: the thunk of every thread-local descriptor. Darwin's TLV
 * convention: %rdi = descriptor, returns the variable's address in %rax, and
 * preserves every other register. It saves all caller-saved registers
 * (general and %xmm0-15) around a call to mr_tlv_addr (mr-tlv.c).
 *
 * mr_chkstk_darwin: ___chkstk_darwin, the stack probe for large frames:
 * %rax = frame size; touches each page below the caller's %rsp in order;
 * preserves every register.
 *
 * Left out: AVX upper halves (the C helper does not touch them).
 */
	.text
	.globl mr_tlv_get_addr
	.hidden mr_tlv_get_addr
	.type mr_tlv_get_addr, @function
mr_tlv_get_addr:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	subq $256, %rsp
	andq $-16, %rsp
	movdqu %xmm0, 0(%rsp)
	movdqu %xmm1, 16(%rsp)
	movdqu %xmm2, 32(%rsp)
	movdqu %xmm3, 48(%rsp)
	movdqu %xmm4, 64(%rsp)
	movdqu %xmm5, 80(%rsp)
	movdqu %xmm6, 96(%rsp)
	movdqu %xmm7, 112(%rsp)
	movdqu %xmm8, 128(%rsp)
	movdqu %xmm9, 144(%rsp)
	movdqu %xmm10, 160(%rsp)
	movdqu %xmm11, 176(%rsp)
	movdqu %xmm12, 192(%rsp)
	movdqu %xmm13, 208(%rsp)
	movdqu %xmm14, 224(%rsp)
	movdqu %xmm15, 240(%rsp)
	call mr_tlv_addr
	movdqu 0(%rsp), %xmm0
	movdqu 16(%rsp), %xmm1
	movdqu 32(%rsp), %xmm2
	movdqu 48(%rsp), %xmm3
	movdqu 64(%rsp), %xmm4
	movdqu 80(%rsp), %xmm5
	movdqu 96(%rsp), %xmm6
	movdqu 112(%rsp), %xmm7
	movdqu 128(%rsp), %xmm8
	movdqu 144(%rsp), %xmm9
	movdqu 160(%rsp), %xmm10
	movdqu 176(%rsp), %xmm11
	movdqu 192(%rsp), %xmm12
	movdqu 208(%rsp), %xmm13
	movdqu 224(%rsp), %xmm14
	movdqu 240(%rsp), %xmm15
	leaq -64(%rbp), %rsp
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbp
	ret
	.size mr_tlv_get_addr, .-mr_tlv_get_addr

	.globl mr_chkstk_darwin
	.hidden mr_chkstk_darwin
	.type mr_chkstk_darwin, @function
mr_chkstk_darwin:
	pushq %rcx
	pushq %rax
	leaq 24(%rsp), %rcx	/* the caller's %rsp */
	cmpq $0x1000, %rax
	jb 1f
0:	subq $0x1000, %rcx
	testq %rcx, (%rcx)
	subq $0x1000, %rax
	cmpq $0x1000, %rax
	ja 0b
1:	subq %rax, %rcx
	testq %rcx, (%rcx)
	popq %rax
	popq %rcx
	ret
	.size mr_chkstk_darwin, .-mr_chkstk_darwin

	.section .note.GNU-stack,"",@progbits
