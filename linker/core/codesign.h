/*
 * codesign.h - the ad-hoc code signature ld64.lld 19 puts at the end of an
 * arm64 output (LC_CODE_SIGNATURE's data): a SuperBlob holding one
 * CodeDirectory with a SHA-256 hash of every 4 KiB page of the file before
 * it. The bytes are lld's, byte for byte, for the same identifier, signed
 * range and __TEXT segment.
 *
 * Pure functions over caller-owned memory: no globals, no allocation but
 * OpenSSL's digest context (and codesign_describe's buf), never abort.
 * Leaves out: special slots (entitlements, requirements, Info.plist), CMS
 * signatures, SHA-1 or alternate CodeDirectories, signatures past 4 GiB
 * (codeLimit64), choosing the identifier (ld64.lld 19 uses a dylib's
 * -install_name when it has one, else the output path; either way only the
 * base name is kept) and laying out LC_CODE_SIGNATURE / __LINKEDIT.
 */
#ifndef LINKFS_CODESIGN_H
#define LINKFS_CODESIGN_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The signed range is hashed in pages of this many bytes (log2: 12). */
#define CODESIGN_PAGE_SIZE 4096u
/* The signature must start at a file offset that is a multiple of this. */
#define CODESIGN_ALIGN 16u
/* A cdhash: the first 20 bytes of the CodeDirectory's SHA-256. */
#define CODESIGN_CDHASH_SIZE 20u

/*
 * Bytes of the signature blob for an output whose first code_limit bytes
 * are signed, with identifier ident (the output file's base name; anything
 * up to a last '/' is dropped, as lld does). A multiple of 16. 0 when the
 * signature cannot be represented: ident NULL, code_limit or the blob past
 * 32 bits.
 */
uint64_t codesign_size(uint64_t code_limit, const char *ident);

/*
 * Writes the SuperBlob at out + code_limit (the caller reserved
 * codesign_size() bytes there, 16-byte aligned) hashing out[0..code_limit)
 * in 4 KiB pages with SHA-256, the last page possibly partial.
 * exec_seg_base/limit: __TEXT's file offset and file size; is_main: 1 for
 * MH_EXECUTE (CS_EXECSEG_MAIN_BINARY), 0 otherwise. Returns 0, or -1 if
 * codesign_size() is 0 or hashing failed (the blob is then incomplete).
 */
int codesign_write(uint8_t *out, uint64_t code_limit, const char *ident,
		   uint64_t exec_seg_base, uint64_t exec_seg_limit, int is_main);

/*
 * The two halves of codesign_write, for callers that hash on several
 * threads: codesign_write_header writes everything but the page hashes
 * (0, or -1 if codesign_size() is 0); codesign_hash_pages writes the hashes
 * of pages [first_page, first_page + npages), clipped to the signed range,
 * into their slots (0, or -1 on a hashing failure or a bad ident). Any
 * split of the pages gives codesign_write's bytes.
 */
int codesign_write_header(uint8_t *out, uint64_t code_limit, const char *ident,
			  uint64_t exec_seg_base, uint64_t exec_seg_limit,
			  int is_main);
int codesign_hash_pages(uint8_t *out, uint64_t code_limit, const char *ident,
			uint64_t first_page, uint64_t npages);

/*
 * The cdhash of a signature blob (sig: the SuperBlob, n bytes): the first
 * 20 bytes of the SHA-256 of its CodeDirectory (slot 0), as long as the
 * CodeDirectory's length field says. 0, or -1 if the blob is malformed or
 * hashing failed.
 */
int codesign_cdhash(const uint8_t *sig, size_t n,
		    uint8_t out[CODESIGN_CDHASH_SIZE]);

/*
 * Appends a text rendering of a 64-bit Mach-O file's code signature to
 * out: the LC_CODE_SIGNATURE range, the CodeDirectory's fields, the cdhash
 * and one line per page hash (as stored; they are not recomputed). A file
 * without LC_CODE_SIGNATURE renders as "no code signature". Returns 0, or
 * -1 when out ran out of memory or the file or signature is malformed (the
 * text then ends with a line "malformed: <why>").
 */
int codesign_describe(const uint8_t *file, size_t size, struct buf *out);

#endif
