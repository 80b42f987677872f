/*
 * dump.c - the dump kinds' names and dump_render, which dispatches to the
 * per-format renderers that dump_files.c's rows name. Leaves out: any
 * formatting of its own, and the list of kinds (dump_files.c).
 */
#include <string.h>

#include "dump.h"

const char *dump_file_name(enum dump_kind k)
{
	const struct dump_file *f = dump_file_of_kind(k);
	return f ? f->name : NULL;
}

const char *dump_kind_name(enum dump_kind k)
{
	const struct dump_file *f = dump_file_of_kind(k);
	return f ? f->dump_name : NULL;
}

int dump_kind_from_name(const char *name)
{
	if (!name)
		return -1;
	for (int i = 0; i < DUMP_FILE_COUNT; i++) {
		const struct dump_file *f = dump_file_at(i);
		if (f->role != DUMP_FILE_TABLE)
			continue;
		if (!strcmp(name, f->dump_name) || !strcmp(name, f->name) ||
		    (f->alias && !strcmp(name, f->alias)))
			return (int)f->kind;
	}
	return -1;
}

int dump_render_exe(const struct link_image *img, enum dump_kind k, const uint8_t *exe,
		    size_t size, struct buf *out)
{
	const struct dump_file *f = dump_file_of_kind(k);
	if (!img || !f)
		return -1;
	if (link_image_wait_records(img))
		return -1;
	int rc;
	if (f->render_exe)
		rc = exe ? f->render_exe(img, exe, size, out) : -1;
	else
		rc = f->render(img, out);
	return rc < 0 || buf_failed(out) ? -1 : 0;
}

int dump_render(const struct link_image *img, enum dump_kind k, struct buf *out)
{
	return dump_render_exe(img, k, img ? img->bytes : NULL, img ? img->size : 0, out);
}
