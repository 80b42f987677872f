/*
 * test_synth_files.c - the one table of the files a link makes
 * (linker/dump/dump_files.c) and what the fs and the store derive from
 * it, without a mount.
 *
 * Checks: each file's name, readdir order (= inode index), role and
 * link_files idx are today's, so a mount lists, numbers and stores them
 * as before and kept results in existing stores still load
 * (docs/store.md); every dump_kind has one row; the stored indexes are
 * 0..STORE_NFILES-1, once each; names are plain (never *.o, *.a, *.tbd,
 * link.conf, the status file) and distinct; synth_name puts the output
 * name in the executable's place; result_file serves file k from its
 * stored file, and link.log from the log. Leaves out: the renderers
 * (test_dump) and the mount (fs-synthetic, fs-remount).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump/dump.h"
#include "names.h"
#include "result.h"
#include "check.h"

/* Today's files. A file added later may take any readdir place (inode
 * indexes live as long as a mount), but these keep their names, their
 * order, their roles and their link_files idx, which existing stores
 * hold (docs/store.md). */
static const struct {
	const char *name;
	int role;
	int stored;
} want[] = {
	{ "a.out", DUMP_FILE_EXE, 0 },
	{ "rebase.txt", DUMP_FILE_TABLE, 1 },
	{ "bind.txt", DUMP_FILE_TABLE, 2 },
	{ "lazy_bind.txt", DUMP_FILE_TABLE, 3 },
	{ "weak_bind.txt", DUMP_FILE_TABLE, 4 },
	{ "exports.txt", DUMP_FILE_TABLE, 5 },
	{ "got.txt", DUMP_FILE_TABLE, 6 },
	{ "stubs.txt", DUMP_FILE_TABLE, 7 },
	{ "symbols.txt", DUMP_FILE_TABLE, 8 },
	{ "map.txt", DUMP_FILE_TABLE, 9 },
	{ "fixups.txt", DUMP_FILE_TABLE, 10 },
	{ "chained_fixups.txt", DUMP_FILE_TABLE, 11 },
	{ "codesign.txt", DUMP_FILE_TABLE, 12 },
	{ "why.txt", DUMP_FILE_TABLE, 13 },
	{ "link.log", DUMP_FILE_LOG, -1 },
};
#define NWANT ((int)(sizeof want / sizeof want[0]))

static void test_today(void)
{
	CHECK(SYNTH_COUNT >= NWANT && STORE_NFILES >= NWANT - 1, "%d files, %d stored",
	      SYNTH_COUNT, STORE_NFILES);
	CHECK(STORE_EXE == 0, "STORE_EXE %d", STORE_EXE);
	int last = -1;
	for (int i = 0; i < NWANT; i++) {
		int k = synth_from_name(want[i].name, strlen(want[i].name), "a.out");
		CHECK(k > last, "%s: file %d, after %d", want[i].name, k, last);
		if (k < 0)
			continue;
		last = k;
		/* no file added: each has today's index, so today's inode */
		CHECK(SYNTH_COUNT != NWANT || k == i, "%s: file %d", want[i].name, k);
		CHECK(synth_role(k) == want[i].role, "%s role %d", want[i].name,
		      synth_role(k));
		CHECK(dump_file_stored(k) == want[i].stored, "%s stored %d",
		      want[i].name, dump_file_stored(k));
	}
	/* the inode of link.log in directory 2, as the kernel has seen it */
	CHECK(SYNTH_COUNT != NWANT || synth_ino(2, 14) == 0x400000000000002eull,
	      "ino %llx", (unsigned long long)synth_ino(2, 14));
	CHECK(synth_name(-1, "a.out") == NULL && synth_name(SYNTH_COUNT, "a.out") == NULL,
	      "out of range");
	CHECK(synth_role(SYNTH_COUNT) == -1 && dump_file_stored(SYNTH_COUNT) == -1,
	      "out of range");
}

static void test_table(void)
{
	int rows_of_kind[DUMP_KIND_COUNT] = { 0 };
	int stored_seen[STORE_NFILES] = { 0 };
	int exe = 0, log = 0;
	for (int k = 0; k < SYNTH_COUNT; k++) {
		const struct dump_file *f = dump_file_at(k);
		CHECK(f && f->name, "row %d", k);
		if (!f || !f->name)
			continue;
		size_t len = strlen(f->name);
		CHECK(len > 0 && len <= LINKFS_NAME_MAX && !strchr(f->name, '/'),
		      "%s: a name", f->name);
		CHECK(name_role(f->name, len) == ROLE_PLAIN, "%s: not plain", f->name);
		CHECK(strcmp(f->name, STATUS_NAME), "%s: the status file's", f->name);
		for (int j = 0; j < k; j++)
			CHECK(strcmp(f->name, dump_file_at(j)->name), "%s twice", f->name);
		int s = dump_file_stored(k);
		if (f->role == DUMP_FILE_TABLE) {
			CHECK((unsigned)f->kind < DUMP_KIND_COUNT, "%s kind", f->name);
			if ((unsigned)f->kind < DUMP_KIND_COUNT)
				rows_of_kind[f->kind]++;
			CHECK(dump_file_of_kind(f->kind) == f, "%s by kind", f->name);
			CHECK(!strcmp(dump_file_name(f->kind), f->name), "%s file name",
			      f->name);
			CHECK(f->dump_name && dump_kind_from_name(f->dump_name) == (int)f->kind,
			      "%s --dump=", f->name);
			CHECK(!f->render != !f->render_exe, "%s: one renderer", f->name);
		} else if (f->role == DUMP_FILE_EXE) {
			exe++;
			CHECK(s == STORE_EXE, "the executable is stored %d", s);
			CHECK(dump_kind_from_name(f->name) == -1, "%s is no table", f->name);
		} else {
			log++;
			CHECK(f->role == DUMP_FILE_LOG, "%s role %d", f->name, f->role);
			CHECK(dump_kind_from_name(f->name) == -1, "%s is no table", f->name);
		}
		CHECK(f->role == DUMP_FILE_LOG ? s == -1 : s >= 0 && s < STORE_NFILES,
		      "%s stored %d", f->name, s);
		if (s >= 0 && s < STORE_NFILES)
			stored_seen[s]++;
	}
	CHECK(exe == 1 && log == 1, "%d executables, %d logs", exe, log);
	for (int k = 0; k < DUMP_KIND_COUNT; k++)
		CHECK(rows_of_kind[k] == 1, "kind %d has %d rows", k, rows_of_kind[k]);
	for (int i = 0; i < STORE_NFILES; i++)
		CHECK(stored_seen[i] == 1, "stored file %d: %d rows", i, stored_seen[i]);
	CHECK(dump_file_at(-1) == NULL && dump_file_at(SYNTH_COUNT) == NULL, "at");
	CHECK(dump_file_of_kind(DUMP_KIND_COUNT) == NULL, "of kind");
}

static void test_output_name(void)
{
	for (int k = 0; k < SYNTH_COUNT; k++) {
		const char *n = synth_name(k, "prog");
		CHECK(n && (synth_role(k) == DUMP_FILE_EXE ? !strcmp(n, "prog")
							   : !strcmp(n, dump_file_at(k)->name)),
		      "file %d with output prog: %s", k, n);
	}
	CHECK(synth_from_name("prog", 4, "prog") == 0, "prog");
	CHECK(synth_from_name("a.out", 5, "prog") == -1, "a.out with output prog");
	CHECK(synth_from_name("link.lo", 7, "a.out") == -1, "link.lo");
}

static void test_result_file(void)
{
	static const uint8_t key[STORE_HASH_LEN] = { 'k' };
	struct result *r = result_new(key);
	CHECK(r, "result_new");
	if (!r)
		return;
	r->ok = 1;
	for (int i = 0; i < STORE_NFILES; i++) {
		char *d = malloc(16);
		if (!d)
			abort();
		r->files[i].len = (size_t)snprintf(d, 16, "stored %d", i);
		r->files[i].data = (uint8_t *)d;
	}
	r->log = strdup("the log");
	if (!r->log)
		abort();
	r->log_len = strlen(r->log);
	for (int k = 0; k < SYNTH_COUNT; k++) {
		char w[24];
		int s = dump_file_stored(k);
		if (s >= 0)
			snprintf(w, sizeof w, "stored %d", s);
		else
			snprintf(w, sizeof w, "the log");
		size_t len;
		const uint8_t *p = result_file(r, k, &len);
		CHECK(p && len == strlen(w) && !memcmp(p, w, len), "file %d: %.*s", k,
		      (int)len, p ? (const char *)p : "");
	}
	size_t len = 1;
	CHECK(!result_file(r, SYNTH_COUNT, &len) && len == 0, "past the files");
	r->ok = 0;   /* a failed link serves its log only */
	for (int k = 0; k < SYNTH_COUNT; k++)
		CHECK(!result_file(r, k, &len) == (synth_role(k) != DUMP_FILE_LOG),
		      "failed, file %d", k);
	result_unref(r);
}

int main(void)
{
	test_today();
	test_table();
	test_output_name();
	test_result_file();
	if (failures)
		printf("%d failures\n", failures);
	return failures != 0;
}
