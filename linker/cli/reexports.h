/*
 * reexports.h - linkfs-ld's following of LC_REEXPORT_DYLIB (reexports.c).
 */
#ifndef LINKFS_CLI_REEXPORTS_H
#define LINKFS_CLI_REEXPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "../link.h"

struct reexport_input {
	struct link_input in;   /* name = path, data its bytes */
	char *path;             /* owned */
	uint8_t *data;          /* owned */
};

struct reexports {
	struct reexport_input *v;
	size_t n, cap;
};

/*
 * Finds and reads the libraries the binary dylibs among in[0..n) re-export,
 * and those they re-export in turn, into *r: inputs to link after in[],
 * each with reexported_by naming (1-based, in in[] then r's order) the
 * input whose chain it ends. 0, or -1 with a message in msg (a re-export
 * not found or not readable). Release *r with reexports_release either way.
 */
int reexports_follow(const struct link_input *in, size_t n, enum link_arch arch,
		     const char *syslibroot, struct reexports *r, char *msg, size_t msglen);
void reexports_release(struct reexports *r);

#endif
