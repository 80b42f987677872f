# relocs-x86_64.s - seed: one of every x86_64 relocation type, a
# SUBTRACTOR/UNSIGNED pair, non-extern relocations and a data-in-code range.
	.section	__TEXT,__text,regular,pure_instructions
	.globl	_start
_start:
	callq	_ext_func                   # BRANCH
	movq	_ext_var@GOTPCREL(%rip), %rax # GOT_LOAD
	leaq	_local_data(%rip), %rcx     # SIGNED (extern or not)
	movb	$1, _ext_var(%rip)          # SIGNED_1
	movw	$1, _ext_var(%rip)          # SIGNED_2
	movl	$1, _ext_var(%rip)          # SIGNED_4
	movq	_tlv_var@TLVP(%rip), %rdi   # TLV
	leaq	Lstr(%rip), %rsi            # non-extern SIGNED
	pushq	_ext_var@GOTPCREL(%rip)     # GOT
	.data_region jt32
Ljt:
	.long	0
	.long	0
	.end_data_region
	retq

	.section	__TEXT,__cstring,cstring_literals
Lstr:
	.asciz	"seed"

	.section	__DATA,__data
	.globl	_local_data
	.p2align	3
_local_data:
	.quad	_ext_func                   # UNSIGNED, extern, 8 bytes
	.quad	Lstr                        # UNSIGNED, non-extern
	.quad	_start - _local_data        # SUBTRACTOR + UNSIGNED
	.long	_start - _local_data        # 4-byte pair
	.long	0

	.zerofill __DATA,__bss,_zbuf,64,4

	.section	__DATA,__thread_vars,thread_local_variables
	.globl	_tlv_var
_tlv_var:
	.quad	__tlv_bootstrap
	.quad	0
	.quad	_tlv_var$tlv$init

	.tbss	_tlv_var$tlv$init, 4, 2

.subsections_via_symbols
