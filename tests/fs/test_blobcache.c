/*
 * test_blobcache.c - the blob cache's parses (fs/blobcache.c, blob_parse),
 * without a mount.
 *
 * Checks: a 64-bit Mach-O object gets a parse, of its own bytes, made
 * once (a second blob_parse keeps the first); bytes that are not one, or
 * that do not parse, get none; a parse counts against the budget with
 * its bytes (a put that fits only if it does not is what evicts the
 * parsed entry); an evicted entry's parse stays readable while a
 * reference is held (ASan checks the release). Leaves out: the link side
 * (link-parsed-inputs) and commits through a mount (fs-remount).
 */
#include <stdio.h>
#include <string.h>

#include "blobcache.h"
#include "check.h"

enum { LEN = 1000 };

/* An x86_64 MH_OBJECT with no load commands, padded to LEN bytes. */
static void make_object(uint8_t *p)
{
	static const uint8_t header[32] = {
		0xcf, 0xfa, 0xed, 0xfe,   /* MH_MAGIC_64 */
		0x07, 0x00, 0x00, 0x01,   /* CPU_TYPE_X86_64 */
		0x03, 0x00, 0x00, 0x00,   /* CPU_SUBTYPE_X86_64_ALL */
		0x01, 0x00, 0x00, 0x00,   /* MH_OBJECT */
	};
	memset(p, 0, LEN);
	memcpy(p, header, sizeof header);
}

static void hash_of(uint8_t h[STORE_HASH_LEN], char c)
{
	memset(h, 0, STORE_HASH_LEN);
	h[0] = (uint8_t)c;
}

int main(void)
{
	uint8_t obj[LEN], other[LEN], h[STORE_HASH_LEN];
	make_object(obj);
	memset(other, 'x', sizeof other);

	/* room for two entries' bytes, not for a parse besides */
	struct blobcache *c = blobcache_new(2 * LEN);
	if (!c) {
		printf("FAIL: out of memory\n");
		return 1;
	}
	hash_of(h, 'a');
	struct blob *a = blobcache_put(c, h, obj, LEN);
	CHECK(a && blob_parse(c, a) == 0, "blob_parse of an object failed");
	const struct obj_file *pa = a ? blob_parsed(a) : NULL;
	CHECK(pa != NULL, "an object got no parse");
	if (pa)
		CHECK(pa->data == a->data && pa->size == LEN &&
		      pa->arch == ARCH_X86_64,
		      "the parse is not of the blob's own bytes");
	CHECK(a && blob_parse(c, a) == 0 && blob_parsed(a) == pa,
	      "a second blob_parse replaced the parse");

	/* not Mach-O, and Mach-O magic that does not parse: no parse (in a
	 * cache of their own, so that c holds a alone) */
	struct blobcache *c2 = blobcache_new(2 * LEN);
	hash_of(h, 'n');
	struct blob *n = c2 ? blobcache_put(c2, h, other, 64) : NULL;
	CHECK(n && blob_parse(c2, n) == 0 && !blob_parsed(n),
	      "bytes that are not an object got a parse");
	blob_unref(n);
	hash_of(h, 't');
	struct blob *t = c2 ? blobcache_put(c2, h, obj, 20) : NULL; /* cut */
	CHECK(t && blob_parse(c2, t) == 0 && !blob_parsed(t),
	      "a truncated object got a parse");
	blob_unref(t);
	blobcache_free(c2);

	/* a + b's bytes fit the budget; a's parse on top does not */
	hash_of(h, 'b');
	struct blob *b = blobcache_put(c, h, other, LEN);
	hash_of(h, 'a');
	struct blob *again = blobcache_get(c, h);
	CHECK(again == NULL, "the parse was not counted: a stayed cached");
	blob_unref(again);
	if (pa)   /* evicted, but held: still readable */
		CHECK(pa->data == a->data && pa->size == LEN,
		      "an evicted entry's parse went while held");
	blob_unref(a);

	/* the same with no parse: both stay */
	blobcache_free(c);
	c = blobcache_new(2 * LEN);
	hash_of(h, 'c');
	struct blob *x = blobcache_put(c, h, obj, LEN);   /* never parsed */
	hash_of(h, 'd');
	struct blob *y = blobcache_put(c, h, other, LEN);
	hash_of(h, 'c');
	again = blobcache_get(c, h);
	CHECK(again != NULL, "two entries within the budget: one was evicted");
	blob_unref(again);
	blob_unref(x);
	blob_unref(y);
	blob_unref(b);
	blobcache_free(c);

	if (failures)
		return 1;
	printf("ok: parses are made once, of the blob's bytes, counted in the budget\n");
	return 0;
}
