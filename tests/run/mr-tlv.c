/*
 * mr-tlv.c - thread-local variables of a Mach-O image.
 *
 * A descriptor in an S_THREAD_LOCAL_VARIABLES section is {thunk, key,
 * offset}. The runner points every thunk at mr_tlv_get_addr (mr-tlv.S on
 * x86_64, mr-tlv-arm64.S on arm64), which calls mr_tlv_addr: each thread
 * gets one block, copied on first use from the template (all S_THREAD_LOCAL_REGULAR and _ZEROFILL sections, from
 * the start of the first to the end of the last), and the variable lives at
 * block + offset. Left out: thread-local initializer functions
 * (S_THREAD_LOCAL_INIT_FUNCTION_POINTERS, a C++ feature), freeing blocks
 * at thread exit, and thread-local variables in more than one image (the
 * second is refused).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"

static const struct mr_image *owner; /* the image with the template */
static const uint8_t *tmpl;     /* host address of the template */
static uint64_t tmpl_size;
static __thread uint8_t *block; /* this thread's copy */

/* Called from mr_tlv_get_addr with every register saved. */
void *mr_tlv_addr(const uint8_t *desc);
void *mr_tlv_addr(const uint8_t *desc)
{
	uint64_t off;

	if (!block) {
		block = malloc(tmpl_size ? tmpl_size : 1);
		if (!block) {
			fputs("macho-run: out of memory for thread-local "
				"variables\n", stderr);
			abort();
		}
		if (tmpl_size)
			memcpy(block, tmpl, tmpl_size);
	}
	memcpy(&off, desc + 16, 8);
	return block + off; /* off was checked by mr_tlv_setup */
}

int mr_tlv_setup(struct mr_image *img)
{
	uint64_t lo = 0, hi = 0;
	int have = 0;

	for (unsigned i = 0; i < img->nsect; i++) {
		const struct mr_section *x = &img->sect[i];
		uint32_t t = x->flags & MR_S_TYPE_MASK;
		if (t != MR_S_THREAD_LOCAL_REGULAR && t != MR_S_THREAD_LOCAL_ZEROFILL)
			continue;
		if (!have || x->addr < lo)
			lo = x->addr;
		if (!have || x->addr + x->size > hi)
			hi = x->addr + x->size;
		have = 1;
	}
	if (have && owner) {
		mr_error(img, "thread-local variables in more than one image (also "
			"in '%s') are not supported", owner->path);
		return -1;
	}
	if (have) {
		const struct mr_segment *s = NULL;
		owner = img;
		unsigned si;
		for (si = 0; si < img->nseg; si++) {
			s = &img->seg[si];
			if (lo >= s->vmaddr && lo - s->vmaddr < s->vmsize)
				break;
		}
		if (si == img->nseg) {
			mr_error(img, "thread-local template is not in a segment");
			return -1;
		}
		tmpl = mr_image_ptr(img, si, lo - s->vmaddr, hi - lo, 0,
			"thread-local template");
		if (!tmpl)
			return -1;
		tmpl_size = hi - lo;
		mr_note(img, "thread-local template 0x%" PRIx64 "-0x%" PRIx64,
			lo, hi);
	}

	for (unsigned i = 0; i < img->nsect; i++) {
		const struct mr_section *x = &img->sect[i];
		if ((x->flags & MR_S_TYPE_MASK) != MR_S_THREAD_LOCAL_VARIABLES)
			continue;
		if (x->size % 24) {
			mr_error(img, "section '%s,%s' is not a whole number of "
				"thread-local descriptors", x->segname, x->sectname);
			return -1;
		}
		uint8_t *d = mr_image_ptr(img, x->seg,
			x->addr - img->seg[x->seg].vmaddr, x->size, 1,
			"thread-local descriptors");
		if (!d)
			return -1;
		for (uint64_t k = 0; k < x->size; k += 24) {
			uint64_t thunk = (uint64_t)(uintptr_t)mr_tlv_get_addr, off;
			memcpy(&off, d + k + 16, 8);
			if (off >= tmpl_size && !(off == 0 && tmpl_size == 0)) {
				mr_error(img, "thread-local descriptor at 0x%" PRIx64
					" has offset 0x%" PRIx64 " outside the template "
					"(size 0x%" PRIx64 ")", x->addr + k, off, tmpl_size);
				return -1;
			}
			memcpy(d + k, &thunk, 8);
			memset(d + k + 8, 0, 8);
		}
	}
	return 0;
}
