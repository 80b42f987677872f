/*
 * mr-varargs-arm64.S - entry trampolines of the Darwin arm64 variadic
 * bridges (the C halves are in mr-varargs-arm64.c).
 *
 * A Darwin arm64 caller passes the named arguments of a variadic function
 * in registers as usual, and every variadic argument on the stack, one
 * 8-byte slot each (16 for 16-byte-aligned types), starting at sp. Each
 * trampoline puts the caller's sp into the first argument register after
 * the named ones and branches (no call: sp and x30 are unchanged) to a C
 * function whose last parameter is that pointer to the slots.
 */
	.text

/* BRIDGE name, reg: mr_tramp_<name>: mov <reg>, sp; b mr_va_<name> */
	.macro BRIDGE name, reg
	.globl mr_tramp_\name
	.hidden mr_tramp_\name
	.type mr_tramp_\name, %function
	.p2align 2
mr_tramp_\name:
	mov \reg, sp
	b mr_va_\name
	.size mr_tramp_\name, .-mr_tramp_\name
	.endm

	BRIDGE printf, x1		/* printf(fmt, ...) */
	BRIDGE fprintf, x2		/* fprintf(f, fmt, ...) */
	BRIDGE sprintf, x2		/* sprintf(buf, fmt, ...) */
	BRIDGE snprintf, x3		/* snprintf(buf, n, fmt, ...) */
	BRIDGE dprintf, x2		/* dprintf(fd, fmt, ...) */
	BRIDGE asprintf, x2		/* asprintf(&s, fmt, ...) */
	BRIDGE sprintf_chk, x4		/* __sprintf_chk(buf, flag, len, fmt, ...) */
	BRIDGE snprintf_chk, x5		/* __snprintf_chk(buf, n, flag, len, fmt, ...) */
	BRIDGE scanf, x1		/* scanf(fmt, ...) */
	BRIDGE fscanf, x2		/* fscanf(f, fmt, ...) */
	BRIDGE sscanf, x2		/* sscanf(s, fmt, ...) */
	BRIDGE open, x2			/* open(path, flags, ...) */
	BRIDGE openat, x3		/* openat(dirfd, path, flags, ...) */
	BRIDGE fcntl, x2		/* fcntl(fd, cmd, ...) */
	BRIDGE ioctl, x2		/* ioctl(fd, request, ...) */

	.section .note.GNU-stack,"",%progbits
