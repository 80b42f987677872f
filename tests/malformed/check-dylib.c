/*
 * check-dylib.c - runs dylib_macho_parse() for x86_64 on one file and
 * prints the result: the diagnostics (exit 1) or "ok" with the install
 * name and the number of exports (exit 0). On success it reads every
 * byte of every name it got back and checks the exports are sorted and
 * unique (exit 3 if not), so ASan sees any read the reader let through.
 * The file is read into a buffer of exactly its size.
 * Usage: check-dylib FILE. Exit 2 on usage or I/O errors.
 * Leaves out: linking (tests/link/cases/dylib-input.s).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/dylib.h"

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

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: check-dylib FILE\n");
		return 2;
	}
	size_t size;
	uint8_t *data = slurp(argv[1], &size);
	if (!data) {
		fprintf(stderr, "cannot read '%s'\n", argv[1]);
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct dylib dl;
	int rc = dylib_macho_parse(&dl, argv[1], data, size, ARCH_X86_64, &d);
	if (d.text.len)
		fwrite(d.text.data, 1, d.text.len, stdout);
	if (rc == 0) {
		size_t total = strlen(dl.install_name);
		for (size_t i = 0; i < dl.nsymbols; i++) {
			total += strlen(dl.symbols[i].name);
			if (dl.symbols[i].kind > DYSYM_TLV ||
			    (i && strcmp(dl.symbols[i - 1].name, dl.symbols[i].name) >= 0))
				rc = 3;
		}
		for (size_t i = 0; i < dl.nreexports; i++)
			total += strlen(dl.reexports[i]);
		if (rc == 0)
			printf("ok %s: %zu exports, %zu re-exports (%zu name bytes)\n",
			       dl.install_name, dl.nsymbols, dl.nreexports, total);
		else
			printf("invariant broken\n");
		dylib_release(&dl);
	} else {
		rc = 1;
	}
	diag_release(&d);
	free(data);
	return rc;
}
