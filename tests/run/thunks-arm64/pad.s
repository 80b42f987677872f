# pad.s - 140 MiB of __text between main.o and far.o, in two atoms.
	.section __TEXT,__text,regular,pure_instructions
	.globl _pad1
_pad1:
	.space 70*1024*1024
	.globl _pad2
_pad2:
	.space 70*1024*1024
	.subsections_via_symbols
