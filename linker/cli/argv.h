/*
 * argv.h - linkfs-ld's command line, with response files.
 *
 * An argument "@FILE" where an argument starts (not the value of an
 * option: `-rpath @executable_path` stays as it is) is replaced by the
 * arguments FILE holds, as ld64 and ld64.lld do; clang passes one when the
 * link line is long. The file is split as LLVM's TokenizeGNUCommandLine
 * (what ld64.lld 19 uses) splits it:
 *   - arguments are separated by runs of ' ', '\t', '\r', '\n';
 *   - '...' and "..." quote, and may sit inside an argument (a'b c'd is
 *     one argument, "ab cd"); the quotes themselves are dropped;
 *   - a backslash takes the next byte literally, inside quotes too
 *     (a\ b is "a b", 'it\'s' is "it's"); a backslash that is the
 *     file's last byte is itself;
 *   - an argument that comes out empty ("" alone) is dropped;
 *   - a UTF-8 byte order mark at the start is skipped.
 * Where LLVM is lenient we refuse, naming the file and the offset: an
 * unterminated quote (LLVM keeps what it read), a NUL byte, a UTF-16
 * file; and a FILE that cannot be read is an error (LLVM leaves "@FILE" as
 * an argument). FILE is relative to the current directory, also inside
 * another response file. Files nest at most ARGV_MAX_DEPTH deep, and all
 * of them together may be at most ARGV_MAX_FILES reads, ARGV_MAX_BYTES
 * bytes and give at most ARGV_MAX_ARGS arguments (a file that names
 * itself, or a few that name each other many times, stop there with an
 * error).
 */
#ifndef LINKFS_CLI_ARGV_H
#define LINKFS_CLI_ARGV_H

#include <stddef.h>
#include <stdint.h>

#define ARGV_MAX_DEPTH 20
#define ARGV_MAX_ARGS (16u << 20)
#define ARGV_MAX_BYTES (1ull << 30)
#define ARGV_MAX_FILES 65536

struct argv_list {
	char **v;             /* the arguments, v[n] == NULL */
	uint8_t *depth;       /* per argument: the response files it came
				 through (0: the command line) */
	size_t n, cap;
	char **bufs;          /* the storage of each file's arguments */
	size_t nbufs;
	uint64_t bytes;       /* read from response files so far */
	size_t files;         /* response files read so far */
};

/* Copies argv[0..argc) (the strings are not copied). 0, or -1 when out of
 * memory. */
int argv_init(struct argv_list *a, int argc, char **argv);

/*
 * Replaces a->v[i], "@FILE", by FILE's arguments (a->v may move). 0, or
 * -1 with a message naming FILE (and the offset, for a bad byte) in msg.
 */
int argv_expand(struct argv_list *a, size_t i, char *msg, size_t cap);

/*
 * Splits text[0..len) as described above into out (which holds at least
 * len + 1 bytes): the arguments one after another, each NUL-terminated.
 * Returns the number of arguments, or -1 with *bad_off the offset of an
 * unterminated quote or a NUL byte and *why saying which.
 */
long argv_tokenize(const char *text, size_t len, char *out, size_t *bad_off,
		   const char **why);

void argv_release(struct argv_list *a);

/* Reads path whole into a new buffer (*out, *len; free it): 0, or -1
 * and errno (EISDIR for a directory, EFBIG past limit bytes). */
int argv_read_file(const char *path, uint64_t limit, char **out, size_t *len);

#endif
