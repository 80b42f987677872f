/*
 * test_parsed.c - link_input.parsed: a link given the caller's parses of
 * its objects (how the daemon links objects it parsed when their write
 * committed) writes the same executable and renders the same tables as a
 * link that parses them itself; it leaves the parses exactly as they were
 * (the caller's to reuse in the next link); it ignores a parse that is not
 * of the input's bytes; and, with deferred records, it reads nothing of
 * them once records_done has run.
 *
 *   test_parsed OBJ...
 *
 * Exit 0 when every check held. Meant to run under ASan too: the parses
 * and bytes are scribbled over and freed right after records_done.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "image.h"
#include "link.h"
#include "link_test.h"

/* A deep copy of what a parse holds, to tell whether a link changed it. */
struct parse_copy {
	struct obj_file o;
	void *sections, *symbols, *relocs, *dice;
};

static void *dup_bytes(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);
	if (!q)
		fail("out of memory", NULL);
	if (n)
		memcpy(q, p, n);
	return q;
}

static void copy_parse(const struct obj_file *o, struct parse_copy *c)
{
	c->o = *o;
	c->sections = dup_bytes(o->sections, o->nsections * sizeof *o->sections);
	c->symbols = dup_bytes(o->symbols, o->nsymbols * sizeof *o->symbols);
	c->relocs = dup_bytes(o->relocs, o->nrelocs * sizeof *o->relocs);
	c->dice = dup_bytes(o->dice, o->ndice * sizeof *o->dice);
}

static int same_parse(const struct obj_file *o, const struct parse_copy *c)
{
	return same_bytes(o, &c->o, sizeof *o) &&
	       same_bytes(o->sections, c->sections, o->nsections * sizeof *o->sections) &&
	       same_bytes(o->symbols, c->symbols, o->nsymbols * sizeof *o->symbols) &&
	       same_bytes(o->relocs, c->relocs, o->nrelocs * sizeof *o->relocs) &&
	       same_bytes(o->dice, c->dice, o->ndice * sizeof *o->dice);
}

int main(int argc, char **argv)
{
	size_t n = (size_t)(argc - 1);
	if (n < 2) {
		fprintf(stderr, "usage: test_parsed OBJ OBJ...\n");
		return 2;
	}
	struct link_input *in = calloc(n, sizeof *in);
	struct obj_file *parse = calloc(n, sizeof *parse);
	struct parse_copy *before = calloc(n, sizeof *before);
	if (!in || !parse || !before)
		fail("out of memory", NULL);
	for (size_t i = 0; i < n; i++) {
		read_input(&in[i], argv[i + 1]);
		struct diag d;
		diag_init(&d);
		if (obj_parse(&parse[i], in[i].name, in[i].data, in[i].size, &d))
			fail("obj_parse", (const char *)d.text.data);
		diag_release(&d);
		copy_parse(&parse[i], &before[i]);
	}
	struct link_options o;
	link_options_init(&o);
	struct link_image *want = link_run(in, n, &o);
	if (!want || !want->ok)
		fail("plain link", want && want->log ? want->log : "no image");

	/* two links with the same parses: the second would see what the
	 * first changed in them */
	for (size_t i = 0; i < n; i++)
		in[i].parsed = &parse[i];
	for (int round = 1; round <= 2; round++) {
		struct link_image *got = link_run(in, n, &o);
		same_image(want, got, round == 1 ? "link with the parses"
						 : "second link with the same parses");
		link_image_unref(got);
	}
	for (size_t i = 0; i < n; i++)
		if (!same_parse(&parse[i], &before[i]))
			fail("a link changed the caller's parse of", in[i].name);
	printf("ok: the parses are as they were\n");

	/* a parse of other bytes is not used: here each input gets its
	 * neighbour's */
	for (size_t i = 0; i < n; i++)
		in[i].parsed = &parse[(i + 1) % n];
	struct link_image *got = link_run(in, n, &o);
	same_image(want, got, "link with parses of other bytes");
	link_image_unref(got);

	/* deferred records (the daemon's links): the parses and bytes may
	 * go once records_done has run */
	struct done d = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	o.defer_records = 1;
	o.records_done = records_done;
	o.records_done_arg = &d;
	for (size_t i = 0; i < n; i++)
		in[i].parsed = &parse[i];
	struct link_patch_state *st = NULL;
	got = link_run_patchable(in, n, &o, &st);
	wait_calls(&d, 1, "a deferred link");
	for (size_t i = 0; i < n; i++) {
		if (!same_parse(&parse[i], &before[i]))
			fail("a deferred link changed the caller's parse of", in[i].name);
		for (uint32_t k = 0; k < parse[i].nsymbols; k++)
			memset((char *)parse[i].symbols[k].name, 'X',
			       parse[i].symbols[k].namelen);
		obj_release(&parse[i]);
		memset((uint8_t *)in[i].data, 0xA5, in[i].size);
		free((uint8_t *)in[i].data);
		in[i].data = NULL;
		free(before[i].sections);
		free(before[i].symbols);
		free(before[i].relocs);
		free(before[i].dice);
	}
	same_image(want, got, "deferred link with the parses, read after they went");
	link_image_unref(got);
	link_patch_state_free(st);
	link_image_unref(want);
	free(in);
	free(parse);
	free(before);
	return 0;
}
