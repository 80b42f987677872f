/*
 * test_strip_debug.c OBJ... - link_options.strip_debug (ld64's -S): the
 * objects (some compiled with -g) link with a debug map by default and
 * without one with strip_debug; the rest of the symbol table is the same
 * but for the stabs' place at its head. Exit 0 pass, 1 fail.
 */
#include "link_test.h"

#include "base/bytes.h"

#define LC_SYMTAB 0x2u
#define LC_DYSYMTAB 0xbu

struct table {
	uint32_t nsyms, nstabs, nlocal;
	const uint8_t *syms;    /* the nlist entries */
	const uint8_t *strs;
};

static int read_table(const struct link_image *img, struct table *t)
{
	memset(t, 0, sizeof *t);
	uint32_t ncmds = rd32(img->bytes + 16);
	size_t off = 32;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd = rd32(img->bytes + off), size = rd32(img->bytes + off + 4);
		if (cmd == LC_SYMTAB) {
			t->syms = img->bytes + rd32(img->bytes + off + 8);
			t->nsyms = rd32(img->bytes + off + 12);
			t->strs = img->bytes + rd32(img->bytes + off + 16);
		} else if (cmd == LC_DYSYMTAB) {
			t->nlocal = rd32(img->bytes + off + 12);
		}
		off += size;
	}
	if (!t->syms)
		return -1;
	for (uint32_t i = 0; i < t->nsyms; i++)
		t->nstabs += (t->syms[16 * i + 4] & 0xe0) != 0;
	return 0;
}

static struct link_image *link_with(struct link_input *in, size_t n, int strip)
{
	struct link_options o;
	link_options_init(&o);
	o.strip_debug = strip;
	o.threads = 1;
	struct link_image *img = link_run(in, n, &o);
	if (!img || !img->ok) {
		fprintf(stderr, "link failed: %s\n", img ? img->log : "out of memory");
		exit(1);
	}
	return img;
}

int main(int argc, char **argv)
{
	size_t n = (size_t)argc - 1;
	struct link_input *in = calloc(n + 1, sizeof *in);
	for (size_t i = 0; in && i < n; i++) {
		in[i].name = argv[i + 1];
		in[i].data = read_all(argv[i + 1], &in[i].size);
		if (!in[i].data) {
			fprintf(stderr, "cannot read '%s'\n", argv[i + 1]);
			return 1;
		}
	}
	if (!in || n == 0)
		return 1;
	struct link_image *with = link_with(in, n, 0), *without = link_with(in, n, 1);
	struct table a, b;
	if (read_table(with, &a) || read_table(without, &b)) {
		fprintf(stderr, "no LC_SYMTAB\n");
		return 1;
	}
	if (a.nstabs == 0) {
		fprintf(stderr, "FAIL: no stabs without strip_debug\n");
		return 1;
	}
	if (b.nstabs != 0) {
		fprintf(stderr, "FAIL: %u stabs with strip_debug\n", b.nstabs);
		return 1;
	}
	if (a.nsyms != b.nsyms + a.nstabs || a.nlocal != b.nlocal + a.nstabs) {
		fprintf(stderr, "FAIL: %u symbols (%u locals) with stabs, %u (%u) without\n",
			a.nsyms, a.nlocal, b.nsyms, b.nlocal);
		return 1;
	}
	/* the same entries after the stabs, names compared as strings */
	for (uint32_t i = 0; i < b.nsyms; i++) {
		const uint8_t *x = a.syms + 16 * (a.nstabs + i), *y = b.syms + 16 * i;
		if (memcmp(x + 4, y + 4, 12) ||
		    strcmp((const char *)a.strs + rd32(x), (const char *)b.strs + rd32(y))) {
			fprintf(stderr, "FAIL: symbol %u differs\n", i);
			return 1;
		}
	}
	printf("ok: %u stabs, none with strip_debug\n", a.nstabs);
	link_image_unref(with);
	link_image_unref(without);
	for (size_t i = 0; i < n; i++)
		free((void *)in[i].data);
	free(in);
	return 0;
}
