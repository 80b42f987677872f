/*
 * tbd_build.h - what the TBD front ends (tbd_yaml.c, tbd_json.c) share:
 * a builder that collects the libraries (documents) of one TBD file for one
 * target, and turns them into a struct dylib (tbd.c).
 *
 * A front end adds one tbd_lib per document, fills in its install name,
 * versions, re-exported library names and symbols, and tbd_build_finish
 * merges the re-exported inlined libraries into the first one, sorts and
 * deduplicates. Leaves out: undefined symbols, clients, umbrellas, UUIDs.
 *
 * Invariant: every string the builder holds lives in b->arena, which the
 * finished dylib takes over.
 */
#ifndef LINKFS_TBD_BUILD_H
#define LINKFS_TBD_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"
#include "dylib.h"

/* Nesting deeper than this is rejected: no real TBD goes past 5 levels. */
enum { TBD_MAX_DEPTH = 32 };

enum tbd_objc { TBD_OBJC_CLASS, TBD_OBJC_EHTYPE, TBD_OBJC_IVAR };

struct tbd_lib {
	const char *install_name; /* arena; NULL until seen */
	uint32_t current_version, compat_version;
	int has_target;           /* the library lists our target */
	struct dylib_symbol *syms; /* malloc'd, grows */
	size_t nsyms, capsyms;
	const char **reexports;    /* malloc'd array of arena strings */
	size_t nreexports, capreexports;
};

struct tbd_build {
	const char *file;       /* for messages */
	const char *target;     /* "x86_64-macos" */
	const char *archname;   /* "x86_64" (v1-v3 `archs`) */
	struct diag *d;
	struct arena *arena;    /* malloc'd; handed to the dylib */
	struct tbd_lib *libs;   /* malloc'd */
	size_t nlibs, caplibs;
};

/* All that return int return 0, or -1 with an error in b->d. */
struct tbd_lib *tbd_lib_new(struct tbd_build *b);
int tbd_add_symbol(struct tbd_build *b, struct tbd_lib *l, const char *name,
		   size_t len, enum dylib_sym_kind kind);
/* Adds the symbols of an Objective-C class (_OBJC_CLASS_$_X and
 * _OBJC_METACLASS_$_X), EH type or ivar named `name`. */
int tbd_add_objc(struct tbd_build *b, struct tbd_lib *l, const char *name,
		 size_t len, enum tbd_objc what);
int tbd_add_reexport(struct tbd_build *b, struct tbd_lib *l, const char *name,
		     size_t len);
/* Copies a string into the arena; NULL (with an error) when out of memory
 * or when it holds a NUL byte. */
const char *tbd_strdup(struct tbd_build *b, const char *s, size_t len);

/*
 * Parses "X[.Y[.Z]]" into the packed form xxxx.yy.zz. Returns 0, -1 if
 * the text is malformed, or -2 if a part overflows (X > 65535, Y or Z > 255).
 */
int tbd_parse_version(const char *s, size_t len, uint32_t *out);

/* Writes s[0..len) into out (at most outsz-1 bytes, NUL-terminated) with
 * control and non-ASCII bytes escaped, for error messages. */
void tbd_quote(char *out, size_t outsz, const char *s, size_t len);

int tbd_parse_yaml(struct tbd_build *b, const uint8_t *data, size_t size);
int tbd_parse_json(struct tbd_build *b, const uint8_t *data, size_t size);

#endif
