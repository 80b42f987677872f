# defs-x86_64.s - fuzz seed: defines what the x86_64 seed objects of
# tests/malformed/seeds import (_ext_counter, _ext_func, _ext_var, _sink,
# _tls_ext, _abs_sym), so a link of them with the fixed object
# (x86_64-basic-O0) succeeds and fuzz_link reaches its patch checks.
	.section	__TEXT,__text,regular,pure_instructions
	.globl	_ext_func
	.p2align	4
_ext_func:
	retq
	.globl	_sink
	.p2align	4
_sink:
	leal	1(%rdi), %eax
	retq

	.section	__DATA,__data
	.globl	_ext_counter
	.p2align	2
_ext_counter:
	.long	7
	.globl	_ext_var
	.p2align	3
_ext_var:
	.quad	_ext_counter

	.section	__DATA,__thread_vars,thread_local_variables
	.globl	_tls_ext
	.p2align	3
_tls_ext:
	.quad	__tlv_bootstrap
	.quad	0
	.quad	_tls_ext$tlv$init

	.section	__DATA,__thread_data,thread_local_regular
	.p2align	2
_tls_ext$tlv$init:
	.long	3

	.globl	_abs_sym
_abs_sym = 0x1234

.subsections_via_symbols
