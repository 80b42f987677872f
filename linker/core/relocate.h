/*
 * relocate.h - what relocate.c (the generic relocation driver) lends the
 * architectures' relocate functions: messages, fixups and the addresses a
 * field may point at (a symbol, its GOT slot, its stub, its TLV pointer).
 */
#ifndef LINKFS_RELOCATE_H
#define LINKFS_RELOCATE_H

#include <stdint.h>

#include "arch.h"
#include "ctx.h"

/* "'a.o': X86_64_RELOC_BRANCH relocation at offset 0x10 of __TEXT,__text
 * referencing _foo: <what>"; returns -1. */
int site_error(const struct reloc_site *rs, const char *what);
/* The symbol an extern site refers to (NULL for a section-relative one). */
struct symbol *site_symbol(const struct reloc_site *rs);
/* Records a fixup at the site; -1 (with a message) on OOM. */
int site_fixup(const struct reloc_site *rs, enum fixup_kind k, struct symbol *s,
	       int64_t addend);
/* The output address a section-relative site points at (the arch's
 * local_target, mapped to the output); 0, or -1 with a message. */
int site_local_target(const struct link_ctx *c, const struct reloc_site *rs,
		      uint64_t *out);

/* Where a call to s lands: its stub if it has one, else s itself;
 * -1 (with a message) for an import without a stub. */
int branch_target(struct link_ctx *c, const struct reloc_site *rs, struct symbol *s,
		  uint64_t *out);

#endif
