/*
 * inputs.h - linkfs-ld reads its input files, many at once.
 *
 * A large link names 10,000 small objects; opening and reading them is
 * system time that grows with the count, not the bytes. inputs_read
 * spreads the files over the link's threads, opens each relative to a
 * cached descriptor of its directory (no full path walk per file), reads
 * small files into large shared slabs (no page per file, no mapping to
 * tear down) and maps big ones (archives). A small object is parsed as it
 * is read, and only the parse and its sections' contents are kept: the
 * link then reads the parse (link_input.parsed) and not the file.
 *
 * Invariant: an input's data and parse stay valid until inputs_release,
 * but for what inputs_drop_bytes and inputs_drop_nlists free.
 */
#ifndef LINKFS_CLI_INPUTS_H
#define LINKFS_CLI_INPUTS_H

#include <stddef.h>
#include <stdint.h>

#include "../input/object.h"

enum input_status { IN_READ_OK = 0, IN_CANNOT_OPEN, IN_NOT_REGULAR,
		    IN_CANNOT_READ, IN_CANNOT_MAP, IN_NO_MEMORY };

struct cli_input {
	char *path;              /* NULL: nothing to read (the built-in -lSystem) */
	const uint8_t *data;     /* out: the file's bytes; NULL (size 0)
				    for an object parsed as it was read */
	size_t size;
	const struct obj_file *parsed; /* out: that object's parse, which
				    needs no bytes (link_input.parsed) */
	const uint8_t *shipped;  /* a stub shipped inside linkfs-ld (-lc++):
				    its bytes, not read from path */
	size_t shipped_size;
	uint8_t force_load;      /* -force_load: every member of the archive */
	uint8_t weak_dylib;      /* -weak-l, -weak_library, -weak_framework */
	uint8_t needed_dylib;    /* -needed-l, -needed_library, -needed_framework */
	uint8_t framework;       /* a -framework NAME not yet found */
	uint8_t reexport;        /* -reexport-l, -reexport_library,
				    -reexport_framework */
	uint8_t bundle_loader;   /* -bundle_loader */
	uint32_t reexported_by;  /* found as a re-export of input N-1 */
	uint8_t lazy;            /* between --start-lib and --end-lib */
	uint8_t status;          /* enum input_status */
	int errnum;              /* errno of a failed call */
};

struct input_store;

/*
 * Reads in[0..n) on up to `threads` threads. Returns the store that owns
 * the bytes (release with inputs_release), or NULL when out of memory.
 * Each input's own status says whether it was read.
 */
struct input_store *inputs_read(struct cli_input *in, size_t n, int threads);
/* Frees the bytes of every input (their data pointers, and the parses'
 * section contents and relocations, dangle after it) and keeps the
 * store; a link_options.inputs_done callback. */
void inputs_drop_bytes(void *store);
/* Frees the parses' nlist entries; a link_options.nlists_done callback. */
void inputs_drop_nlists(void *store);
void inputs_release(struct input_store *st);

/* "cannot open 'x.o': No such file or directory", etc., into buf. */
const char *input_error(const struct cli_input *in, char *buf, size_t size);

#endif
