/*
 * mr-varargs-arm64.c - the C halves of the Darwin arm64 variadic bridges,
 * and the table of bridged names (mr_va_bridges).
 *
 * Darwin arm64 passes every variadic argument on the stack, one 8-byte slot
 * each (doubles too); a Darwin va_list is a plain pointer to such slots. An
 * AAPCS64 (Linux) va_list is a struct {__stack, __gr_top, __vr_top,
 * __gr_offs, __vr_offs}; with both offsets 0, va_arg takes every argument
 * from __stack in 8-byte slots (16-byte-aligned types aligned to 16) - the
 * same layout. So each bridge builds such a va_list over the Darwin slots
 * and calls glibc's v* function. The trampolines of mr-varargs-arm64.S pass
 * the slots of a variadic call; a Darwin va_list is the slots already.
 *
 * long double is double on Darwin arm64 and a 16-byte quad on Linux, so the
 * printf bridges drop the L of %La..%LG (the slot holds a double) and the
 * scanf bridges turn it into l (the target is a double).
 *
 * Left out: glibc extensions that read the format differently (%m is
 * glibc's), variadic arguments wider than 16 bytes, and registered
 * printf handlers. The constants a program passes (open flags, fcntl
 * commands) are those of the headers it was compiled with, passed on
 * unchanged.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mr.h"

struct aapcs64_va_list {
	void *stack, *gr_top, *vr_top;
	int gr_offs, vr_offs;
};
_Static_assert(sizeof(struct aapcs64_va_list) == sizeof(va_list),
	"va_list is not the AAPCS64 struct");

/* A va_list that reads every argument from the Darwin slots. */
static void darwin_va(va_list *ap, const void *slots)
{
	struct aapcs64_va_list v = { (void *)(uintptr_t)slots, NULL, NULL, 0, 0 };
	memcpy(ap, &v, sizeof(v));
}

/* One variadic slot as a 64-bit value (open's mode, fcntl's argument). */
static uint64_t slot0(const void *slots)
{
	uint64_t v;
	memcpy(&v, slots, sizeof(v));
	return v;
}

/* A format with Darwin's long double conversions rewritten for glibc:
 * printf: %Lf -> %f, scanf: %Lf -> %lf. The result is never longer. */
struct dfmt {
	char *heap;
	char buf[512];
};

static const char *dfmt_get(struct dfmt *d, const char *fmt, int scan)
{
	size_t n = strlen(fmt), o = 0;
	char *out = d->buf;

	d->heap = NULL;
	if (!strchr(fmt, 'L'))
		return fmt;
	if (n >= sizeof(d->buf)) {
		out = d->heap = malloc(n + 1);
		if (!out) {
			fputs("macho-run: out of memory in a printf bridge\n", stderr);
			abort();
		}
	}
	for (size_t i = 0; i < n;) {
		if (fmt[i] != '%') {
			out[o++] = fmt[i++];
			continue;
		}
		out[o++] = fmt[i++];
		if (i < n && fmt[i] == '%') {
			out[o++] = fmt[i++];
			continue;
		}
		/* positional n$, flags, width, precision (and scanf's m) */
		while (i < n && strchr(scan ? "0123456789$*m" : "0123456789$#-+ '.*I",
		    fmt[i]))
			out[o++] = fmt[i++];
		size_t ell = (size_t)-1;
		while (i < n && strchr("hlLqjzt", fmt[i])) {
			if (fmt[i] == 'L')
				ell = o;
			out[o++] = fmt[i++];
		}
		if (i >= n)
			break;
		char c = fmt[i];
		if (ell != (size_t)-1 && strchr("aAeEfFgG", c)) {
			if (scan) {
				out[ell] = 'l';
			} else {
				memmove(out + ell, out + ell + 1, o - ell - 1);
				o--;
			}
		}
		out[o++] = fmt[i++];
		if (scan && c == '[') { /* a scanset: copy it whole */
			if (i < n && fmt[i] == '^')
				out[o++] = fmt[i++];
			if (i < n && fmt[i] == ']')
				out[o++] = fmt[i++];
			while (i < n && fmt[i] != ']')
				out[o++] = fmt[i++];
			if (i < n)
				out[o++] = fmt[i++];
		}
	}
	out[o] = 0;
	return out;
}

static void dfmt_done(struct dfmt *d)
{
	free(d->heap);
}

/* Fortify failures, as Darwin's libc reports them. */
static _Noreturn void chk_fail(const char *fn)
{
	fprintf(stderr, "macho-run: %s: buffer overflow detected\n", fn);
	abort();
}

/* The va_list bridges; each ap is a Darwin va_list (a pointer to slots). */

static int mr_va_vprintf(const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vprintf(dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vfprintf(FILE *f, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vfprintf(f, dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vsnprintf(char *buf, size_t n, const char *fmt,
	const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vsnprintf(buf, n, dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vsprintf(char *buf, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vsprintf(buf, dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vdprintf(int fd, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vdprintf(fd, dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vasprintf(char **s, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vasprintf(s, dfmt_get(&d, fmt, 0), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vsnprintf_chk(char *buf, size_t n, int flag, size_t len,
	const char *fmt, const void *dap)
{
	(void)flag;
	if (n > len)
		chk_fail("__vsnprintf_chk");
	return mr_va_vsnprintf(buf, n, fmt, dap);
}

static int mr_va_vsprintf_chk(char *buf, int flag, size_t len,
	const char *fmt, const void *dap)
{
	(void)flag;
	if (len == 0)
		chk_fail("__vsprintf_chk");
	int r = mr_va_vsnprintf(buf, len, fmt, dap);
	if (r >= 0 && (size_t)r >= len)
		chk_fail("__vsprintf_chk");
	return r;
}

static int mr_va_vscanf(const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vscanf(dfmt_get(&d, fmt, 1), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vfscanf(FILE *f, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vfscanf(f, dfmt_get(&d, fmt, 1), ap);
	dfmt_done(&d);
	return r;
}

static int mr_va_vsscanf(const char *s, const char *fmt, const void *dap)
{
	struct dfmt d;
	va_list ap;
	darwin_va(&ap, dap);
	int r = vsscanf(s, dfmt_get(&d, fmt, 1), ap);
	dfmt_done(&d);
	return r;
}

/* The variadic bridges, entered from mr-varargs-arm64.S with the slots of
 * the variadic arguments as the last parameter. A variadic call's slots
 * are laid out as a Darwin va_list, so most forward to a va_list bridge. */

int mr_va_printf(const char *fmt, const void *st);
int mr_va_printf(const char *fmt, const void *st)
{
	return mr_va_vprintf(fmt, st);
}

int mr_va_fprintf(FILE *f, const char *fmt, const void *st);
int mr_va_fprintf(FILE *f, const char *fmt, const void *st)
{
	return mr_va_vfprintf(f, fmt, st);
}

int mr_va_sprintf(char *buf, const char *fmt, const void *st);
int mr_va_sprintf(char *buf, const char *fmt, const void *st)
{
	return mr_va_vsprintf(buf, fmt, st);
}

int mr_va_snprintf(char *buf, size_t n, const char *fmt, const void *st);
int mr_va_snprintf(char *buf, size_t n, const char *fmt, const void *st)
{
	return mr_va_vsnprintf(buf, n, fmt, st);
}

int mr_va_dprintf(int fd, const char *fmt, const void *st);
int mr_va_dprintf(int fd, const char *fmt, const void *st)
{
	return mr_va_vdprintf(fd, fmt, st);
}

int mr_va_asprintf(char **s, const char *fmt, const void *st);
int mr_va_asprintf(char **s, const char *fmt, const void *st)
{
	return mr_va_vasprintf(s, fmt, st);
}

int mr_va_sprintf_chk(char *buf, int flag, size_t len, const char *fmt,
	const void *st);
int mr_va_sprintf_chk(char *buf, int flag, size_t len, const char *fmt,
	const void *st)
{
	return mr_va_vsprintf_chk(buf, flag, len, fmt, st);
}

int mr_va_snprintf_chk(char *buf, size_t n, int flag, size_t len,
	const char *fmt, const void *st);
int mr_va_snprintf_chk(char *buf, size_t n, int flag, size_t len,
	const char *fmt, const void *st)
{
	return mr_va_vsnprintf_chk(buf, n, flag, len, fmt, st);
}

int mr_va_scanf(const char *fmt, const void *st);
int mr_va_scanf(const char *fmt, const void *st)
{
	return mr_va_vscanf(fmt, st);
}

int mr_va_fscanf(FILE *f, const char *fmt, const void *st);
int mr_va_fscanf(FILE *f, const char *fmt, const void *st)
{
	return mr_va_vfscanf(f, fmt, st);
}

int mr_va_sscanf(const char *s, const char *fmt, const void *st);
int mr_va_sscanf(const char *s, const char *fmt, const void *st)
{
	return mr_va_vsscanf(s, fmt, st);
}

/* The optional argument is read from its slot whether or not the caller
 * passed one: the slot lies in the caller's frame, so it is readable. */

int mr_va_open(const char *path, int flags, const void *st);
int mr_va_open(const char *path, int flags, const void *st)
{
	return open(path, flags, (mode_t)slot0(st));
}

int mr_va_openat(int dirfd, const char *path, int flags, const void *st);
int mr_va_openat(int dirfd, const char *path, int flags, const void *st)
{
	return openat(dirfd, path, flags, (mode_t)slot0(st));
}

int mr_va_fcntl(int fd, int cmd, const void *st);
int mr_va_fcntl(int fd, int cmd, const void *st)
{
	return fcntl(fd, cmd, (void *)(uintptr_t)slot0(st));
}

int mr_va_ioctl(int fd, unsigned long req, const void *st);
int mr_va_ioctl(int fd, unsigned long req, const void *st)
{
	return ioctl(fd, req, (void *)(uintptr_t)slot0(st));
}

extern void mr_tramp_printf(void), mr_tramp_fprintf(void),
	mr_tramp_sprintf(void), mr_tramp_snprintf(void), mr_tramp_dprintf(void),
	mr_tramp_asprintf(void), mr_tramp_sprintf_chk(void),
	mr_tramp_snprintf_chk(void), mr_tramp_scanf(void),
	mr_tramp_fscanf(void), mr_tramp_sscanf(void), mr_tramp_open(void),
	mr_tramp_openat(void), mr_tramp_fcntl(void), mr_tramp_ioctl(void);

const struct mr_bridge mr_va_bridges[] = {
	{ "_printf", mr_tramp_printf },
	{ "_fprintf", mr_tramp_fprintf },
	{ "_sprintf", mr_tramp_sprintf },
	{ "_snprintf", mr_tramp_snprintf },
	{ "_dprintf", mr_tramp_dprintf },
	{ "_asprintf", mr_tramp_asprintf },
	{ "___sprintf_chk", mr_tramp_sprintf_chk },
	{ "___snprintf_chk", mr_tramp_snprintf_chk },
	{ "_scanf", mr_tramp_scanf },
	{ "_fscanf", mr_tramp_fscanf },
	{ "_sscanf", mr_tramp_sscanf },
	{ "_open", mr_tramp_open },
	{ "_open64", mr_tramp_open },
	{ "_openat", mr_tramp_openat },
	{ "_openat64", mr_tramp_openat },
	{ "_fcntl", mr_tramp_fcntl },
	{ "_fcntl64", mr_tramp_fcntl },
	{ "_ioctl", mr_tramp_ioctl },
	{ "_vprintf", (mr_fn)mr_va_vprintf },
	{ "_vfprintf", (mr_fn)mr_va_vfprintf },
	{ "_vsprintf", (mr_fn)mr_va_vsprintf },
	{ "_vsnprintf", (mr_fn)mr_va_vsnprintf },
	{ "_vdprintf", (mr_fn)mr_va_vdprintf },
	{ "_vasprintf", (mr_fn)mr_va_vasprintf },
	{ "___vsprintf_chk", (mr_fn)mr_va_vsprintf_chk },
	{ "___vsnprintf_chk", (mr_fn)mr_va_vsnprintf_chk },
	{ "_vscanf", (mr_fn)mr_va_vscanf },
	{ "_vfscanf", (mr_fn)mr_va_vfscanf },
	{ "_vsscanf", (mr_fn)mr_va_vsscanf },
};
const unsigned mr_va_nbridges = sizeof(mr_va_bridges) / sizeof(mr_va_bridges[0]);
