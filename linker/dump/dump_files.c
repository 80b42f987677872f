/*
 * dump_files.c - the table of the files a link makes (see dump_files.h):
 * one row per file, in readdir order. Leaves out: rendering (dump.c and
 * the renderers), the fs's inode numbers and the store.
 */
#include "dump_files.h"
#include "dump_int.h"

static const struct dump_file rows[] = {
	{ .name = "a.out", .role = DUMP_FILE_EXE },
	{ .name = "rebase.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_REBASE,
	  .dump_name = "rebase", .render = dump_rebase },
	{ .name = "bind.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_BIND,
	  .dump_name = "bind", .render = dump_bind },
	{ .name = "lazy_bind.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_LAZY_BIND,
	  .dump_name = "lazy_bind", .alias = "lazy-bind", .render = dump_lazy_bind },
	{ .name = "weak_bind.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_WEAK_BIND,
	  .dump_name = "weak_bind", .alias = "weak-bind", .render = dump_weak_bind },
	{ .name = "exports.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_EXPORTS,
	  .dump_name = "exports", .alias = "exports-trie", .render = dump_exports },
	{ .name = "got.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_GOT,
	  .dump_name = "got", .render = dump_got },
	{ .name = "stubs.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_STUBS,
	  .dump_name = "stubs", .render = dump_stubs },
	{ .name = "symbols.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_SYMBOLS,
	  .dump_name = "symbols", .alias = "syms", .render = dump_symbols },
	{ .name = "map.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_MAP,
	  .dump_name = "map", .render = dump_map },
	{ .name = "fixups.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_FIXUPS,
	  .dump_name = "fixups", .alias = "dyld-info", .render_exe = dump_dyld_info },
	{ .name = "chained_fixups.txt", .role = DUMP_FILE_TABLE,
	  .kind = DUMP_CHAINED_FIXUPS, .dump_name = "chained_fixups",
	  .alias = "chained-fixups", .render_exe = dump_chained_fixups },
	{ .name = "codesign.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_CODESIGN,
	  .dump_name = "codesign", .render_exe = dump_codesign },
	{ .name = "why.txt", .role = DUMP_FILE_TABLE, .kind = DUMP_WHY,
	  .dump_name = "why", .alias = "why_live", .render = dump_why },
	{ .name = "link.log", .role = DUMP_FILE_LOG },
};

_Static_assert(sizeof rows / sizeof rows[0] == DUMP_FILE_COUNT,
	       "one row per dump_kind, plus the executable and the log");

const struct dump_file *dump_file_at(int i)
{
	return i >= 0 && i < DUMP_FILE_COUNT ? &rows[i] : NULL;
}

const struct dump_file *dump_file_of_kind(enum dump_kind k)
{
	if ((unsigned)k >= DUMP_KIND_COUNT)
		return NULL;
	for (int i = 0; i < DUMP_FILE_COUNT; i++)
		if (rows[i].role == DUMP_FILE_TABLE && rows[i].kind == k)
			return &rows[i];
	return NULL;
}

int dump_file_stored(int i)
{
	const struct dump_file *f = dump_file_at(i);
	if (!f || f->role == DUMP_FILE_LOG)
		return -1;
	return f->role == DUMP_FILE_EXE ? DUMP_STORED_EXE : 1 + (int)f->kind;
}
