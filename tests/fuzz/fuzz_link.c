/* fuzz_link.c - libFuzzer harness for a whole link: the input is split
 * into 1 to 3 objects (first byte: count; the rest cut into equal parts),
 * linked together with a fixed valid object with _main of the link's
 * architecture: LINKFS_FUZZ_FIXED (x86_64) or LINKFS_FUZZ_FIXED_ARM64
 * (arm64; optional). The link takes its architecture from the first
 * input with a 64-bit Mach-O header of a known CPU (core/resolve.c), so
 * the harness picks the fixed object the same way: arm64 fuzzed objects
 * are linked with an arm64 object. The link must end with an image that
 * has either bytes or diagnostics, never both missing. Links run on one thread
 * (starting threads under ASan costs about a millisecond a link) unless
 * LINKFS_FUZZ_THREADS asks for more, to fuzz the parallel stages.
 * When the link succeeds, one byte of the fuzzed objects (chosen by the
 * input's last bytes) is changed and link_patch tried on the link's
 * state: if it patches, the result must equal a full link of the changed
 * inputs byte for byte. When the first byte's top bit is set, the
 * fuzzed objects are also parsed beforehand, as the daemon's blob cache
 * parses them at commit (obj_parse), and linked again with those parses
 * (link_input.parsed): the link must give the same verdict, bytes and
 * log as the link that parsed them itself. When the first byte's bit 6
 * is set, the output uses chained fixups (and its patch is checked the
 * same way). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "input/object.h"
#include "link.h"

/* [0]: x86_64, [1]: arm64 (the x86_64 one if LINKFS_FUZZ_FIXED_ARM64 is
 * not set) */
static uint8_t *fixed[2];
static size_t fixed_size[2];
static int threads = 1;

static int load_fixed(const char *var, int which)
{
	const char *p = getenv(var);
	FILE *f = p ? fopen(p, "rb") : NULL;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	fixed_size[which] = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	fixed[which] = malloc(fixed_size[which]);
	if (!fixed[which] ||
	    fread(fixed[which], 1, fixed_size[which], f) != fixed_size[which])
		exit(2);
	fclose(f);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (load_fixed("LINKFS_FUZZ_FIXED", 0)) {
		fprintf(stderr, "fuzz_link: set LINKFS_FUZZ_FIXED to a valid object\n");
		exit(2);
	}
	if (load_fixed("LINKFS_FUZZ_FIXED_ARM64", 1)) {
		fixed[1] = fixed[0];
		fixed_size[1] = fixed_size[0];
	}
	const char *t = getenv("LINKFS_FUZZ_THREADS");
	if (t && atoi(t) > 0)
		threads = atoi(t);
	(void)argc;
	(void)argv;
	return 0;
}

/* One byte of the fuzzed part changed: a patch, if taken, must be exact. */
static void check_patch(struct link_patch_state *st, const struct link_image *img,
			const uint8_t *data, size_t size, const struct link_input *in,
			size_t n, const struct link_options *o)
{
	uint8_t *copy = malloc(size), *out = malloc(img->size);
	if (!copy || !out) {
		free(copy);
		free(out);
		return;
	}
	memcpy(copy, data, size);
	size_t at = 1 + ((size_t)data[size - 1] << 8 | data[size - 2]) % (size - 1);
	copy[at] ^= (uint8_t)(data[0] | 1);
	struct link_input in2[4];
	memcpy(in2, in, sizeof in2);
	for (size_t i = 0; i < n; i++)
		in2[i].data = copy + (in[i].data - data);
	if (link_patch(st, in2, n + 1, o, img->bytes, out, img->size) == 1) {
		struct link_image *full = link_run(in2, n + 1, o);
		if (!full || !full->ok || full->size != img->size ||
		    memcmp(full->bytes, out, img->size))
			__builtin_trap(); /* a patch must give the full link's bytes */
		link_image_unref(full);
	}
	free(copy);
	free(out);
}

/* The same link with the objects parsed beforehand must equal img. */
static void check_parsed(const struct link_image *img, const struct link_input *in,
			 size_t n, const struct link_options *o)
{
	struct link_input in2[4];
	struct obj_file parses[3];
	int have[3] = { 0 };
	memcpy(in2, in, sizeof in2);
	for (size_t i = 0; i < n; i++) {
		struct diag d;
		diag_init(&d);
		have[i] = !obj_parse(&parses[i], "", in[i].data, in[i].size, &d);
		diag_release(&d);
		if (have[i])
			in2[i].parsed = &parses[i];
	}
	struct link_patch_state *st = NULL;
	struct link_image *again = link_run_patchable(in2, n + 1, o, &st);
	if (!img != !again)
		__builtin_trap();
	if (img && (img->ok != again->ok || img->size != again->size ||
		    (img->size && memcmp(img->bytes, again->bytes, img->size)) ||
		    img->log_len != again->log_len ||
		    (img->log_len && memcmp(img->log, again->log, img->log_len))))
		__builtin_trap(); /* a parse made at commit must link the same */
	link_patch_state_free(st);
	link_image_unref(again);
	for (size_t i = 0; i < n; i++)
		if (have[i])
			obj_release(&parses[i]);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* 1 if the link of in[0..n) will be for arm64 (as resolve.c guesses it) */
static int link_is_arm64(const struct link_input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (in[i].size < 8 || le32(in[i].data) != 0xfeedfacfu)
			continue;
		uint32_t cpu = le32(in[i].data + 4);
		if (cpu == 0x01000007u)
			return 0;
		if (cpu == 0x0100000cu)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = (size_t)(data[0] % 3) + 1, part = (size - 1) / n;
	struct link_input in[4];
	memset(in, 0, sizeof in);
	char names[3][8];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof names[i], "f%zu.o", i);
		in[i].name = names[i];
		in[i].data = data + 1 + i * part;
		in[i].size = i + 1 == n ? size - 1 - i * part : part;
	}
	int arm64 = link_is_arm64(in, n);
	in[n].name = "fixed.o";
	in[n].data = fixed[arm64];
	in[n].size = fixed_size[arm64];
	struct link_options o;
	link_options_init(&o);
	o.threads = threads;
	if (data[0] & 0x40)
		o.fixups = FIXUPS_CHAINED;
	struct link_patch_state *st = NULL;
	struct link_image *img = link_run_patchable(in, n + 1, &o, &st);
	if (img && !img->ok && img->log_len == 0)
		__builtin_trap(); /* a failed link must say why */
	if (img && img->ok && (!img->bytes || !img->size))
		__builtin_trap();
	if (img && img->ok && st && size > 3)
		check_patch(st, img, data, size, in, n, &o);
	if (data[0] & 0x80)
		check_parsed(img, in, n, &o);
	link_patch_state_free(st);
	link_image_unref(img);
	return 0;
}
