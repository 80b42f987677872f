/*
 * dump.c - the dump kinds' names and dump_render, which dispatches to the
 * per-format renderers (dump_fixups.c, dump_exports.c, dump_got.c,
 * dump_symbols.c, dump_map.c, dump_chained.c). Leaves out: any formatting of its own.
 */
#include <string.h>

#include "dump.h"
#include "dump_int.h"

struct dump_desc {
	const char *name;      /* --dump= name */
	const char *alias;     /* also accepted, or NULL */
	const char *file;      /* synthetic file name */
	int (*render)(const struct link_image *, struct buf *);
	/* or, for the tables read from the executable's bytes: */
	int (*render_exe)(const struct link_image *, const uint8_t *exe, size_t size,
			  struct buf *);
};

static const struct dump_desc kinds[DUMP_KIND_COUNT] = {
	[DUMP_REBASE] = { "rebase", NULL, "rebase.txt", dump_rebase },
	[DUMP_BIND] = { "bind", NULL, "bind.txt", dump_bind },
	[DUMP_LAZY_BIND] = { "lazy_bind", "lazy-bind", "lazy_bind.txt",
			     dump_lazy_bind },
	[DUMP_WEAK_BIND] = { "weak_bind", "weak-bind", "weak_bind.txt",
			     dump_weak_bind },
	[DUMP_EXPORTS] = { "exports", "exports-trie", "exports.txt",
			   dump_exports },
	[DUMP_GOT] = { "got", NULL, "got.txt", dump_got },
	[DUMP_STUBS] = { "stubs", NULL, "stubs.txt", dump_stubs },
	[DUMP_SYMBOLS] = { "symbols", "syms", "symbols.txt", dump_symbols },
	[DUMP_MAP] = { "map", NULL, "map.txt", dump_map },
	[DUMP_FIXUPS] = { "fixups", "dyld-info", "fixups.txt", NULL, dump_dyld_info },
	[DUMP_CHAINED_FIXUPS] = { "chained_fixups", "chained-fixups",
				  "chained_fixups.txt", NULL, dump_chained_fixups },
	[DUMP_CODESIGN] = { "codesign", NULL, "codesign.txt", NULL, dump_codesign },
};

const char *dump_file_name(enum dump_kind k)
{
	return (unsigned)k < DUMP_KIND_COUNT ? kinds[k].file : NULL;
}

const char *dump_kind_name(enum dump_kind k)
{
	return (unsigned)k < DUMP_KIND_COUNT ? kinds[k].name : NULL;
}

int dump_kind_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int k = 0; k < DUMP_KIND_COUNT; k++) {
		const struct dump_desc *d = &kinds[k];
		if (!strcmp(name, d->name) || !strcmp(name, d->file) ||
		    (d->alias && !strcmp(name, d->alias)))
			return k;
	}
	return -1;
}

int dump_render_exe(const struct link_image *img, enum dump_kind k, const uint8_t *exe,
		    size_t size, struct buf *out)
{
	if (!img || (unsigned)k >= DUMP_KIND_COUNT)
		return -1;
	if (link_image_wait_records(img))
		return -1;
	int rc;
	if (kinds[k].render_exe)
		rc = exe ? kinds[k].render_exe(img, exe, size, out) : -1;
	else
		rc = kinds[k].render(img, out);
	return rc < 0 || buf_failed(out) ? -1 : 0;
}

int dump_render(const struct link_image *img, enum dump_kind k, struct buf *out)
{
	return dump_render_exe(img, k, img ? img->bytes : NULL, img ? img->size : 0, out);
}
