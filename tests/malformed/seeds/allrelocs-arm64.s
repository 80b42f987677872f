// allrelocs-arm64.s - seed: every arm64 relocation type the parser
// accepts, in each legal (pcrel, length) form: ADDEND pairs before
// BRANCH26, PAGE21 and PAGEOFF12, 4- and 8-byte SUBTRACTOR/UNSIGNED
// pairs, POINTER_TO_GOT of both sizes, GOT and TLVP loads, 4- and 8-byte
// UNSIGNED pointers, and a section-relative (non-extern) UNSIGNED in
// __compact_unwind. llvm-mc makes every code reference extern (to ltmp
// section symbols), so the non-extern code forms come from mutations
// (gen-malformed.py). No negative addends: llvm-mc 19 writes a negative
// ARM64_RELOC_ADDEND unmasked, as a type-15 entry (see the case
// reloc-arm64-addend-negative-unmasked).
	.section	__TEXT,__text,regular,pure_instructions
	.globl	_start
	.p2align	2
_start:
	.cfi_startproc
	bl	_ext_func                       // BRANCH26
	bl	_ext_func+8                     // ADDEND + BRANCH26
	adrp	x0, _ext_var@PAGE               // PAGE21
	add	x0, x0, _ext_var@PAGEOFF        // PAGEOFF12
	adrp	x1, _ext_var@PAGE+16            // ADDEND + PAGE21
	ldr	x1, [x1, _ext_var@PAGEOFF+16]   // ADDEND + PAGEOFF12
	adrp	x4, Ltable@PAGE                 // PAGE21 + ADDEND, to ltmp/_ptrs
	add	x4, x4, Ltable@PAGEOFF          // PAGEOFF12 + ADDEND
	adrp	x2, _ext_var@GOTPAGE            // GOT_LOAD_PAGE21
	ldr	x2, [x2, _ext_var@GOTPAGEOFF]   // GOT_LOAD_PAGEOFF12
	adrp	x3, _tlv_var@TLVPPAGE           // TLVP_LOAD_PAGE21
	ldr	x3, [x3, _tlv_var@TLVPPAGEOFF]  // TLVP_LOAD_PAGEOFF12
	ret
	.cfi_endproc

	.section	__DATA,__data
	.globl	_ptrs
	.p2align	3
_ptrs:
	.quad	_ext_func                       // UNSIGNED 8, extern
	.quad	_start - _ptrs                  // SUBTRACTOR + UNSIGNED, 8
	.long	_start - _ptrs                  // SUBTRACTOR + UNSIGNED, 4
	.long	_ext_var@GOT - .                // POINTER_TO_GOT, pcrel 4
	.quad	_ext_var@GOT                    // POINTER_TO_GOT, 8
	.quad	Ltable                          // UNSIGNED 8 (to _ptrs + 0x30)
	.long	_abs_sym                        // UNSIGNED 4
	.long	0
Ltable:
	.quad	1
	.quad	2

	.section	__DATA,__thread_vars,thread_local_variables
	.globl	_tlv_var
_tlv_var:
	.quad	__tlv_bootstrap
	.quad	0
	.quad	_tlv_var$tlv$init

	.tbss	_tlv_var$tlv$init, 4, 2

.subsections_via_symbols
