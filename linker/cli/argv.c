/*
 * argv.c - response files (@FILE) for linkfs-ld; see argv.h for the
 * syntax. A file is read whole, split into one buffer of NUL-terminated
 * arguments (never longer than the file plus one byte), and its
 * arguments are spliced into the list where "@FILE" stood, so that a
 * response file inside it is expanded when the parser reaches it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argv.h"

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int is_quote(char ch)
{
	return ch == '"' || ch == '\'';
}

long argv_tokenize(const char *s, size_t len, char *out, size_t *bad_off,
		   const char **why)
{
	size_t o = 0, tok = 0;   /* tok: where the current argument starts */
	long n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == 0) {
			*bad_off = i;
			*why = "NUL byte";
			return -1;
		}
		if (o == tok)   /* nothing yet: skip separators */
			while (i < len && is_space(s[i]))
				i++;
		if (i == len)
			break;
		char ch = s[i];
		if (ch == 0) {
			*bad_off = i;
			*why = "NUL byte";
			return -1;
		}
		if (ch == '\\' && i + 1 < len) {
			if (s[++i] == 0) {
				*bad_off = i;
				*why = "NUL byte";
				return -1;
			}
			out[o++] = s[i];
		} else if (is_quote(ch)) {
			size_t open = i++;
			while (i < len && s[i] != ch) {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				if (s[i] == 0) {
					*bad_off = i;
					*why = "NUL byte";
					return -1;
				}
				out[o++] = s[i++];
			}
			if (i == len) {
				*bad_off = open;
				*why = ch == '"' ? "unterminated \" quote"
						 : "unterminated ' quote";
				return -1;
			}
		} else if (is_space(ch)) {
			out[o++] = 0;   /* o > tok here: an argument ends */
			tok = o;
			n++;
		} else {
			out[o++] = ch;
		}
	}
	if (o > tok) {
		out[o++] = 0;
		n++;
	}
	return n;
}

int argv_init(struct argv_list *a, int argc, char **argv)
{
	memset(a, 0, sizeof *a);
	size_t n = argc > 0 ? (size_t)argc : 0;
	a->cap = n + 1;
	a->v = malloc(a->cap * sizeof *a->v);
	a->depth = calloc(a->cap, 1);
	if (!a->v || !a->depth)
		return -1;
	if (n)
		memcpy(a->v, argv, n * sizeof *a->v);
	a->v[n] = NULL;
	a->n = n;
	return 0;
}

void argv_release(struct argv_list *a)
{
	for (size_t i = 0; i < a->nbufs; i++)
		free(a->bufs[i]);
	free(a->bufs);
	free(a->v);
	free(a->depth);
	memset(a, 0, sizeof *a);
}

int argv_read_file(const char *path, uint64_t limit, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st)) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	/* a regular file's size is a hint only (a FIFO has none) */
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	size_t n = 0;
	char *buf = NULL;
	for (;;) {
		if (n == cap || !buf) {
			if (buf)
				cap *= 2;
			char *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return -1;
			}
			buf = p;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > limit) {
			free(buf);
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

int argv_expand(struct argv_list *a, size_t i, char *msg, size_t cap)
{
	const char *path = a->v[i] + 1;
	unsigned depth = a->depth[i];
	if (depth >= ARGV_MAX_DEPTH) {
		snprintf(msg, cap, "response file '%s': nested more than %d deep "
			 "(does it name itself?)", path, ARGV_MAX_DEPTH);
		return -1;
	}
	if (!*path) {
		snprintf(msg, cap, "'@' without a response file name");
		return -1;
	}
	if (a->files >= ARGV_MAX_FILES) {
		snprintf(msg, cap, "response file '%s': more than %d response files "
			 "read in all", path, ARGV_MAX_FILES);
		return -1;
	}
	a->files++;
	char *text;
	size_t len;
	uint64_t left = ARGV_MAX_BYTES - a->bytes;
	if (argv_read_file(path, left, &text, &len)) {
		if (errno == EFBIG)
			snprintf(msg, cap, "response file '%s': more than %llu bytes of "
				 "response files in all", path,
				 (unsigned long long)ARGV_MAX_BYTES);
		else
			snprintf(msg, cap, "cannot read response file '%s': %s", path,
				 strerror(errno));
		return -1;
	}
	a->bytes += len;
	size_t skip = 0;
	if (len >= 2 && (((uint8_t)text[0] == 0xff && (uint8_t)text[1] == 0xfe) ||
			 ((uint8_t)text[0] == 0xfe && (uint8_t)text[1] == 0xff))) {
		free(text);
		snprintf(msg, cap, "response file '%s': offset 0x0: UTF-16 text is "
			 "not supported (write it as UTF-8)", path);
		return -1;
	}
	if (len >= 3 && (uint8_t)text[0] == 0xef && (uint8_t)text[1] == 0xbb &&
	    (uint8_t)text[2] == 0xbf)
		skip = 3;
	char *out = malloc(len + 1);
	char **bufs = realloc(a->bufs, (a->nbufs + 1) * sizeof *bufs);
	if (!out || !bufs) {
		free(out);
		free(text);
		if (bufs)
			a->bufs = bufs;
		snprintf(msg, cap, "out of memory reading response file '%s'", path);
		return -1;
	}
	a->bufs = bufs;
	size_t bad = 0;
	const char *why = "";
	long nt = argv_tokenize(text + skip, len - skip, out, &bad, &why);
	free(text);
	if (nt < 0) {
		free(out);
		snprintf(msg, cap, "response file '%s': offset 0x%zx: %s", path,
			 bad + skip, why);
		return -1;
	}
	a->bufs[a->nbufs++] = out;
	size_t k = (size_t)nt;
	if (a->n - 1 + k > ARGV_MAX_ARGS) {
		snprintf(msg, cap, "response file '%s': more than %u arguments in all",
			 path, ARGV_MAX_ARGS);
		return -1;
	}
	/* a->v[i] is replaced by k arguments */
	size_t need = a->n - 1 + k + 1;
	if (need > a->cap) {
		size_t nc = a->cap * 2 > need ? a->cap * 2 : need;
		char **v = realloc(a->v, nc * sizeof *v);
		if (v)
			a->v = v;
		uint8_t *d = v ? realloc(a->depth, nc) : NULL;
		if (!v || !d) {
			snprintf(msg, cap, "out of memory reading response file '%s'", path);
			return -1;
		}
		a->depth = d;
		a->cap = nc;
	}
	memmove(a->v + i + k, a->v + i + 1, (a->n - i - 1) * sizeof *a->v);
	memmove(a->depth + i + k, a->depth + i + 1, a->n - i - 1);
	a->n = a->n - 1 + k;
	a->v[a->n] = NULL;
	char *p = out;
	for (size_t j = 0; j < k; j++) {
		a->v[i + j] = p;
		a->depth[i + j] = (uint8_t)(depth + 1);
		p += strlen(p) + 1;
	}
	return 0;
}
