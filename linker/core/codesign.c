/*
 * codesign.c - ld64.lld's ad-hoc code signature (see codesign.h): the
 * sizes as lld computes them, the SuperBlob and CodeDirectory written field
 * by field in big-endian order, the page hashes with OpenSSL's SHA-256, and
 * a cdhash and a text rendering for reading one back.
 *
 * Leaves out: everything codesign.h leaves out (special slots, CMS, other
 * hash types, codeLimit64), and verifying a signature (the tests'
 * check-codesign does that independently).
 */
#include "codesign.h"

#include <inttypes.h>
#include <string.h>

#include <openssl/evp.h>

#include "../base/buf.h"
#include "../base/bytes.h"
#include "../base/diag.h"
#include "../base/macho.h"

/* Code-signing magic numbers, slots and flags (xnu's cs_blobs.h). */
#define CSMAGIC_EMBEDDED_SIGNATURE 0xfade0cc0u
#define CSMAGIC_CODEDIRECTORY 0xfade0c02u
#define CSSLOT_CODEDIRECTORY 0u
#define CS_SUPPORTSEXECSEG 0x20400u /* CodeDirectory version with execSeg* */
#define CS_ADHOC 0x00000002u
#define CS_LINKER_SIGNED 0x00020000u
#define CS_HASHTYPE_SHA256 2u
#define CS_EXECSEG_MAIN_BINARY 0x1u

#define PAGE_SHIFT 12u /* log2(CODESIGN_PAGE_SIZE), CodeDirectory.pageSize */
#define HASH_SIZE 32u  /* SHA-256 digest bytes, CodeDirectory.hashSize */

/*
 * SuperBlob, at the start of the signature (all fields big-endian):
 *   0 magic   CSMAGIC_EMBEDDED_SIGNATURE
 *   4 length  bytes of the whole signature, padding included
 *   8 count   number of BlobIndex entries (1)
 *  12 BlobIndex[0]: 12 type (CSSLOT_CODEDIRECTORY), 16 offset (of the
 *     CodeDirectory from the SuperBlob's start)
 *  20 zero padding up to 8-byte alignment
 */
#define SB_MAGIC 0u
#define SB_LENGTH 4u
#define SB_COUNT 8u
#define SB_INDEX0_TYPE 12u
#define SB_INDEX0_OFFSET 16u
#define BLOB_HEADERS_SIZE 24u /* alignTo(12 + 8, 8): where the CD starts */

/*
 * CodeDirectory version 0x20400, from its own start (big-endian):
 *   0 magic          CSMAGIC_CODEDIRECTORY
 *   4 length         bytes from here to the signature's end
 *   8 version        CS_SUPPORTSEXECSEG
 *  12 flags          CS_ADHOC | CS_LINKER_SIGNED
 *  16 hashOffset     of page 0's hash (= 88 + identifier + its padding)
 *  20 identOffset    of the identifier (88, right after the fixed part)
 *  24 nSpecialSlots  0
 *  28 nCodeSlots     pages: ceil(codeLimit / 4096)
 *  32 codeLimit      signed bytes, from the file's start
 *  36 hashSize (u8) 32, 37 hashType (u8) SHA-256, 38 platform (u8) 0,
 *  39 pageSize (u8) 12 (log2)
 *  40 spare2, 44 scatterOffset, 48 teamOffset, 52 spare3: all 0
 *  56 codeLimit64 (u64) 0
 *  64 execSegBase (u64)   __TEXT's file offset
 *  72 execSegLimit (u64)  __TEXT's file size
 *  80 execSegFlags (u64)  CS_EXECSEG_MAIN_BINARY for MH_EXECUTE, else 0
 *  88 identifier, NUL, zero padding so that the whole header part (from
 *     the SuperBlob's start) is a multiple of 16; then the page hashes
 */
#define CD_MAGIC 0u
#define CD_LENGTH 4u
#define CD_VERSION 8u
#define CD_FLAGS 12u
#define CD_HASH_OFFSET 16u
#define CD_IDENT_OFFSET 20u
#define CD_N_SPECIAL_SLOTS 24u
#define CD_N_CODE_SLOTS 28u
#define CD_CODE_LIMIT 32u
#define CD_HASH_SIZE 36u
#define CD_HASH_TYPE 37u
#define CD_PLATFORM 38u
#define CD_PAGE_SIZE 39u
#define CD_SPARE2 40u
#define CD_SCATTER_OFFSET 44u
#define CD_TEAM_OFFSET 48u
#define CD_SPARE3 52u
#define CD_CODE_LIMIT64 56u
#define CD_EXEC_SEG_BASE 64u
#define CD_EXEC_SEG_LIMIT 72u
#define CD_EXEC_SEG_FLAGS 80u
#define CD_FIXED_SIZE 88u /* sizeof(CS_CodeDirectory) up to execSegFlags */

#define FIXED_HEADERS_SIZE (BLOB_HEADERS_SIZE + CD_FIXED_SIZE) /* 112 */

static inline uint32_t rd32be(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}
static inline uint64_t rd64be(const uint8_t *p)
{
	return (uint64_t)rd32be(p) << 32 | rd32be(p + 4);
}
static inline void wr32be(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}
static inline void wr64be(uint8_t *p, uint64_t v)
{
	wr32be(p, (uint32_t)(v >> 32));
	wr32be(p + 4, (uint32_t)v);
}

static uint64_t align16(uint64_t v)
{
	return (v + 15u) & ~(uint64_t)15u;
}

/* The identifier as lld takes it: what follows the last '/'. */
static const char *ident_base(const char *ident)
{
	const char *slash = strrchr(ident, '/');
	return slash ? slash + 1 : ident;
}

/* The sizes lld derives from the identifier and the signed range. */
struct cs_layout {
	const char *name;      /* identifier, without any directory */
	uint64_t name_len;     /* strlen(name) */
	uint64_t all_headers;  /* SuperBlob + CD fixed part + name + padding */
	uint64_t name_pad;     /* zero bytes after the name (NUL included) */
	uint64_t npages;       /* nCodeSlots */
	uint64_t size;         /* the whole signature, a multiple of 16 */
};

/* 0, or -1 if the signature cannot be represented in 32-bit fields. */
static int layout(struct cs_layout *l, uint64_t code_limit, const char *ident)
{
	if (!ident || code_limit > UINT32_MAX)
		return -1;
	l->name = ident_base(ident);
	l->name_len = strlen(l->name);
	if (l->name_len > UINT32_MAX)
		return -1;
	/* lld: allHeadersSize = alignTo<16>(fixedHeadersSize + name + 1),
	 * fileNamePad = allHeadersSize - fixedHeadersSize - name */
	l->all_headers = align16(FIXED_HEADERS_SIZE + l->name_len + 1);
	l->name_pad = l->all_headers - FIXED_HEADERS_SIZE - l->name_len;
	l->npages = (code_limit + CODESIGN_PAGE_SIZE - 1) / CODESIGN_PAGE_SIZE;
	/* getRawSize, aligned to the section's 16 (a no-op: all_headers and
	 * 32-byte hashes are both multiples of 16) */
	l->size = align16(l->all_headers + l->npages * HASH_SIZE);
	return l->size > UINT32_MAX ? -1 : 0;
}

uint64_t codesign_size(uint64_t code_limit, const char *ident)
{
	struct cs_layout l;
	return layout(&l, code_limit, ident) == 0 ? l.size : 0;
}

int codesign_write_header(uint8_t *out, uint64_t code_limit, const char *ident,
			  uint64_t exec_seg_base, uint64_t exec_seg_limit,
			  int is_main)
{
	struct cs_layout l;
	if (layout(&l, code_limit, ident) != 0)
		return -1;
	uint8_t *sig = out + code_limit;
	uint8_t *cd = sig + BLOB_HEADERS_SIZE;

	/* header bytes and the tail beyond the hashes are zero unless set */
	memset(sig, 0, l.all_headers);
	memset(sig + l.all_headers + l.npages * HASH_SIZE, 0,
	       l.size - l.all_headers - l.npages * HASH_SIZE);

	wr32be(sig + SB_MAGIC, CSMAGIC_EMBEDDED_SIGNATURE);
	wr32be(sig + SB_LENGTH, (uint32_t)l.size);
	wr32be(sig + SB_COUNT, 1);
	wr32be(sig + SB_INDEX0_TYPE, CSSLOT_CODEDIRECTORY);
	wr32be(sig + SB_INDEX0_OFFSET, BLOB_HEADERS_SIZE);

	wr32be(cd + CD_MAGIC, CSMAGIC_CODEDIRECTORY);
	wr32be(cd + CD_LENGTH, (uint32_t)(l.size - BLOB_HEADERS_SIZE));
	wr32be(cd + CD_VERSION, CS_SUPPORTSEXECSEG);
	wr32be(cd + CD_FLAGS, CS_ADHOC | CS_LINKER_SIGNED);
	wr32be(cd + CD_HASH_OFFSET,
	       (uint32_t)(CD_FIXED_SIZE + l.name_len + l.name_pad));
	wr32be(cd + CD_IDENT_OFFSET, CD_FIXED_SIZE);
	wr32be(cd + CD_N_SPECIAL_SLOTS, 0);
	wr32be(cd + CD_N_CODE_SLOTS, (uint32_t)l.npages);
	wr32be(cd + CD_CODE_LIMIT, (uint32_t)code_limit);
	cd[CD_HASH_SIZE] = HASH_SIZE;
	cd[CD_HASH_TYPE] = CS_HASHTYPE_SHA256;
	cd[CD_PLATFORM] = 0;
	cd[CD_PAGE_SIZE] = PAGE_SHIFT;
	/* spare2, scatterOffset, teamOffset, spare3, codeLimit64: zeroed */
	wr64be(cd + CD_EXEC_SEG_BASE, exec_seg_base);
	wr64be(cd + CD_EXEC_SEG_LIMIT, exec_seg_limit);
	wr64be(cd + CD_EXEC_SEG_FLAGS, is_main ? CS_EXECSEG_MAIN_BINARY : 0);
	memcpy(cd + CD_FIXED_SIZE, l.name, l.name_len); /* NUL+pad: zeroed */
	return 0;
}

/* SHA-256 of data[0..n) into digest (32 bytes) with a fetched md and a
 * reused context; 0 or -1. */
static int sha256(EVP_MD_CTX *ctx, const EVP_MD *md, const uint8_t *data,
		  size_t n, uint8_t *digest)
{
	unsigned int len = 0;
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, data, n) != 1 ||
	    EVP_DigestFinal_ex(ctx, digest, &len) != 1 || len != HASH_SIZE)
		return -1;
	return 0;
}

int codesign_hash_pages(uint8_t *out, uint64_t code_limit, const char *ident,
			uint64_t first_page, uint64_t npages)
{
	struct cs_layout l;
	if (layout(&l, code_limit, ident) != 0)
		return -1;
	if (first_page >= l.npages)
		return 0;
	if (npages > l.npages - first_page)
		npages = l.npages - first_page;
	if (npages == 0)
		return 0;
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = md && ctx ? 0 : -1;
	uint8_t *hashes = out + code_limit + l.all_headers;
	for (uint64_t p = first_page; rc == 0 && p < first_page + npages; p++) {
		uint64_t start = p * CODESIGN_PAGE_SIZE;
		uint64_t len = code_limit - start < CODESIGN_PAGE_SIZE
				       ? code_limit - start
				       : CODESIGN_PAGE_SIZE;
		rc = sha256(ctx, md, out + start, (size_t)len,
			    hashes + p * HASH_SIZE);
	}
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return rc;
}

int codesign_write(uint8_t *out, uint64_t code_limit, const char *ident,
		   uint64_t exec_seg_base, uint64_t exec_seg_limit, int is_main)
{
	if (codesign_write_header(out, code_limit, ident, exec_seg_base,
				  exec_seg_limit, is_main) != 0)
		return -1;
	return codesign_hash_pages(out, code_limit, ident, 0, UINT64_MAX);
}

/* The CodeDirectory of a SuperBlob: *cd_off and *cd_len, bounds-checked
 * against the SuperBlob's length (itself <= n). NULL, or why not. */
static const char *find_cd(const uint8_t *sig, size_t n, uint32_t *cd_off,
			   uint32_t *cd_len)
{
	if (n < 12)
		return "signature shorter than a SuperBlob header";
	if (rd32be(sig + SB_MAGIC) != CSMAGIC_EMBEDDED_SIGNATURE)
		return "bad SuperBlob magic";
	uint32_t length = rd32be(sig + SB_LENGTH);
	uint32_t count = rd32be(sig + SB_COUNT);
	if (length < 12 || length > n)
		return "SuperBlob length outside the signature";
	if (!range_ok(length, 12, (uint64_t)count * 8))
		return "BlobIndex entries past the SuperBlob";
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *idx = sig + 12 + (size_t)i * 8;
		if (rd32be(idx) != CSSLOT_CODEDIRECTORY)
			continue;
		uint32_t off = rd32be(idx + 4);
		if (!range_ok(length, off, 8))
			return "CodeDirectory offset past the SuperBlob";
		if (rd32be(sig + off + CD_MAGIC) != CSMAGIC_CODEDIRECTORY)
			return "bad CodeDirectory magic";
		uint32_t len = rd32be(sig + off + CD_LENGTH);
		if (len < CD_FIXED_SIZE || !range_ok(length, off, len))
			return "CodeDirectory length outside the SuperBlob";
		*cd_off = off;
		*cd_len = len;
		return NULL;
	}
	return "no CodeDirectory slot";
}

int codesign_cdhash(const uint8_t *sig, size_t n,
		    uint8_t out[CODESIGN_CDHASH_SIZE])
{
	uint32_t off, len;
	if (!sig || find_cd(sig, n, &off, &len) != NULL)
		return -1;
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t digest[HASH_SIZE];
	int rc = md && ctx ? sha256(ctx, md, sig + off, len, digest) : -1;
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	if (rc == 0)
		memcpy(out, digest, CODESIGN_CDHASH_SIZE);
	return rc;
}

static void put_hex(struct buf *b, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		buf_u8(b, (uint8_t)digits[p[i] >> 4]);
		buf_u8(b, (uint8_t)digits[p[i] & 15]);
	}
}

static int malformed(struct buf *b, const char *why)
{
	buf_printf(b, "malformed: %s\n", why);
	return -1;
}

/* LC_CODE_SIGNATURE's dataoff/datasize, bounds-checked against the file.
 * 1 found, 0 none, or -1 with *why set. */
static int find_signature(const uint8_t *file, size_t size, uint32_t *dataoff,
			  uint32_t *datasize, const char **why)
{
	if (size < MACH_HEADER_64_SIZE || rd32(file) != MH_MAGIC_64) {
		*why = "not a 64-bit little-endian Mach-O file";
		return -1;
	}
	uint32_t ncmds = rd32(file + 16), sizeofcmds = rd32(file + 20);
	if (!range_ok(size, MACH_HEADER_64_SIZE, sizeofcmds)) {
		*why = "load commands past the end of the file";
		return -1;
	}
	uint64_t off = MACH_HEADER_64_SIZE;
	uint64_t end = MACH_HEADER_64_SIZE + (uint64_t)sizeofcmds;
	for (uint32_t i = 0; i < ncmds; i++) {
		if (!range_ok(end, off, 8)) {
			*why = "load command past sizeofcmds";
			return -1;
		}
		uint32_t cmd = rd32(file + off), cmdsize = rd32(file + off + 4);
		if (cmdsize < 8 || !range_ok(end, off, cmdsize)) {
			*why = "bad load command size";
			return -1;
		}
		if (cmd == LC_CODE_SIGNATURE) {
			if (cmdsize < 16) {
				*why = "LC_CODE_SIGNATURE shorter than 16 bytes";
				return -1;
			}
			*dataoff = rd32(file + off + 8);
			*datasize = rd32(file + off + 12);
			if (!range_ok(size, *dataoff, *datasize)) {
				*why = "signature past the end of the file";
				return -1;
			}
			return 1;
		}
		off += cmdsize;
	}
	return 0;
}

int codesign_describe(const uint8_t *file, size_t size, struct buf *out)
{
	uint32_t dataoff = 0, datasize = 0, cd_off, cd_len;
	const char *why = NULL;
	int found = find_signature(file, size, &dataoff, &datasize, &why);
	if (found < 0)
		return malformed(out, why);
	if (found == 0) {
		buf_printf(out, "no code signature\n");
		return buf_failed(out) ? -1 : 0;
	}
	const uint8_t *sig = file + dataoff;
	buf_printf(out, "signature     offset 0x%08" PRIX32 " size %" PRIu32 "\n",
		   dataoff, datasize);
	if ((why = find_cd(sig, datasize, &cd_off, &cd_len)) != NULL)
		return malformed(out, why);
	const uint8_t *cd = sig + cd_off;
	uint32_t version = rd32be(cd + CD_VERSION);
	uint32_t flags = rd32be(cd + CD_FLAGS);
	uint32_t hash_off = rd32be(cd + CD_HASH_OFFSET);
	uint32_t ident_off = rd32be(cd + CD_IDENT_OFFSET);
	uint32_t nslots = rd32be(cd + CD_N_CODE_SLOTS);
	uint32_t limit = rd32be(cd + CD_CODE_LIMIT);
	uint8_t hash_size = cd[CD_HASH_SIZE], page_shift = cd[CD_PAGE_SIZE];

	buf_printf(out, "version       0x%05" PRIX32 "\n", version);
	buf_printf(out, "flags         0x%08" PRIX32 "%s%s\n", flags,
		   flags & CS_ADHOC ? " adhoc" : "",
		   flags & CS_LINKER_SIGNED ? " linker-signed" : "");
	if (ident_off >= cd_len || !memchr(cd + ident_off, 0, cd_len - ident_off))
		return malformed(out, "identifier not NUL-terminated in the CodeDirectory");
	buf_printf(out, "identifier    ");
	buf_put_escaped(out, (const char *)cd + ident_off);
	buf_u8(out, '\n');
	buf_printf(out, "code limit    0x%08" PRIX32 "\n", limit);
	buf_printf(out, "pages         %" PRIu32 " of %u bytes, hash type %u, "
		   "%u bytes each\n", nslots,
		   page_shift < 32 ? 1u << page_shift : 0u,
		   cd[CD_HASH_TYPE], hash_size);
	if (version >= CS_SUPPORTSEXECSEG) {
		uint64_t seg_flags = rd64be(cd + CD_EXEC_SEG_FLAGS);
		buf_printf(out, "exec segment  offset 0x%08" PRIX64 " size 0x%08"
			   PRIX64 " flags 0x%" PRIX64 "%s\n",
			   rd64be(cd + CD_EXEC_SEG_BASE),
			   rd64be(cd + CD_EXEC_SEG_LIMIT), seg_flags,
			   seg_flags & CS_EXECSEG_MAIN_BINARY ? " main-binary" : "");
	}
	uint8_t cdhash[CODESIGN_CDHASH_SIZE];
	if (codesign_cdhash(sig, datasize, cdhash) != 0)
		return malformed(out, "cannot hash the CodeDirectory");
	buf_printf(out, "cdhash        ");
	put_hex(out, cdhash, sizeof cdhash);
	buf_printf(out, "\n");
	if (!range_ok(cd_len, hash_off, (uint64_t)nslots * hash_size))
		return malformed(out, "page hashes past the CodeDirectory");
	buf_printf(out, "page  offset      hash\n");
	for (uint32_t i = 0; i < nslots; i++) {
		uint64_t page_off = page_shift < 64 ? (uint64_t)i << page_shift : 0;
		buf_printf(out, "%-5" PRIu32 " 0x%08" PRIX64 "  ", i, page_off);
		put_hex(out, cd + hash_off + (size_t)i * hash_size, hash_size);
		buf_u8(out, '\n');
	}
	return buf_failed(out) ? -1 : 0;
}
