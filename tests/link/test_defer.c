/*
 * test_defer.c - link_options.defer_records: the records made after
 * link_run_patchable returned render every table exactly as a link that
 * made them before it returned, although the caller scribbled over and
 * freed its inputs (names and bytes) the moment the call returned; and
 * records_done is called exactly once per call, for a good link and a
 * failed one.
 *
 *   test_defer OBJ...
 *
 * Exit 0 when every check held. Meant to run under ASan too, where a late
 * read of the inputs is a use after free.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "link.h"
#include "link_test.h"

/* Inputs in fresh copies of names and bytes. */
static struct link_input *copy_inputs(char **paths, size_t n)
{
	struct link_input *in = calloc(n, sizeof *in);
	for (size_t i = 0; in && i < n; i++) {
		read_input(&in[i], paths[i]);
		in[i].name = strdup(in[i].name);
		if (!in[i].name)
			fail("out of memory", NULL);
	}
	return in;
}

/* What link_input allows: the inputs are gone once the call returned. */
static void scribble_and_free(struct link_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset((char *)in[i].name, 'X', strlen(in[i].name));
		memset((uint8_t *)in[i].data, 0xA5, in[i].size);
		free((char *)in[i].name);
		free((uint8_t *)in[i].data);
	}
	free(in);
}

int main(int argc, char **argv)
{
	size_t n = (size_t)(argc - 1);
	if (n == 0) {
		fprintf(stderr, "usage: test_defer OBJ...\n");
		return 2;
	}
	struct link_options o;
	link_options_init(&o);
	struct link_input *in = copy_inputs(argv + 1, n);
	struct link_image *want = link_run(in, n, &o);
	scribble_and_free(in, n);
	if (!want || !want->ok) {
		fprintf(stderr, "FAIL: link: %s\n", want && want->log ? want->log : "");
		return 1;
	}

	struct done d = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	o.defer_records = 1;
	o.records_done = records_done;
	o.records_done_arg = &d;
	in = copy_inputs(argv + 1, n);
	struct link_patch_state *st = NULL;
	struct link_image *got = link_run_patchable(in, n, &o, &st);
	scribble_and_free(in, n);
	if (!got || !got->ok || !st) {
		fprintf(stderr, "FAIL: deferred link: %s\n", got && got->log ? got->log : "");
		return 1;
	}
	same_image(want, got, "the deferred link");
	wait_calls(&d, 1, "a good link");

	/* a failed link (no inputs) calls it too, before it returns */
	struct link_image *bad = link_run_patchable(NULL, 0, &o, NULL);
	if (!bad || bad->ok) {
		fprintf(stderr, "FAIL: a link of nothing succeeded\n");
		return 1;
	}
	wait_calls(&d, 2, "a failed link");
	printf("ok: records_done once per link, good or failed\n");
	link_image_unref(bad);
	link_image_unref(got);
	link_image_unref(want);
	link_patch_state_free(st);
	return 0;
}
