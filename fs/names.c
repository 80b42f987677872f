/*
 * names.c - roles of stored names and the names of synthetic files (the
 * rows of linker/dump/dump_files.c). Leaves out: the output name's source
 * (link.conf, read in unit.c).
 */
#include <string.h>

#include "names.h"

static int ends_with(const char *name, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && memcmp(name + len - n, suffix, n) == 0;
}

int name_role(const char *name, size_t len)
{
	if (len == 9 && memcmp(name, "link.conf", 9) == 0)
		return ROLE_CONF;
	if (ends_with(name, len, ".o"))
		return ROLE_OBJECT;
	if (ends_with(name, len, ".a") || ends_with(name, len, ".tbd"))
		return ROLE_LIBRARY;
	return ROLE_PLAIN;
}

const char *synth_name(int k, const char *output)
{
	const struct dump_file *f = dump_file_at(k);
	if (!f)
		return NULL;
	return f->role == DUMP_FILE_EXE ? output : f->name;
}

int synth_role(int k)
{
	const struct dump_file *f = dump_file_at(k);
	return f ? (int)f->role : -1;
}

int synth_from_name(const char *name, size_t len, const char *output)
{
	for (int k = 0; k < SYNTH_COUNT; k++) {
		const char *s = synth_name(k, output);
		if (s && strlen(s) == len && memcmp(s, name, len) == 0)
			return k;
	}
	return -1;
}
