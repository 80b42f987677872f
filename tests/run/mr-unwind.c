/*
 * mr-unwind.c - give the host unwinder (libgcc_s, which libstdc++'s
 * __cxa_throw uses) what it needs to unwind through the image: one block
 * of DWARF call frame information, registered with __register_frame.
 *
 * The block, in pages mapped next to the image, holds
 *   1. a copy of __TEXT,__eh_frame (mr-eh-frame.c), and
 *   2. FDEs made from __TEXT,__unwind_info: one per function whose compact
 *      encoding is not DWARF mode (mr-unwind-info.c reads the table,
 *      mr-cu-<arch>.c turns the encoding into CFA instructions). Their CIEs
 *      ("zPLR", or "zR" without a personality) use absolute pointers: the
 *      personality indirectly through its slot (the GOT entry that
 *      __unwind_info's personality array names), the LSDA directly,
 *   3. the zero word that ends the records for __register_frame.
 * So a function is unwound by its compact encoding if it has one, by its
 * FDE if the encoding says DWARF or is missing, as Apple's libunwind does.
 *
 * Nothing is registered without either section, or with --no-eh-frame (a
 * throw then finds no handler). Refused (exit 125): a malformed section, a
 * personality slot or LSDA outside the image, an encoding the runner
 * cannot express, no room next to the image, no libgcc_s.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mr.h"

#define LIBGCC_S "libgcc_s.so.1"
#define CIE_MAX 48
#define FDE_MAX (32 + sizeof(((struct mr_cfa *)0)->b))

void mr_cfa_def(struct mr_cfa *c, unsigned reg, uint64_t off)
{
	mr_cfa_byte(c, 0x0c); /* DW_CFA_def_cfa */
	mr_cfa_uleb(c, reg);
	mr_cfa_uleb(c, off);
}

void mr_cfa_offset(struct mr_cfa *c, unsigned reg, uint64_t factored)
{
	if (reg < 64) {
		mr_cfa_byte(c, (uint8_t)(0x80 | reg)); /* DW_CFA_offset */
	} else {
		mr_cfa_byte(c, 0x05); /* DW_CFA_offset_extended */
		mr_cfa_uleb(c, reg);
	}
	mr_cfa_uleb(c, factored);
}

void mr_cfa_byte(struct mr_cfa *c, uint8_t b)
{
	if (c->n < sizeof(c->b))
		c->b[c->n] = b;
	else
		c->why = "too many CFA instructions";
	c->n++;
}

void mr_cfa_uleb(struct mr_cfa *c, uint64_t v)
{
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		mr_cfa_byte(c, (uint8_t)(b | (v ? 0x80 : 0)));
	} while (v);
}

int mr_cfa_bad(struct mr_cfa *c, const char *why)
{
	c->why = why;
	return -1;
}

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Appends a record whose body (after the length) is body[0..n), padded with
 * DW_CFA_nop to a multiple of 8. Returns the record's offset. */
static uint64_t put_record(uint8_t *buf, uint64_t *at, const uint8_t *body,
	size_t n)
{
	uint64_t start = *at;
	size_t len = (4 + n + 7) / 8 * 8 - 4;
	put32(buf + start, (uint32_t)len);
	memcpy(buf + start + 4, body, n);
	memset(buf + start + 4 + n, 0, len - n);
	*at = start + 4 + len;
	return start;
}

static uint64_t put_cie(uint8_t *buf, uint64_t *at, uint64_t personality)
{
	uint8_t b[CIE_MAX];
	size_t n = 0;
	static const char aug_p[] = "zPLR", aug_r[] = "zR";

	put32(b, 0); /* CIE id */
	n = 4;
	b[n++] = 1; /* version */
	memcpy(b + n, personality ? aug_p : aug_r,
		personality ? sizeof(aug_p) : sizeof(aug_r));
	n += personality ? sizeof(aug_p) : sizeof(aug_r);
	b[n++] = 1;    /* code alignment */
	b[n++] = 0x78; /* data alignment -8 */
	b[n++] = (uint8_t)mr_cu_ra_reg;
	if (personality) {
		b[n++] = 11;   /* augmentation data length */
		b[n++] = 0x80; /* personality: indirect, absolute */
		put64(b + n, personality);
		n += 8;
		b[n++] = 0x00; /* LSDA: absolute */
		b[n++] = 0x00; /* FDE pointers: absolute */
	} else {
		b[n++] = 1;
		b[n++] = 0x00;
	}
	return put_record(buf, at, b, n);
}

static int in_image(const struct mr_image *img, uint64_t addr, uint64_t n)
{
	uint64_t lo = img->vm_lo + img->slide, hi = img->vm_hi + img->slide;
	return addr >= lo && addr <= hi && hi - addr >= n;
}

/* Appends the FDEs made from the compact encodings, and their CIEs. */
static int synthesize(struct mr_image *img, const struct mr_cu_table *t,
	uint8_t *buf, uint64_t *at, unsigned *nmade)
{
	uint64_t cie_slot[4] = { 0 }, cie_at[4] = { 0 };
	unsigned ncie = 0;

	*nmade = 0;
	for (size_t k = 0; k < t->n; k++) {
		const struct mr_cu_entry *e = &t->e[k];
		struct mr_cfa cfa = { 0 };
		int rc = mr_cu_instructions(img, e, &cfa);
		if (rc == 0)
			continue;
		if (rc < 0 || cfa.why) {
			mr_error(img, "__unwind_info: encoding 0x%08" PRIx32 " of "
				"function 0x%" PRIx64 ": %s", e->enc,
				e->start - img->slide, cfa.why);
			return -1;
		}
		if ((e->personality && !in_image(img, e->personality, 8)) ||
		    (e->lsda && !in_image(img, e->lsda, 1)) ||
		    !mr_image_exec_addr(img, e->start)) {
			mr_error(img, "__unwind_info: function 0x%" PRIx64 ", its "
				"personality slot or its LSDA is outside the image",
				e->start - img->slide);
			return -1;
		}
		unsigned c = 0;
		while (c < ncie && cie_slot[c] != e->personality)
			c++;
		if (c == ncie) {
			cie_slot[c] = e->personality;
			cie_at[c] = put_cie(buf, at, e->personality);
			ncie++;
		}
		uint8_t b[FDE_MAX];
		size_t n = 0;
		put32(b, (uint32_t)(*at + 4 - cie_at[c])); /* CIE pointer */
		put64(b + 4, e->start);
		put64(b + 12, e->end - e->start);
		n = 20;
		if (e->personality) {
			b[n++] = 8;
			put64(b + n, e->lsda);
			n += 8;
		} else {
			b[n++] = 0;
		}
		memcpy(b + n, cfa.b, cfa.n);
		put_record(buf, at, b, n + cfa.n);
		(*nmade)++;
	}
	return 0;
}

/* Maps len bytes next to the image (after it, else before it), so that
 * 32-bit pc-relative pointers of the __eh_frame copy still reach it. NULL
 * if there is no room. */
static uint8_t *map_near(const struct mr_image *img, uint64_t len)
{
	uintptr_t base = (uintptr_t)img->base;
	uintptr_t tries[2] = { base + (img->vm_hi - img->vm_lo), base - len };
	for (int i = 0; i < 2; i++) {
		void *p = mmap((void *)tries[i], len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			continue;
		if ((uintptr_t)p == tries[i])
			return p;
		munmap(p, len);
	}
	return NULL;
}

int mr_unwind_register(struct mr_image *img, int skip)
{
	const struct mr_section *eh = mr_eh_frame_section(img);
	struct mr_cu_table t;
	unsigned nfde, ndisabled, nmade;
	int rc = -1;

	if (mr_unwind_info_read(img, &t))
		goto out;
	if (!eh && !t.n) {
		rc = 0;
		goto out;
	}
	if (skip) {
		mr_note(img, "unwind information not registered (--no-eh-frame)");
		rc = 0;
		goto out;
	}
	uint64_t eh_size = eh ? eh->size : 0;
	uint64_t len = eh_size + 4 * (4 + CIE_MAX + 8) +
		t.n * (4 + FDE_MAX + 8) + 4;
	len = (len + MR_PAGE - 1) & ~(uint64_t)(MR_PAGE - 1);
	uint8_t *buf = map_near(img, len);
	if (!buf) {
		mr_error(img, "cannot map 0x%" PRIx64 " bytes next to the image "
			"for its unwind information", len);
		goto out;
	}
	uint64_t at = eh_size;
	if (mr_eh_frame_copy(img, &t, buf, &nfde, &ndisabled) ||
	    synthesize(img, &t, buf, &at, &nmade))
		goto out;
	/* the zero word after the records is the mapping's */
	if (mprotect(buf, len, PROT_READ)) {
		mr_error(img, "cannot protect the unwind information");
		goto out;
	}
	void *gcc = dlopen(LIBGCC_S, RTLD_NOW | RTLD_GLOBAL);
	void *reg = gcc ? dlsym(gcc, "__register_frame") : NULL;
	if (!reg) {
		mr_error(img, "cannot register the unwind information: %s", gcc ?
			"no __register_frame in " LIBGCC_S : dlerror());
		goto out;
	}
	((void (*)(const void *))(uintptr_t)reg)(buf);
	mr_note(img, "registered unwind information at %p: __eh_frame copy "
		"(0x%" PRIx64 " bytes, %u FDEs, %u of them left to compact "
		"unwind), %u FDEs made from __unwind_info", (void *)buf, eh_size,
		nfde, ndisabled, nmade);
	rc = 0;
out:
	free(t.e);
	return rc;
}
