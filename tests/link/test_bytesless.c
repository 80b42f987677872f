/*
 * test_bytesless.c - link_input.parsed with no bytes (how linkfs-ld hands
 * over an object it parsed as it read it): each object's parse keeps its
 * arrays and names in arenas of the test's and its sections' contents in a
 * copy, and the file's bytes are gone before the link starts. The link
 * writes the same executable and renders the same tables as a link that
 * parses the files; it calls nlists_done and inputs_done once each, and
 * the test scribbles over and frees the nlist entries, then the contents
 * and relocations, right there; a patchable link of them returns no
 * state, and link_patch refuses them.
 *
 *   test_bytesless OBJ...
 *
 * Exit 0 when every check held. Meant to run under ASan too: a read of
 * anything after the callback that freed it is a use after free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "image.h"
#include "input/object.h"
#include "link.h"
#include "link_test.h"

/* What the parses keep, as linkfs-ld's reader keeps it (cli/inputs.c). */
struct kept {
	struct arena nlists, relocs, rest;
	uint8_t **contents;      /* per object: a copy of its sections' bytes */
	size_t *contents_size;
	struct obj_file *parse;
	size_t n;
	int nlists_calls, inputs_calls;
};

/* Parses the file's bytes, copies its sections' contents, points the
 * sections at the copy, and forgets the bytes (data NULL). */
static void parse_without_bytes(struct kept *k, size_t i, const char *name,
				uint8_t *bytes, size_t size)
{
	struct obj_file *o = &k->parse[i];
	struct diag d;
	diag_init(&d);
	struct obj_alloc al = { &k->nlists, &k->relocs, &k->rest };
	if (obj_parse_in(o, name, bytes, size, &d, &al))
		fail("obj_parse_in", (const char *)d.text.data);
	diag_release(&d);
	uint8_t *copy = malloc(size ? size : 1);
	if (!copy)
		fail("out of memory", NULL);
	memcpy(copy, bytes, size);
	for (uint32_t s = 0; s < o->nsections; s++)
		if (o->sections[s].data)
			o->sections[s].data = copy + (o->sections[s].data - bytes);
	k->contents[i] = copy;
	k->contents_size[i] = size;
	o->data = NULL;
	memset(bytes, 0xA5, size);
	free(bytes);
}

static void nlists_done(void *arg)
{
	struct kept *k = arg;
	for (size_t i = 0; i < k->n; i++)
		memset(k->parse[i].symbols, 0xA5,
		       k->parse[i].nsymbols * sizeof *k->parse[i].symbols);
	arena_release(&k->nlists);
	k->nlists_calls++;
}

static void inputs_done(void *arg)
{
	struct kept *k = arg;
	for (size_t i = 0; i < k->n; i++) {
		memset(k->parse[i].relocs, 0xA5,
		       k->parse[i].nrelocs * sizeof *k->parse[i].relocs);
		memset(k->contents[i], 0xA5, k->contents_size[i]);
		free(k->contents[i]);
		k->contents[i] = NULL;
	}
	arena_release(&k->relocs);
	k->inputs_calls++;
}

/* Parses every object again (the callbacks of a link freed the last
 * parses' parts) and sets the inputs to them. */
static void make_inputs(struct kept *k, struct link_input *in, char **paths)
{
	for (size_t i = 0; i < k->n; i++) {
		read_input(&in[i], paths[i]);
		parse_without_bytes(k, i, in[i].name, (uint8_t *)in[i].data,
				    in[i].size);
		in[i].data = NULL;
		in[i].size = 0;
		in[i].parsed = &k->parse[i];
	}
	k->nlists_calls = k->inputs_calls = 0;
}

static void release(struct kept *k)
{
	for (size_t i = 0; i < k->n; i++) {
		obj_release(&k->parse[i]);
		free(k->contents[i]);
		k->contents[i] = NULL;
	}
	arena_release(&k->nlists);
	arena_release(&k->relocs);
	arena_release(&k->rest);
}

static void called_once(const struct kept *k, const char *what)
{
	if (k->nlists_calls != 1 || k->inputs_calls != 1) {
		fprintf(stderr, "FAIL: %s: nlists_done called %d times, inputs_done %d (want 1 each)\n",
			what, k->nlists_calls, k->inputs_calls);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	size_t n = (size_t)(argc - 1);
	if (n < 2) {
		fprintf(stderr, "usage: test_bytesless OBJ OBJ...\n");
		return 2;
	}
	struct link_input *in = calloc(n, sizeof *in);
	struct kept k = { .n = n };
	k.contents = calloc(n, sizeof *k.contents);
	k.contents_size = calloc(n, sizeof *k.contents_size);
	k.parse = calloc(n, sizeof *k.parse);
	if (!in || !k.contents || !k.contents_size || !k.parse)
		fail("out of memory", NULL);
	arena_init(&k.nlists);
	arena_init(&k.relocs);
	arena_init(&k.rest);
	for (size_t i = 0; i < n; i++)
		read_input(&in[i], argv[i + 1]);
	struct link_options o;
	link_options_init(&o);
	struct link_image *want = link_run(in, n, &o);
	if (!want || !want->ok)
		fail("plain link", want && want->log ? want->log : "no image");
	/* a patch state of the plain link, for link_patch below */
	struct link_patch_state *st = NULL;
	link_image_unref(link_run_patchable(in, n, &o, &st));
	if (!st)
		fail("a patchable link of the files returned no state", NULL);
	for (size_t i = 0; i < n; i++) {
		free((uint8_t *)in[i].data);
		in[i].data = NULL;
	}

	o.nlists_done = nlists_done;
	o.nlists_done_arg = &k;
	o.inputs_done = inputs_done;
	o.inputs_done_arg = &k;
	make_inputs(&k, in, argv + 1);
	struct link_image *got = link_run(in, n, &o);
	called_once(&k, "link of parses without bytes");
	same_image(want, got, "link of parses without bytes");
	link_image_unref(got);
	release(&k);

	make_inputs(&k, in, argv + 1);
	struct link_patch_state *none = NULL;
	got = link_run_patchable(in, n, &o, &none);
	called_once(&k, "patchable link of parses without bytes");
	same_image(want, got, "patchable link of parses without bytes");
	if (none)
		fail("a patchable link of parses without bytes returned a state", NULL);
	printf("ok: no patch state for parses without bytes\n");
	release(&k);

	make_inputs(&k, in, argv + 1);
	for (size_t i = 0; i < n; i++) /* sizes as in the state: only the */
		in[i].size = k.parse[i].size; /* missing bytes can refuse */
	uint8_t *out = malloc(want->size);
	if (!out)
		fail("out of memory", NULL);
	if (link_patch(st, in, n, &o, want->bytes, out, want->size) != 0)
		fail("link_patch took parses without bytes", NULL);
	printf("ok: link_patch refuses parses without bytes\n");
	free(out);
	release(&k);

	link_image_unref(got);
	link_patch_state_free(st);
	link_image_unref(want);
	free(in);
	free(k.contents);
	free(k.contents_size);
	free(k.parse);
	return 0;
}
