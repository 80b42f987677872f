/*
 * dylib.h - a dynamic library interface read from a TBD stub (v4 YAML via
 * libyaml, v5 JSON via json-c) or from a binary MH_DYLIB (thin, or the
 * slice of a fat file for the link's architecture).
 *
 * Only what the linker needs for one target architecture: the install
 * name, versions, and the exported symbols (with weak and thread-local
 * kinds). Symbols of documents re-exported by the main one (inlined
 * libraries in a multi-document TBD, or `reexported-libraries` entries that
 * are themselves in the file) are merged into the main library, because a
 * two-level bind names the library the executable loads.
 *
 * Leaves out: Objective-C classes beyond plain symbol names, allowable
 * clients, parent-umbrella checks, UUIDs.
 */
#ifndef LINKFS_DYLIB_H
#define LINKFS_DYLIB_H

#include <stddef.h>
#include <stdint.h>

#include "../base/diag.h"
#include "object.h"

enum dylib_sym_kind { DYSYM_REGULAR = 0, DYSYM_WEAK = 1, DYSYM_TLV = 2 };

struct dylib_symbol {
	const char *name; /* in the dylib's storage (or static, when baked) */
	uint8_t kind;     /* enum dylib_sym_kind */
};

/*
 * install_name and symbols are read-only views. For a parsed TBD they point
 * into the own_* storage below, which dylib_release frees; for the baked
 * libSystem (dylib_libsystem) they point at static const data and the own_*
 * fields are NULL, so the same struct can be shared by any number of links
 * and threads.
 */
struct dylib {
	const char *install_name;
	uint32_t current_version; /* xxxx.yy.zz packed as in LC_LOAD_DYLIB */
	uint32_t compat_version;
	const struct dylib_symbol *symbols; /* sorted by name, no duplicates */
	size_t nsymbols;
	char *own_name;                 /* owned copy of install_name */
	struct dylib_symbol *own_syms;  /* owned array behind symbols */
	void *arena;                    /* owned storage for symbol names */
	/* install names of LC_REEXPORT_DYLIB (binary dylibs only; a TBD's
	 * re-exports are merged into symbols): array and strings live in
	 * `arena`, so dylib_release frees them */
	const char *const *reexports;
	size_t nreexports;
	const char *const *rpaths;  /* LC_RPATH paths (binary dylibs), likewise */
	size_t nrpaths;
};

/*
 * Parses a TBD (v4 YAML or v5 JSON, detected from the content) and keeps
 * the exports listed for `arch` (x86_64-macos / arm64-macos targets).
 * Returns 0, or -1 with an error in `d` naming the file and, where known,
 * the line and what is wrong. Never reads outside [data, data+size).
 */
int tbd_parse(struct dylib *out, const char *name, const uint8_t *data,
	      size_t size, enum link_arch arch, struct diag *d);
/* The same for another platform: the exports of target ARCH-PLATFORM
 * ("arm64-ios-simulator"; link_platform_tbd_name gives PLATFORM). */
int tbd_parse_for(struct dylib *out, const char *name, const uint8_t *data,
		  size_t size, enum link_arch arch, const char *platform,
		  struct diag *d);
void dylib_release(struct dylib *dl);

/*
 * 1 if the bytes are a little-endian 64-bit Mach-O with filetype MH_DYLIB,
 * or a fat/universal file (FAT_MAGIC or FAT_MAGIC_64), which only
 * dylib_macho_parse reads. Looks at the first 16 bytes only.
 */
int dylib_macho_is(const uint8_t *data, size_t size);

/*
 * Parses a binary dylib (dylib_macho.c): a 64-bit MH_DYLIB for `arch`, or
 * the `arch` slice of a fat file. Reads the install name and versions of
 * LC_ID_DYLIB, the exports of the export trie (LC_DYLD_INFO[_ONLY] or
 * LC_DYLD_EXPORTS_TRIE) or, without one, the symbol table's external
 * definitions, and the LC_REEXPORT_DYLIB install names. Returns 0 (release
 * *out with dylib_release), or -1 with one error in `d`:
 * "'NAME': offset 0xOFF: PROBLEM", OFF a file offset. Never reads outside
 * [data, data+size).
 */
int dylib_macho_parse(struct dylib *out, const char *name, const uint8_t *data,
		      size_t size, enum link_arch arch, struct diag *d);
/* The same for an executable a bundle is loaded into (-bundle_loader):
 * an MH_EXECUTE, its exports read as a dylib's; its install name is
 * `name`, its versions 0. */
int dylib_macho_parse_loader(struct dylib *out, const char *name,
			     const uint8_t *data, size_t size,
			     enum link_arch arch, struct diag *d);

/* Binary search; returns the symbol or NULL. */
const struct dylib_symbol *dylib_find(const struct dylib *dl, const char *name);

/* The libSystem TBD shipped with linkfs (data/libSystem.tbd), compiled in,
 * so `-lSystem` works with no SDK. */
extern const uint8_t libsystem_tbd[];
extern const size_t libsystem_tbd_size;

/*
 * The same libSystem, parsed at build time (tools/tbd-bake.c runs tbd_parse
 * on data/libSystem.tbd for every architecture and writes the result as
 * static tables), so a link never parses YAML for it. Fills *out with a
 * read-only view (nothing to release, but dylib_release is harmless).
 * Returns 0, or -1 if the shipped stub lists nothing for `arch`.
 */
int dylib_libsystem(struct dylib *out, enum link_arch arch);

/* One architecture's baked libSystem (generated libsystem_baked.c). */
struct dylib_baked {
	enum link_arch arch;
	const char *install_name;
	uint32_t current_version, compat_version;
	const struct dylib_symbol *symbols;
	size_t nsymbols;
};
extern const struct dylib_baked libsystem_baked[];
extern const size_t libsystem_baked_count;

#endif
