// relocs-arm64.s - seed: one of every arm64 relocation type used by
// clang, including ADDEND pairs and a SUBTRACTOR/UNSIGNED pair.
	.section	__TEXT,__text,regular,pure_instructions
	.globl	_start
	.p2align	2
_start:
	bl	_ext_func                       // BRANCH26
	bl	_ext_func+8                     // ADDEND + BRANCH26
	adrp	x0, _ext_var@PAGE               // PAGE21
	add	x0, x0, _ext_var@PAGEOFF        // PAGEOFF12
	adrp	x1, _ext_var@PAGE+16            // ADDEND + PAGE21
	add	x1, x1, _ext_var@PAGEOFF+16     // ADDEND + PAGEOFF12
	adrp	x2, _ext_var@GOTPAGE            // GOT_LOAD_PAGE21
	ldr	x2, [x2, _ext_var@GOTPAGEOFF]   // GOT_LOAD_PAGEOFF12
	adrp	x3, _tlv_var@TLVPPAGE           // TLVP_LOAD_PAGE21
	ldr	x3, [x3, _tlv_var@TLVPPAGEOFF]  // TLVP_LOAD_PAGEOFF12
	ret

	.section	__DATA,__data
	.globl	_ptrs
	.p2align	3
_ptrs:
	.quad	_ext_func                       // UNSIGNED 8
	.quad	_start - _ptrs                  // SUBTRACTOR + UNSIGNED
	.long	_ext_var@GOT - .                // POINTER_TO_GOT, pcrel 4
	.long	0

	.section	__DATA,__thread_vars,thread_local_variables
	.globl	_tlv_var
_tlv_var:
	.quad	__tlv_bootstrap
	.quad	0
	.quad	_tlv_var$tlv$init

	.tbss	_tlv_var$tlv$init, 4, 2

.subsections_via_symbols
