/*
 * dwarf_cu.h - the two strings the debug map needs from an object's
 * DWARF: DW_AT_name and DW_AT_comp_dir of the first unit in
 * __debug_info, read from that unit's first DIE only.
 *
 * Hostile input: every read is bounds-checked against the section it is
 * in, every string must end (NUL) inside its section, and anything this
 * reader does not understand (an unknown form, a unit type other than a
 * compile, partial or skeleton unit, a version outside 2..5) fails the
 * read with a reason; it never reads outside the given bytes.
 *
 * Leaves out: every DIE but the first, units after the first (lld reads
 * the first too: PR48637), split DWARF (.dwo) and supplementary files.
 */
#ifndef LINKFS_DWARF_CU_H
#define LINKFS_DWARF_CU_H

#include <stddef.h>
#include <stdint.h>

/* An object's debug sections; a missing one is NULL with size 0. */
struct dwarf_sections {
	const uint8_t *info, *abbrev, *str, *str_offsets, *line_str;
	size_t info_size, abbrev_size, str_size, str_offsets_size, line_str_size;
};

struct dwarf_cu_names {
	const char *name;      /* DW_AT_name, or NULL when absent; points
				  into a section (NUL-terminated there) */
	const char *comp_dir;  /* DW_AT_comp_dir, or NULL when absent */
};

/*
 * Reads the first unit's DW_AT_name and DW_AT_comp_dir. Returns 0 and
 * fills *out, or -1 and sets *why to a static message ("truncated unit
 * header", "unknown form 0x...": the latter formatted into why_buf of
 * why_cap bytes). Allocates nothing.
 */
int dwarf_cu_names(const struct dwarf_sections *s, struct dwarf_cu_names *out,
		   const char **why, char *why_buf, size_t why_cap);

#endif
