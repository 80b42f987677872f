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
 *   bench-io copy SRC DST CAPACITY
 *       What `cat SRC > DST` does, timed in its two parts: open SRC and
 *       read it to its end into memory, then create DST, write it and
 *       close it. Reads and writes are of cat's size: max(128 KiB, SRC's
 *       st_blksize), which cat (coreutils 9.1) takes from fstat after it
 *       opens SRC, as this does. SRC may be a.out in a mount, which links
 *       on first read, so nothing touches SRC before the clock starts.
 *       CAPACITY bytes of buffer are allocated and touched beforehand, so
 *       no page fault of ours is timed (cat reuses one buffer). Prints
 *       "size read_ns write_ns".
 *   bench-io touch MIB
 *       The cost of memory the process has never touched: maps MIB MiB,
 *       asks for transparent huge pages (as the link's large blocks do)
 *       and writes one byte per 4 KiB page. Prints "bytes ns". On a VM
 *       this depends on whether the guest still holds free pages or the
 *       host must back them afresh, and both linkers pay it for every
 *       new page; bench/run runs it before each scale's CLI links and at
 *       the end, so a run's report says which state it met.
 *
 * Exit 0, or 1 with a message on stderr. floor and reread read through a
 * 1 MiB buffer; copy uses cat's size (above).
 * Leaves out: O_DIRECT, mmap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

static int do_copy(char **argv)
{
	const char *src = argv[0], *dst = argv[1];
	char *end;
	errno = 0;
	unsigned long long cap = strtoull(argv[2], &end, 10);
	if (errno || *end || end == argv[2] || cap < BUF_SIZE || cap > (1ull << 34)) {
		fprintf(stderr, "bench-io: bad capacity '%s'\n", argv[2]);
		return -1;
	}
	char *buf = malloc((size_t)cap);
	if (!buf)
		return error("out of memory for", src);
	memset(buf, 0, (size_t)cap);
	int rc = -1;
	uint64_t t0 = now_ns();
	int fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open", src);
		goto done;
	}
	struct stat st;
	size_t io = 128 << 10;   /* coreutils' IO_BUFSIZE */
	if (fstat(fd, &st) == 0 && st.st_blksize > 0 && (size_t)st.st_blksize > io)
		io = (size_t)st.st_blksize;
	if (io > (size_t)cap)
		io = (size_t)cap;
	size_t total = 0;
	for (;;) {
		size_t room = (size_t)cap - total;
		if (room == 0) {
			fprintf(stderr, "bench-io: '%s' is larger than %llu bytes\n", src, cap);
			close(fd);
			goto done;
		}
		ssize_t n = read(fd, buf + total, room < io ? room : io);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read", src);
			close(fd);
			goto done;
		}
		if (n == 0)
			break;
		total += (size_t)n;
	}
	close(fd);
	uint64_t t1 = now_ns();
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0) {
		error("cannot create", dst);
		goto done;
	}
	for (size_t off = 0; off < total;) {
		size_t chunk = total - off < io ? total - off : io;
		ssize_t n = write(fd, buf + off, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error("cannot write", dst);
			close(fd);
			goto done;
		}
		off += (size_t)n;
	}
	if (close(fd) != 0) {
		error("cannot close", dst);
		goto done;
	}
	uint64_t t2 = now_ns();
	printf("%zu %llu %llu\n", total, (unsigned long long)(t1 - t0),
	       (unsigned long long)(t2 - t1));
	rc = 0;
done:
	free(buf);
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

static int do_touch(const char *mib)
{
	char *end;
	unsigned long n = strtoul(mib, &end, 10);
	if (*end || n == 0 || n > 4096) {
		fprintf(stderr, "bench-io touch: MIB must be 1-4096, not '%s'\n", mib);
		return -1;
	}
	size_t size = (size_t)n << 20;
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return error("mmap", "anonymous memory");
	madvise(p, size, MADV_HUGEPAGE);
	uint64_t t0 = now_ns();
	for (size_t i = 0; i < size; i += 4096)
		((volatile char *)p)[i] = 1;
	uint64_t t1 = now_ns();
	printf("%zu %llu\n", size, (unsigned long long)(t1 - t0));
	munmap(p, size);
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
	if (argc == 5 && !strcmp(argv[1], "copy"))
		return do_copy(argv + 2) != 0;
	if (argc == 3 && !strcmp(argv[1], "touch"))
		return do_touch(argv[2]) != 0;
	fprintf(stderr, "usage: bench-io floor OUT SIZE FILE...\n"
			"       bench-io reread FILE MIN_BYTES\n"
			"       bench-io copy SRC DST CAPACITY\n"
			"       bench-io touch MIB\n");
	return 2;
}
