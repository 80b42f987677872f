/*
 * bench-io - the I/O figures of bench/run that a Python loop would distort.
 *
 *   bench-io floor OUT SIZE FILE...
 *       The physical floor of a link: read every FILE to its end, then
 *       write SIZE bytes to OUT (a new file, renamed into place as lld
 *       does; no fsync, as no linker syncs its output). bench/run times
 *       the whole process, as it times the linkers.
 *   bench-io reread FILE MIN_BYTES
 *       Re-read FILE until at least MIN_BYTES (and at least 3 whole
 *       passes) were read, two ways: open+read+close per pass (what a
 *       repeated `cat` costs) and pread from offset 0 on one descriptor
 *       (the page cache alone). Prints one line:
 *       "size PASSES open_read_ns PASSES pread_ns".
 *
 * Exit 0, or 1 with a message on stderr. Reads go through a 1 MiB buffer.
 * Leaves out: O_DIRECT, mmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { BUF_SIZE = 1 << 20 };

static int error(const char *what, const char *path)
{
	fprintf(stderr, "bench-io: %s '%s': %s\n", what, path, strerror(errno));
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Reads fd to its end from offset 0; returns the byte count, or -1. */
static int64_t read_all(int fd, char *buf, int use_pread)
{
	int64_t total = 0;
	for (;;) {
		ssize_t n = use_pread ? pread(fd, buf, BUF_SIZE, (off_t)total)
				      : read(fd, buf, BUF_SIZE);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return total;
		total += n;
	}
}

static int do_floor(int argc, char **argv, char *buf)
{
	const char *out = argv[0];
	char *end;
	errno = 0;
	unsigned long long size = strtoull(argv[1], &end, 10);
	if (errno || *end || end == argv[1]) {
		fprintf(stderr, "bench-io: bad size '%s'\n", argv[1]);
		return -1;
	}
	for (int i = 2; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return error("cannot open", argv[i]);
		int64_t n = read_all(fd, buf, 0);
		close(fd);
		if (n < 0)
			return error("cannot read", argv[i]);
	}

	size_t len = strlen(out);
	char *tmp = malloc(len + 5);
	if (!tmp)
		return error("out of memory for", out);
	memcpy(tmp, out, len);
	memcpy(tmp + len, ".tmp", 5);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0) {
		error("cannot create", tmp);
		free(tmp);
		return -1;
	}
	memset(buf, 0xcc, BUF_SIZE);
	int rc = 0;
	while (size > 0 && rc == 0) {
		size_t chunk = size < BUF_SIZE ? (size_t)size : BUF_SIZE;
		ssize_t n = write(fd, buf, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = error("cannot write", tmp);
		else
			size -= (unsigned long long)n;
	}
	if (close(fd) != 0 && rc == 0)
		rc = error("cannot close", tmp);
	if (rc == 0 && rename(tmp, out) != 0)
		rc = error("cannot rename to", out);
	free(tmp);
	return rc;
}

static int do_reread(char **argv, char *buf)
{
	const char *path = argv[0];
	char *end;
	errno = 0;
	unsigned long long min_bytes = strtoull(argv[1], &end, 10);
	if (errno || *end || end == argv[1]) {
		fprintf(stderr, "bench-io: bad byte count '%s'\n", argv[1]);
		return -1;
	}
	struct stat st;
	if (stat(path, &st) != 0)
		return error("cannot stat", path);
	if (st.st_size <= 0) {
		fprintf(stderr, "bench-io: '%s' is empty\n", path);
		return -1;
	}
	uint64_t size = (uint64_t)st.st_size;
	uint64_t passes = min_bytes / size + 1;
	if (passes < 3)
		passes = 3;

	/* one untimed pass so both loops start from a warm cache */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open", path);
	if (read_all(fd, buf, 0) != (int64_t)size) {
		close(fd);
		return error("short read of", path);
	}
	close(fd);

	uint64_t t0 = now_ns();
	for (uint64_t i = 0; i < passes; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return error("cannot open", path);
		int64_t n = read_all(fd, buf, 0);
		close(fd);
		if (n != (int64_t)size)
			return error("short read of", path);
	}
	uint64_t open_read_ns = now_ns() - t0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error("cannot open", path);
	t0 = now_ns();
	for (uint64_t i = 0; i < passes; i++) {
		if (read_all(fd, buf, 1) != (int64_t)size) {
			close(fd);
			return error("short read of", path);
		}
	}
	uint64_t pread_ns = now_ns() - t0;
	close(fd);
	printf("%llu %llu %llu %llu %llu\n", (unsigned long long)size,
	       (unsigned long long)passes, (unsigned long long)open_read_ns,
	       (unsigned long long)passes, (unsigned long long)pread_ns);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "floor")) {
		char *buf = malloc(BUF_SIZE);
		int rc = buf ? do_floor(argc - 2, argv + 2, buf) : -1;
		free(buf);
		return rc != 0;
	}
	if (argc == 4 && !strcmp(argv[1], "reread")) {
		char *buf = malloc(BUF_SIZE);
		int rc = buf ? do_reread(argv + 2, buf) : -1;
		free(buf);
		return rc != 0;
	}
	fprintf(stderr, "usage: bench-io floor OUT SIZE FILE...\n"
			"       bench-io reread FILE MIN_BYTES\n");
	return 2;
}
