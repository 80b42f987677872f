/*
 * check-object.c - runs obj_parse() on one file and prints the result:
 * the diagnostics (exit 1) or "ok" with counts (exit 0). On success it also
 * walks every section byte, symbol name and relocation to re-check the
 * invariants object.h promises (exit 3 if one does not hold), so ASan sees
 * any read the parser let through. The file is read into a buffer of
 * exactly its size, so a parser read past the end trips ASan too.
 * Usage: check-object FILE. Exit 2 on usage or I/O errors.
 * Leaves out: everything after parsing (resolution, layout).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macho.h"
#include "input/object.h"

static uint8_t *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *b = malloc(cap);
	size_t k;
	while (b && (k = fread(b + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			uint8_t *nb = realloc(b, cap *= 2);
			if (!nb)
				free(b);
			b = nb;
		}
	}
	fclose(f);
	if (!b)
		return NULL;
	/* exact-size copy: reads past the end hit the ASan redzone */
	uint8_t *e = malloc(n ? n : 1);
	if (e)
		memcpy(e, b, n);
	free(b);
	*size = n;
	return e;
}

static int invariants(const struct obj_file *o)
{
	unsigned sum = 0;
	for (uint32_t i = 0; i < o->nsections; i++) {
		const struct obj_section *s = &o->sections[i];
		if (s->align > 15 || strlen(s->segname) > 16 ||
		    strlen(s->sectname) > 16)
			return 1;
		if (section_is_zerofill(s->flags) != (s->data == NULL))
			return 1;
		for (uint64_t b = 0; s->data && b < s->size; b++)
			sum += s->data[b];
		if ((uint64_t)s->reloc_first + s->nrelocs > o->nrelocs)
			return 1;
		for (uint32_t j = 0; j < s->nrelocs; j++) {
			const struct obj_reloc *r = &o->relocs[s->reloc_first + j];
			if ((uint64_t)r->offset + (1u << r->length) > s->size)
				return 1;
			if (r->is_extern && r->symbolnum >= o->nsymbols)
				return 1;
		}
	}
	for (uint32_t i = 0; i < o->nsymbols; i++) {
		const struct obj_symbol *y = &o->symbols[i];
		sum += (unsigned)strlen(y->name);
		if (!(y->type & N_STAB) && (y->type & N_TYPE) == N_SECT) {
			if (y->sect < 1 || y->sect > o->nsections)
				return 1;
			const struct obj_section *s = &o->sections[y->sect - 1];
			if (y->value < s->addr || y->value - s->addr > s->size)
				return 1;
		}
	}
	(void)sum;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: check-object FILE\n");
		return 2;
	}
	size_t size = 0;
	uint8_t *data = slurp(argv[1], &size);
	if (!data) {
		fprintf(stderr, "cannot read '%s'\n", argv[1]);
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct obj_file o;
	int rc;
	if (obj_parse(&o, argv[1], data, size, &d) != 0) {
		fwrite(d.text.data, 1, d.text.len, stdout);
		rc = d.nerrors == 1 ? 1 : 4; /* exactly one error per file */
	} else if (invariants(&o)) {
		printf("invariant broken after a successful parse\n");
		obj_release(&o);
		rc = 3;
	} else {
		printf("ok sections=%" PRIu32 " symbols=%" PRIu32 " relocs=%"
		       PRIu32 " dice=%" PRIu32 " platform=%" PRIu32
		       " minos=0x%" PRIx32 " sdk=0x%" PRIx32 "\n",
		       o.nsections, o.nsymbols, o.nrelocs, o.ndice, o.platform,
		       o.minos, o.sdk);
		obj_release(&o);
		rc = 0;
	}
	diag_release(&d);
	free(data);
	return rc;
}
