/*
 * unwind_input.c - reads each object's __LD,__compact_unwind entries and
 * __eh_frame records into struct unwind_file (unwind_input.h), bounds-
 * checked as hostile input, one object per task on the link's threads.
 *
 * A compact unwind entry is 32 bytes: function, length, encoding,
 * personality, LSDA. Its function and LSDA come from section (or symbol)
 * relocations, its personality from a symbol relocation.
 *
 * An __eh_frame record is a CIE or an FDE (DWARF's call frame
 * information, with the GNU augmentations "zPLRSB"). Pointers an FDE holds
 * (its function and its LSDA) are pc-relative, either written in the
 * bytes (clang on x86_64) or given by a SUBTRACTOR/UNSIGNED pair (arm64,
 * ld -r); a CIE's personality is a GOT relocation. Each is turned into
 * (atom, offset) so eh_frame.c can write it again at its output address.
 *
 * Leaves out, with an error naming the file and offset: 64-bit DWARF
 * lengths, the "eh" augmentation, CIE pointers given by relocations,
 * pointers that are not pc-relative, personalities given by section
 * relocations.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/bytes.h"
#include "../base/macho.h"
#include "../dyld/leb.h"
#include "ctx.h"
#include "unwind_input.h"

#define CU_ENTRY_SIZE 32
#define UNWIND_MODE_MASK 0x0F000000u
#define UNWIND_PERSONALITY_MASK 0x30000000u
#define DW_EH_PE_OMIT 0xffu
#define DW_EH_PE_PCREL 0x10u
#define DW_EH_PE_INDIRECT_PCREL_SDATA4 0x9bu

struct reader {
	struct link_ctx *c;
	struct input_file *f;
	struct diag *d;
	struct arena *ar;
};

static int is_compact_unwind(const struct obj_section *s)
{
	return !strcmp(s->segname, "__LD") && !strcmp(s->sectname, "__compact_unwind");
}

static int is_eh_frame(const struct obj_section *s)
{
	return !strcmp(s->sectname, "__eh_frame");
}

/* The atom of f holding object address addr in a linked section, and
 * the offset in it; NULL when no linked section holds it. */
static struct atom *atom_of(struct input_file *f, uint64_t addr, uint64_t *off)
{
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (addr < s->addr || addr - s->addr >= s->size)
			continue;
		if (!f->sect_kept[si])
			return NULL;
		struct atom *a = atom_at(f, si, addr - s->addr);
		if (!a)
			return NULL;
		*off = addr - s->addr - a->off;
		return a;
	}
	return NULL;
}

/* The atom of a symbol relocation's target, or NULL. */
static struct atom *symbol_atom(struct input_file *f, uint32_t symnum, uint64_t add,
				uint64_t *off)
{
	struct symbol *s = f->syms[symnum];
	if (!s || s->kind != SYM_DEFINED || !s->atom || !s->atom->file ||
	    s->atom->sect == UINT32_MAX)
		return NULL;
	*off = s->atom_off + add;
	return s->atom;
}

/* --- __compact_unwind --- */

static int cu_error(struct reader *r, uint32_t si, uint64_t off, const char *what)
{
	return diag_error(r->d, "'%s': __LD,__compact_unwind (section %u) offset 0x%llx: %s",
			  r->f->name, si + 1, (unsigned long long)off, what);
}

/* Reads the entries of section si into out[]; returns how many, or -1. */
static long read_cu(struct reader *r, uint32_t si, struct cu_entry *out)
{
	struct input_file *f = r->f;
	const struct obj_section *s = &f->obj.sections[si];
	if (!s->data || s->size % CU_ENTRY_SIZE) {
		diag_warn(r->d, "'%s': __LD,__compact_unwind size 0x%llx is not a multiple of %u; its unwind info is ignored",
			  f->name, (unsigned long long)s->size, CU_ENTRY_SIZE);
		return 0;
	}
	size_t nent = s->size / CU_ENTRY_SIZE;
	/* per entry: its function, personality and LSDA relocations */
	const struct obj_reloc **rel = calloc(3 * nent + 1, sizeof *rel);
	if (!rel)
		return diag_error(r->d, "out of memory");
	const struct obj_reloc *rv = f->obj.relocs + s->reloc_first;
	for (uint32_t i = 0; i < s->nrelocs; i++) {
		uint32_t field = rv[i].offset % CU_ENTRY_SIZE, k = rv[i].offset / CU_ENTRY_SIZE;
		int slot = field == 0 ? 0 : field == 16 ? 1 : field == 24 ? 2 : -1;
		if (slot < 0 || rv[i].length != 3) {
			free(rel);
			return cu_error(r, si, rv[i].offset, "a relocation that is not on a function, personality or LSDA field");
		}
		rel[3 * k + (uint32_t)slot] = &rv[i];
	}
	long n = 0;
	for (size_t k = 0; k < nent; k++) {
		const uint8_t *e = s->data + k * CU_ENTRY_SIZE;
		uint64_t at = k * CU_ENTRY_SIZE;
		uint32_t enc = rd32(e + 12);
		if ((enc & UNWIND_MODE_MASK) == r->c->ops->unwind_mode_dwarf)
			continue; /* the function's FDE stands for it */
		struct cu_entry *u = &out[n];
		memset(u, 0, sizeof *u);
		const struct obj_reloc *fr = rel[3 * k], *pr = rel[3 * k + 1],
				       *lr = rel[3 * k + 2];
		if (!fr)
			u->fn = atom_of(f, rd64(e), &u->fn_off);
		else if (fr->is_extern)
			u->fn = symbol_atom(f, fr->symbolnum, rd64(e), &u->fn_off);
		else
			u->fn = atom_of(f, rd64(e), &u->fn_off);
		if (!u->fn || u->fn->coalesced)
			continue; /* a function not in the link */
		if (pr) {
			if (!pr->is_extern || !f->syms[pr->symbolnum]) {
				n = cu_error(r, si, at + 16, "a personality function given without a symbol is not supported");
				break;
			}
			u->pers = f->syms[pr->symbolnum];
		} else if (rd64(e + 16)) {
			n = cu_error(r, si, at + 16, "a personality address without a relocation");
			break;
		}
		if (lr || rd64(e + 24)) {
			if (lr && lr->is_extern)
				u->lsda = symbol_atom(f, lr->symbolnum, rd64(e + 24), &u->lsda_off);
			else
				u->lsda = atom_of(f, rd64(e + 24), &u->lsda_off);
			if (!u->lsda) {
				n = cu_error(r, si, at + 24, "the LSDA is in no linked section");
				break;
			}
		}
		u->len = rd32(e + 8);
		u->enc = enc & ~UNWIND_PERSONALITY_MASK;
		n++;
	}
	free(rel);
	return n;
}

/* --- __eh_frame --- */

struct eh_reader {
	struct reader *r;
	uint32_t si;
	const struct obj_section *s;
	const struct obj_reloc *rel;   /* the section's relocations */
	uint32_t *order;               /* their indices by offset */
	uint8_t *claimed;              /* per relocation: read as a field */
};

static int eh_error(struct eh_reader *e, uint64_t off, const char *what)
{
	return diag_error(e->r->d, "'%s': __eh_frame offset 0x%llx: %s", e->r->f->name,
			  (unsigned long long)off, what);
}

static int cmp_reloc_off(const void *a, const void *b, void *arg)
{
	const struct obj_reloc *rel = arg;
	uint32_t x = rel[*(const uint32_t *)a].offset, y = rel[*(const uint32_t *)b].offset;
	if (x != y)
		return x < y ? -1 : 1;
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

/* Index (in e->order) of the first relocation at offset off, or -1. */
static long reloc_at(const struct eh_reader *e, uint32_t off)
{
	uint32_t lo = 0, hi = e->s->nrelocs;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (e->rel[e->order[mid]].offset < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->s->nrelocs && e->rel[e->order[lo]].offset == off ? (long)lo : -1;
}

/* Size in bytes of a pointer of DWARF encoding enc, or 0 if unsupported. */
static uint8_t enc_size(uint8_t enc)
{
	switch (enc & 0x0f) {
	case 0x00: /* absptr */
	case 0x04: /* udata8 */
	case 0x0c: /* sdata8 */
		return 8;
	case 0x03: /* udata4 */
	case 0x0b: /* sdata4 */
		return 4;
	default:
		return 0;
	}
}

static int64_t read_field(const uint8_t *p, uint8_t size)
{
	return size == 8 ? (int64_t)rd64(p) : (int64_t)(int32_t)rd32(p);
}

/* An extern relocation's symbol as an object address (0 for a section
 * relocation, whose address is in the field). */
static int reloc_term(struct eh_reader *e, const struct obj_reloc *x, uint64_t *v)
{
	*v = 0;
	if (!x->is_extern)
		return 0;
	const struct obj_symbol *ns = &e->r->f->obj.symbols[x->symbolnum];
	if ((ns->type & N_TYPE) != N_SECT)
		return eh_error(e, x->offset, "a pointer relocated against a symbol that is not defined in the object");
	*v = ns->value;
	return 0;
}

/* The object address the pc-relative pointer of `size` bytes at section
 * offset off points to: the bytes, or a SUBTRACTOR/UNSIGNED pair. */
static int pcrel_target(struct eh_reader *e, uint32_t off, uint8_t size, uint64_t *out)
{
	uint64_t p = e->s->addr + off;
	int64_t v = read_field(e->s->data + off, size);
	long k = reloc_at(e, off);
	if (k >= 0) {
		const struct reloc_type_info *ri =
			reloc_info(e->r->c->arch, e->rel[e->order[k]].type);
		if (!ri || !(ri->attrs & RA_SUBTRAHEND) || (uint32_t)k + 1 >= e->s->nrelocs)
			return eh_error(e, off, "a relocation linkfs does not read on an FDE pointer");
		const struct obj_reloc *sub = &e->rel[e->order[k]],
				       *min = &e->rel[e->order[k + 1]];
		const struct reloc_type_info *mi = reloc_info(e->r->c->arch, min->type);
		if (min->offset != off || !mi || !(mi->attrs & RA_UNSIGNED) ||
		    (1u << sub->length) != size || (1u << min->length) != size)
			return eh_error(e, off, "a SUBTRACTOR that is not paired with an UNSIGNED of the pointer's size");
		uint64_t a, b;
		if (reloc_term(e, min, &a) || reloc_term(e, sub, &b))
			return -1;
		e->claimed[e->order[k]] = e->claimed[e->order[k + 1]] = 1;
		v += (int64_t)(a - b);
	}
	*out = p + (uint64_t)v;
	return 0;
}

/* Parses the CIE at rec->off (record bytes [off, end)). */
static int read_cie(struct eh_reader *e, struct eh_record *rec, uint32_t end)
{
	const uint8_t *d = e->s->data;
	size_t pos = rec->off + 8;
	const char *err;
	if (pos >= end || (d[pos] != 1 && d[pos] != 3))
		return eh_error(e, rec->off, "CIE version is not 1 or 3");
	uint8_t version = d[pos++];
	const char *aug = (const char *)d + pos;
	const uint8_t *nul = memchr(d + pos, 0, end - pos);
	if (!nul)
		return eh_error(e, rec->off, "CIE augmentation string runs past the record");
	pos = (size_t)(nul - d) + 1;
	uint64_t u;
	int64_t sv;
	if (uleb_get(d, end, &pos, &u, &err) || sleb_get(d, end, &pos, &sv, &err))
		return eh_error(e, rec->off, err);
	if (version == 1) {
		if (pos >= end)
			return eh_error(e, rec->off, "CIE ends before its return address register");
		pos++;
	} else if (uleb_get(d, end, &pos, &u, &err)) {
		return eh_error(e, rec->off, err);
	}
	if (!aug[0])
		return eh_error(e, rec->off, "CIE without augmentation data: its FDE pointers are not pc-relative");
	if (aug[0] != 'z')
		return eh_error(e, rec->off, "CIE augmentation does not start with 'z'");
	uint64_t auglen;
	if (uleb_get(d, end, &pos, &auglen, &err))
		return eh_error(e, rec->off, err);
	if (auglen > end - pos)
		return eh_error(e, rec->off, "CIE augmentation data runs past the record");
	size_t augend = pos + auglen;
	for (const char *a = aug + 1; *a; a++) {
		uint8_t enc;
		switch (*a) {
		case 'P':
			if (pos + 5 > augend || d[pos] != DW_EH_PE_INDIRECT_PCREL_SDATA4)
				return eh_error(e, rec->off, "CIE personality encoding is not 0x9b (indirect pc-relative sdata4)");
			rec->pers_field = (uint32_t)(pos + 1 - rec->off);
			pos += 5;
			break;
		case 'L':
		case 'R':
			if (pos >= augend)
				return eh_error(e, rec->off, "CIE augmentation data ends early");
			enc = d[pos++];
			if (*a == 'L' && enc == DW_EH_PE_OMIT)
				break;
			if ((enc & 0x70) != DW_EH_PE_PCREL || !enc_size(enc))
				return eh_error(e, rec->off, "CIE pointer encoding is not pc-relative with 4 or 8 bytes");
			if (*a == 'L')
				rec->lsda_size = enc_size(enc);
			else
				rec->ptr_size = enc_size(enc);
			break;
		case 'S':
		case 'B':
			break;
		default:
			return eh_error(e, rec->off, "CIE augmentation has a letter linkfs does not read");
		}
	}
	if (!rec->ptr_size)
		return eh_error(e, rec->off, "CIE gives no pointer encoding ('R'): its FDE pointers are not pc-relative");
	if (rec->pers_field) {
		uint32_t at = rec->off + rec->pers_field;
		long k = reloc_at(e, at);
		const struct obj_reloc *x = k >= 0 ? &e->rel[e->order[k]] : NULL;
		const struct reloc_type_info *ri = x ? reloc_info(e->r->c->arch, x->type) : NULL;
		if (!x || !x->is_extern || !ri || !(ri->attrs & RA_GOT) || x->length != 2 ||
		    !e->r->f->syms[x->symbolnum])
			return eh_error(e, at, "CIE personality has no GOT relocation to a symbol");
		e->claimed[e->order[k]] = 1;
		rec->pers = e->r->f->syms[x->symbolnum];
		rec->pers_reloc = e->order[k];
	}
	return 0;
}

/* Parses the FDE at rec->off whose CIE is cie. */
static int read_fde(struct eh_reader *e, struct eh_record *rec, const struct eh_record *cie,
		    uint32_t end)
{
	const uint8_t *d = e->s->data;
	uint8_t ps = cie->ptr_size;
	uint32_t pc = rec->off + 8;
	if ((uint64_t)pc + 2u * ps > end)
		return eh_error(e, rec->off, "FDE ends before its address range");
	uint64_t fn;
	if (pcrel_target(e, pc, ps, &fn))
		return -1;
	rec->pc_range = ps == 8 ? rd64(d + pc + ps) : rd32(d + pc + ps);
	rec->fn = atom_of(e->r->f, fn, &rec->fn_off);
	if (!rec->fn)
		return eh_error(e, pc, "FDE's function is in no linked section");
	size_t pos = pc + 2u * ps;
	if (cie->lsda_size || cie->pers_field) {
		uint64_t auglen;
		const char *err;
		if (uleb_get(d, end, &pos, &auglen, &err))
			return eh_error(e, rec->off, err);
		if (auglen > end - pos || auglen < cie->lsda_size)
			return eh_error(e, rec->off, "FDE augmentation data does not fit");
		if (cie->lsda_size) {
			uint32_t lf = (uint32_t)pos;
			uint64_t lsda;
			if (read_field(d + lf, cie->lsda_size) || reloc_at(e, lf) >= 0) {
				if (pcrel_target(e, lf, cie->lsda_size, &lsda))
					return -1;
				rec->lsda = atom_of(e->r->f, lsda, &rec->lsda_off);
				if (!rec->lsda)
					return eh_error(e, lf, "FDE's LSDA is in no linked section");
				rec->lsda_field = lf - rec->off;
			}
		}
	}
	return 0;
}

/* Counts the records of the section, checking their lengths; -1 on error. */
static long count_records(struct eh_reader *e)
{
	long n = 0;
	uint64_t off = 0, size = e->s->size;
	while (off < size) {
		if (size - off < 4)
			return eh_error(e, off, "a record length runs past the section end");
		uint32_t len = rd32(e->s->data + off);
		if (len == 0)
			break; /* a terminator: nothing after it is read */
		if (len == 0xffffffffu)
			return eh_error(e, off, "64-bit DWARF records are not supported");
		if (len < 4 || len > size - off - 4)
			return eh_error(e, off, "record length runs past the section end");
		n++;
		off += 4 + (uint64_t)len;
	}
	return n;
}

static long find_record(const struct eh_record *v, long n, uint32_t off)
{
	long lo = 0, hi = n;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (v[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].off == off ? lo : -1;
}

static int read_eh(struct reader *r, uint32_t si, struct unwind_file *uf)
{
	struct eh_reader e = { r, si, &r->f->obj.sections[si], NULL, NULL, NULL };
	if (!e.s->data || e.s->size > UINT32_MAX)
		return eh_error(&e, 0, "section has no contents or is over 4 GiB");
	e.rel = r->f->obj.relocs + e.s->reloc_first;
	long n = count_records(&e);
	if (n <= 0)
		return (int)n;
	e.order = malloc(((size_t)e.s->nrelocs + 1) * sizeof *e.order);
	e.claimed = calloc((size_t)e.s->nrelocs + 1, 1);
	struct eh_record *v = arena_alloc(r->ar, (size_t)n * sizeof *v);
	int rc = 0;
	if (!e.order || !e.claimed || !v) {
		rc = diag_error(r->d, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < e.s->nrelocs; i++)
		e.order[i] = i;
	qsort_r(e.order, e.s->nrelocs, sizeof *e.order, cmp_reloc_off, (void *)e.rel);
	memset(v, 0, (size_t)n * sizeof *v);
	uint32_t off = 0;
	for (long i = 0; i < n; i++) {
		v[i].off = off;
		v[i].size = 4 + rd32(e.s->data + off);
		off += v[i].size;
	}
	for (long i = 0; i < n && !rc; i++) {
		struct eh_record *x = &v[i];
		uint32_t end = x->off + x->size;
		if (x->size < 8) {
			rc = eh_error(&e, x->off, "record too short for a CIE pointer");
			break;
		}
		uint32_t id = rd32(e.s->data + x->off + 4);
		if (reloc_at(&e, x->off + 4) >= 0) {
			rc = eh_error(&e, x->off + 4, "a CIE pointer given by a relocation is not supported");
			break;
		}
		if (id == 0) {
			x->is_cie = 1;
			x->cie = (uint32_t)i;
			rc = read_cie(&e, x, end);
			continue;
		}
		long ci = id <= x->off + 4 ? find_record(v, i, x->off + 4 - id) : -1;
		if (ci < 0 || !v[ci].is_cie) {
			rc = eh_error(&e, x->off + 4, "FDE's CIE pointer does not point at an earlier CIE");
			break;
		}
		x->cie = (uint32_t)ci;
		rc = read_fde(&e, x, &v[ci], end);
	}
	for (uint32_t i = 0; i < e.s->nrelocs && !rc; i++)
		if (!e.claimed[i])
			rc = eh_error(&e, e.rel[i].offset, "a relocation that is not on a pointer linkfs reads");
	if (!rc) {
		uf->eh = v;
		uf->neh = (uint32_t)n;
		uf->eh_sect = si;
	}
out:
	free(e.order);
	free(e.claimed);
	return rc;
}

/* --- both, per file --- */

static int cmp_fn(const void *x, const void *y)
{
	const struct cu_entry *a = x, *b = y;
	if (a->fn != b->fn)
		return (uintptr_t)a->fn < (uintptr_t)b->fn ? -1 : 1;
	return a->fn_off < b->fn_off ? -1 : a->fn_off > b->fn_off;
}

/* Marks the FDEs whose function has a compact entry (lld drops those). */
static int mark_covered(struct unwind_file *uf)
{
	if (!uf->ncu || !uf->neh)
		return 0;
	struct cu_entry *k = malloc(uf->ncu * sizeof *k);
	if (!k)
		return -1;
	memcpy(k, uf->cu, uf->ncu * sizeof *k);
	qsort(k, uf->ncu, sizeof *k, cmp_fn);
	for (uint32_t i = 0; i < uf->neh; i++) {
		struct eh_record *x = &uf->eh[i];
		if (x->is_cie)
			continue;
		struct cu_entry key = { .fn = x->fn, .fn_off = x->fn_off };
		x->covered = bsearch(&key, k, uf->ncu, sizeof *k, cmp_fn) != NULL;
	}
	free(k);
	return 0;
}

static int read_file(struct reader *r)
{
	struct input_file *f = r->f;
	size_t room = 0;
	int has_eh = 0;
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (is_compact_unwind(s))
			room += s->size / CU_ENTRY_SIZE;
		else if (is_eh_frame(s))
			has_eh = 1;
	}
	if (!room && !has_eh)
		return 0;
	struct unwind_file *uf = arena_alloc(r->ar, sizeof *uf);
	struct cu_entry *cu = room ? arena_alloc(r->ar, room * sizeof *cu) : NULL;
	if (!uf || (room && !cu))
		return diag_error(r->d, "out of memory");
	memset(uf, 0, sizeof *uf);
	uf->cu = cu;
	for (uint32_t si = 0; si < f->obj.nsections; si++) {
		const struct obj_section *s = &f->obj.sections[si];
		if (is_compact_unwind(s)) {
			long n = read_cu(r, si, cu + uf->ncu);
			if (n < 0)
				return -1;
			uf->ncu += (uint32_t)n;
		} else if (is_eh_frame(s)) {
			if (uf->eh)
				return diag_error(r->d, "'%s': more than one __eh_frame section", f->name);
			if (read_eh(r, si, uf))
				return -1;
		}
	}
	if (mark_covered(uf))
		return diag_error(r->d, "out of memory");
	f->unwind = uf;
	return 0;
}

struct read_job {
	struct link_ctx *c;
	struct diag *diags;
};

static void read_task(void *arg, size_t i, int worker)
{
	struct read_job *j = arg;
	struct reader r = { j->c, j->c->files[i], &j->diags[i], worker_arena(j->c, worker) };
	diag_init(r.d);
	read_file(&r);
}

int unwind_read_inputs(struct link_ctx *c)
{
	if (!c->nfiles)
		return 0;
	struct read_job j = { c, calloc(c->nfiles, sizeof *j.diags) };
	if (!j.diags)
		return diag_error(c->diag, "out of memory");
	par_for(c->nthreads, c->nfiles, 0, read_task, &j);
	int rc = 0;
	for (size_t i = 0; i < c->nfiles; i++) {
		rc |= j.diags[i].nerrors ? -1 : 0;
		diag_append(c->diag, &j.diags[i]);
		diag_release(&j.diags[i]);
	}
	free(j.diags);
	return rc;
}
