/*
 * object.h - a parsed, validated MH_OBJECT file (x86_64 or arm64).
 *
 * obj_parse() checks every offset, count and index before anything else in
 * the linker looks at the file, so later stages may rely on these
 * invariants without re-checking:
 *   - every section's [data, data+size) lies inside the file (NULL data for
 *     zerofill types), align <= 15;
 *   - every symbol's name is a NUL-terminated string inside the string
 *     table; N_SECT symbols have 1 <= sect <= nsections and a value inside
 *     [addr, addr+size] of that section (the end is allowed);
 *   - every relocation lies inside its section (offset + (1<<length) <=
 *     size); extern relocations have symbolnum < nsymbols; non-extern ones
 *     have 1 <= symbolnum <= nsections; the type is known for the arch and
 *     its pcrel/length combination is legal; a SUBTRACTOR (x86_64) is
 *     followed by an UNSIGNED at the same offset, an ARM64 ADDEND by a
 *     BRANCH26/PAGE21/PAGEOFF12;
 *   - data-in-code entries lie inside the file.
 * Nothing is copied: sections and names point into the caller's bytes,
 * which must outlive the obj_file.
 *
 * Leaves out: 32-bit and fat files, MH_EXECUTE/MH_DYLIB inputs (rejected).
 */
#ifndef LINKFS_OBJECT_H
#define LINKFS_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "../base/diag.h"

enum link_arch { ARCH_NONE = 0, ARCH_X86_64 = 1, ARCH_ARM64 = 2 };

struct obj_section {
	char segname[17];  /* NUL-terminated copy (16 chars is legal) */
	char sectname[17];
	uint64_t addr;
	uint64_t size;
	uint32_t offset;   /* file offset of contents (0 for zerofill) */
	uint32_t align;    /* log2, <= 15 */
	uint32_t flags;    /* raw: type | attributes */
	const uint8_t *data; /* NULL for zerofill types */
	uint32_t reloc_first; /* index into obj_file.relocs */
	uint32_t nrelocs;
};

struct obj_reloc {
	uint32_t offset;    /* r_address: offset inside the section */
	uint32_t symbolnum; /* symbol index (extern) or 1-based section */
	uint8_t type;
	uint8_t length;     /* log2 of the width: 0..3 */
	uint8_t pcrel;
	uint8_t is_extern;
};

struct obj_symbol {
	const char *name;  /* points into the string table (or its copy,
			      obj_alloc); "" for strx 0 */
	uint8_t type;      /* n_type */
	uint8_t sect;      /* n_sect, 1-based, 0 = NO_SECT */
	uint16_t desc;     /* n_desc */
	uint32_t namelen;  /* strlen(name) */
	uint64_t value;    /* n_value */
};

struct obj_dice {          /* one LC_DATA_IN_CODE entry */
	uint32_t offset;   /* as in the file: an address in the object */
	uint16_t length;
	uint16_t kind;
};

struct obj_file {
	const char *name;       /* for diagnostics; not owned */
	const uint8_t *data;    /* the whole file; not owned */
	size_t size;
	enum link_arch arch;
	uint32_t cputype, cpusubtype, flags;
	struct obj_section *sections; /* owned, or in obj_alloc.keep */
	uint32_t nsections;
	struct obj_symbol *symbols;   /* owned, or in obj_alloc.symbols */
	uint32_t nsymbols;
	struct obj_reloc *relocs;     /* owned, or in obj_alloc.relocs; grouped
					 by section */
	uint32_t nrelocs;
	uint8_t symbols_in_arena, relocs_in_arena, /* obj_release skips them */
		sections_in_arena;
	uint8_t borrowed;             /* a copy of another owner's parse:
					 obj_release frees nothing */
	struct obj_dice *dice;        /* owned */
	uint32_t ndice;
	uint32_t platform;  /* from LC_BUILD_VERSION / LC_VERSION_MIN_*, or 0 */
	uint32_t minos;     /* xxxx.yy.zz nibbles, as in the load command */
	uint32_t sdk;
};

/*
 * Parses and validates `data`. Returns 0 and fills *out, or returns -1 after
 * adding one error to `d` that names the file, the offset and the problem,
 * e.g. "'a.o': offset 0x20: load command 0 cmdsize 0 is too small".
 * On failure *out needs no release. Never reads outside [data, data+size).
 */
int obj_parse(struct obj_file *out, const char *name, const uint8_t *data,
	      size_t size, struct diag *d);

/* Where obj_parse_in puts the nlist and relocation arrays: in these arenas
 * (NULL: malloc), so a caller that is done with them frees them all at
 * once, for many objects, by releasing the arena. With `keep` set, the
 * sections array and a copy of the string table go there, and every name
 * points into the copy, so the file's bytes may go away while the names
 * are still in use (once nothing reads sections' contents any more). */
struct obj_alloc {
	struct arena *symbols;
	struct arena *relocs;
	struct arena *keep;
};
int obj_parse_in(struct obj_file *out, const char *name, const uint8_t *data,
		 size_t size, struct diag *d, const struct obj_alloc *al);
void obj_release(struct obj_file *o);

/* 1 if the section type has no file contents (zerofill kinds). */
int section_is_zerofill(uint32_t flags);

#endif
