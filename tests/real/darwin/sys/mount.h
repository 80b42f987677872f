/* sys/mount.h - Darwin's struct statfs and fstatfs for tests/real
 * (sqlite3.c's unix VFS reads f_fstypename on __APPLE__ to spot msdos
 * file systems). The layout is Darwin's 64-bit one (ino64); the runner
 * binds _fstatfs to glibc, which fills in its own smaller Linux struct, so
 * f_fstypename reads as an empty name. */
#ifndef REAL_SYS_MOUNT_H
#define REAL_SYS_MOUNT_H
#include <stdint.h>
#include <sys/types.h>

#define MFSTYPENAMELEN 16
#define MNAMELEN 1024

typedef struct { int32_t val[2]; } fsid_t;

struct statfs {
	uint32_t f_bsize;
	int32_t f_iosize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	fsid_t f_fsid;
	uid_t f_owner;
	uint32_t f_type;
	uint32_t f_flags;
	uint32_t f_fssubtype;
	char f_fstypename[MFSTYPENAMELEN];
	char f_mntonname[MNAMELEN];
	char f_mntfromname[MNAMELEN];
	uint32_t f_flags_ext;
	uint32_t f_reserved[7];
};

int statfs(const char *path, struct statfs *buf);
int fstatfs(int fd, struct statfs *buf);
#endif
