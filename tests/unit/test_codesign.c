/*
 * test_codesign.c - codesign.c against ld64.lld's own signatures, byte for
 * byte, plus sizes and hashes worked out by hand.
 *
 * usage: test_codesign [[--ident NAME] LLD_OUTPUT]...
 * Each LLD_OUTPUT is an arm64 file ld64.lld signed (tests/link/
 * codesign-test.py makes them); its identifier is its base name unless
 * --ident gives one (a dylib's install name). The test zeroes the
 * signature, rebuilds it with codesign_write from the identifier and
 * __TEXT's range, and wants lld's bytes back; it also prints "cdhash PATH
 * HEX" for the wrapper to compare with check-codesign's. Without files
 * only the hand-worked cases run.
 *
 * Leaves out: checking a signature for validity (check-codesign does),
 * hashing failures inside OpenSSL (cannot be provoked from here).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/macho.h"
#include "core/codesign.h"

static int failures;

#define EXPECT(cond, ...)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			failures++;                                        \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);        \
			printf(__VA_ARGS__);                               \
			printf("\n");                                      \
		}                                                          \
	} while (0)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* SHA-256 of one zero byte, and of 4096 zero bytes (published values). */
static const char sha256_one_zero[] =
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d";
static const char sha256_zero_page[] =
	"ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7";

/* The signature's offsets: SuperBlob 24 bytes, then the CodeDirectory. */
#define CD 24u
#define CD_HASH_OFFSET (CD + 16u)
#define CD_IDENT_OFFSET (CD + 20u)
#define CD_N_CODE_SLOTS (CD + 28u)
#define CD_CODE_LIMIT (CD + 32u)

static void test_sizes(void)
{
	/* lld's "hello": headers alignTo16(24 + 88 + 5 + 1) = 128, 16544
	 * bytes = 5 pages (the last of 160 bytes) of 32-byte hashes = 160 */
	EXPECT(codesign_size(16544, "hello") == 288, "hello: %llu",
	       (unsigned long long)codesign_size(16544, "hello"));
	EXPECT(codesign_size(16544, "out/dir/hello") == 288,
	       "the directory is dropped as lld does");
	/* 15 bytes: 24 + 88 + 15 + 1 = 128 exactly, one byte of NUL/pad */
	EXPECT(codesign_size(4096, "fifteen-chars-x") == 128 + 32, "15");
	/* 16 bytes: 129 rounds up to 144, 16 bytes of NUL and padding */
	EXPECT(codesign_size(4096, "sixteen-chars-xy") == 144 + 32, "16");
	EXPECT(codesign_size(0, "") == 128, "no pages, empty identifier");
	EXPECT(codesign_size(8192, "a") == 128 + 2 * 32, "8192: two pages");
	EXPECT(codesign_size(8193, "a") == 128 + 3 * 32, "8193: three pages");
	EXPECT(codesign_size(4096, NULL) == 0, "NULL identifier");
	EXPECT(codesign_size((uint64_t)1 << 32, "a") == 0, "codeLimit is 32-bit");
	EXPECT(codesign_size(UINT32_MAX, "a") == 128 + 1048576ull * 32,
	       "the largest codeLimit");
}

/* A code_limit that is not a multiple of 4096 (8193: the third page holds
 * one byte) over zeroed code: the hashes are the published ones. */
static void test_partial_page(void)
{
	enum { LIMIT = 8193 };
	uint64_t size = codesign_size(LIMIT, "a");
	uint8_t *out = calloc(1, LIMIT + size);
	if (!out) {
		EXPECT(0, "out of memory");
		return;
	}
	memset(out + LIMIT, 0xee, size); /* the writer must set every byte */
	EXPECT(codesign_write(out, LIMIT, "a", 0, 4096, 1) == 0, "write");
	const uint8_t *sig = out + LIMIT;
	EXPECT(be32(sig + CD_N_CODE_SLOTS) == 3, "nCodeSlots %u",
	       be32(sig + CD_N_CODE_SLOTS));
	EXPECT(be32(sig + CD_CODE_LIMIT) == LIMIT, "codeLimit");
	EXPECT(be32(sig + CD_IDENT_OFFSET) == 88, "identOffset");
	uint32_t hash_off = be32(sig + CD_HASH_OFFSET);
	EXPECT(hash_off == 128 - 24, "hashOffset %u", hash_off);
	EXPECT(memcmp(sig + CD + 88, "a\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0,
	       "identifier and its padding");
	char h[65];
	for (int page = 0; page < 3; page++) {
		hex(h, sig + CD + hash_off + 32 * page, 32);
		const char *want = page < 2 ? sha256_zero_page : sha256_one_zero;
		EXPECT(strcmp(h, want) == 0, "page %d hash %s", page, h);
	}
	free(out);
}

/* Header and pages written separately, in any split, give codesign_write's
 * bytes; asking for pages past the end hashes nothing more. */
static void test_split(void)
{
	enum { LIMIT = 5 * 4096 + 100 };
	uint64_t size = codesign_size(LIMIT, "split");
	uint8_t *whole = malloc(LIMIT + size), *parts = malloc(LIMIT + size);
	if (!whole || !parts) {
		EXPECT(0, "out of memory");
		free(whole);
		free(parts);
		return;
	}
	for (size_t i = 0; i < LIMIT; i++)
		whole[i] = (uint8_t)(i * 131 + (i >> 12));
	memcpy(parts, whole, LIMIT);
	EXPECT(codesign_write(whole, LIMIT, "split", 0, 8192, 0) == 0, "write");
	EXPECT(codesign_write_header(parts, LIMIT, "split", 0, 8192, 0) == 0,
	       "header");
	EXPECT(codesign_hash_pages(parts, LIMIT, "split", 4, 100) == 0, "4..");
	EXPECT(codesign_hash_pages(parts, LIMIT, "split", 0, 1) == 0, "0");
	EXPECT(codesign_hash_pages(parts, LIMIT, "split", 1, 3) == 0, "1..3");
	EXPECT(codesign_hash_pages(parts, LIMIT, "split", 9, 1) == 0, "past");
	EXPECT(memcmp(whole, parts, LIMIT + size) == 0, "split differs");
	EXPECT(codesign_write(whole, (uint64_t)1 << 32, "x", 0, 0, 0) == -1,
	       "a 33-bit codeLimit is refused before anything is written");
	EXPECT(codesign_write(whole, LIMIT, NULL, 0, 0, 0) == -1, "NULL ident");
	free(whole);
	free(parts);
}

static void test_malformed_blobs(void)
{
	uint8_t cdhash[CODESIGN_CDHASH_SIZE];
	uint8_t blob[200] = { 0xfa, 0xde, 0x0c, 0xc0 };
	EXPECT(codesign_cdhash(blob, 8, cdhash) == -1, "shorter than a header");
	EXPECT(codesign_cdhash(blob, sizeof blob, cdhash) == -1,
	       "length 0 is not a SuperBlob");
	blob[7] = 200;  /* length 200 */
	blob[11] = 100; /* count 100: the index would run past the blob */
	EXPECT(codesign_cdhash(blob, sizeof blob, cdhash) == -1, "count");
	blob[11] = 1;   /* one index, type 0, offset 250: past the end */
	blob[19] = 250;
	EXPECT(codesign_cdhash(blob, sizeof blob, cdhash) == -1, "offset");
	EXPECT(codesign_cdhash(blob, 100, cdhash) == -1, "length > n");

	struct buf b;
	buf_init(&b);
	EXPECT(codesign_describe(blob, sizeof blob, &b) == -1, "not Mach-O");
	buf_u8(&b, 0);
	EXPECT(b.data && strstr((char *)b.data, "malformed: "), "text: %s",
	       b.data ? (char *)b.data : "(none)");
	buf_release(&b);
}

struct macho_facts {
	uint32_t filetype;
	uint64_t text_off, text_size;   /* __TEXT's fileoff, filesize */
	uint32_t sig_off, sig_size;     /* LC_CODE_SIGNATURE */
	int have_text, have_sig;
};

static int read_facts(const uint8_t *p, size_t n, struct macho_facts *f)
{
	memset(f, 0, sizeof *f);
	if (n < MACH_HEADER_64_SIZE || rd32(p) != MH_MAGIC_64)
		return -1;
	f->filetype = rd32(p + 12);
	uint32_t ncmds = rd32(p + 16);
	uint64_t end = MACH_HEADER_64_SIZE + (uint64_t)rd32(p + 20);
	if (end > n)
		return -1;
	uint64_t off = MACH_HEADER_64_SIZE;
	for (uint32_t i = 0; i < ncmds; i++) {
		if (!range_ok(end, off, 8))
			return -1;
		uint32_t cmd = rd32(p + off), size = rd32(p + off + 4);
		if (size < 8 || !range_ok(end, off, size))
			return -1;
		if (cmd == LC_SEGMENT_64 && size >= SEGMENT_COMMAND_64_SIZE &&
		    strncmp((const char *)p + off + 8, "__TEXT", 16) == 0) {
			f->text_off = rd64(p + off + 40);
			f->text_size = rd64(p + off + 48);
			f->have_text = 1;
		} else if (cmd == LC_CODE_SIGNATURE && size >= 16) {
			f->sig_off = rd32(p + off + 8);
			f->sig_size = rd32(p + off + 12);
			f->have_sig = range_ok(n, f->sig_off, f->sig_size);
		}
		off += size;
	}
	return f->have_text && f->have_sig ? 0 : -1;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	uint8_t *data = NULL;
	long len = -1;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (data = malloc((size_t)len + 1)) &&
	    fread(data, 1, (size_t)len, fp) != (size_t)len) {
		free(data);
		data = NULL;
	}
	fclose(fp);
	*n = (size_t)len;
	return data;
}

/* Returns 1 if the file's code limit is not a multiple of 4096. */
static int test_lld_output(const char *path, const char *ident)
{
	size_t n = 0;
	uint8_t *lld = slurp(path, &n);
	struct macho_facts f;
	if (!lld || read_facts(lld, n, &f) != 0) {
		EXPECT(0, "%s: cannot read a signed 64-bit Mach-O", path);
		free(lld);
		return 0;
	}
	uint8_t *ours = malloc(n);
	if (!ours) {
		EXPECT(0, "out of memory");
		free(lld);
		return 0;
	}
	memcpy(ours, lld, n);
	memset(ours + f.sig_off, 0, f.sig_size);

	uint64_t size = codesign_size(f.sig_off, ident);
	EXPECT(size == f.sig_size, "%s: codesign_size %llu, lld's datasize %u",
	       path, (unsigned long long)size, f.sig_size);
	if (size == f.sig_size) {
		int rc = codesign_write(ours, f.sig_off, ident, f.text_off,
					f.text_size, f.filetype == MH_EXECUTE);
		EXPECT(rc == 0, "%s: codesign_write %d", path, rc);
		size_t diff = 0;
		while (diff < n && ours[diff] == lld[diff])
			diff++;
		EXPECT(diff == n, "%s: first difference from lld at 0x%zx "
		       "(signature +0x%zx): ours %02x, lld %02x", path, diff,
		       diff - f.sig_off, diff < n ? ours[diff] : 0,
		       diff < n ? lld[diff] : 0);
	}

	uint8_t cdhash[CODESIGN_CDHASH_SIZE];
	char h[2 * CODESIGN_CDHASH_SIZE + 1];
	EXPECT(codesign_cdhash(lld + f.sig_off, f.sig_size, cdhash) == 0,
	       "%s: cdhash", path);
	hex(h, cdhash, sizeof cdhash);
	printf("cdhash %s %s\n", path, h);

	struct buf b;
	buf_init(&b);
	int rc = codesign_describe(lld, n, &b);
	buf_u8(&b, 0);
	const char *text = b.data ? (const char *)b.data : "";
	const char *base = strrchr(ident, '/') ? strrchr(ident, '/') + 1 : ident;
	char want[256];
	snprintf(want, sizeof want, "identifier    %s\n", base);
	EXPECT(rc == 0 && strstr(text, want) && strstr(text, h) &&
	       strstr(text, " adhoc linker-signed\n") &&
	       !strstr(text, "malformed"), "%s: describe:\n%s", path, text);
	EXPECT(!!strstr(text, " main-binary\n") == (f.filetype == MH_EXECUTE),
	       "%s: main-binary flag in:\n%s", path, text);
	buf_release(&b);

	/* the same file cut inside its signature is malformed, not a crash */
	buf_init(&b);
	EXPECT(codesign_describe(lld, f.sig_off + 100, &b) == -1,
	       "%s: truncated signature accepted", path);
	buf_release(&b);

	free(ours);
	free(lld);
	return f.sig_off % CODESIGN_PAGE_SIZE != 0;
}

int main(int argc, char **argv)
{
	test_sizes();
	test_partial_page();
	test_split();
	test_malformed_blobs();

	int files = 0, partial = 0;
	for (int i = 1; i < argc; i++) {
		const char *ident = NULL;
		if (strcmp(argv[i], "--ident") == 0 && i + 2 < argc) {
			ident = argv[i + 1];
			i += 2;
		}
		const char *path = argv[i];
		if (!ident)
			ident = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		partial += test_lld_output(path, ident);
		files++;
	}
	if (files > 0)
		EXPECT(partial > 0, "no lld output had a partial last page");
	printf("%s: %d lld outputs, %d failures\n",
	       failures ? "FAIL" : "PASS", files, failures);
	return failures ? 1 : 0;
}
