/*
 * mr-image.c - read a Mach-O MH_EXECUTE (or, for mr-load.c, an MH_DYLIB or
 * MH_BUNDLE) of the host's architecture (x86_64 or arm64, see mr.h), check
 * its header and load commands (recording the dylibs it names, its install
 * name and its LC_RPATHs), map its segments
 * at a random slide that is a multiple of the Darwin page size (4 KiB
 * x86_64, 16 KiB arm64) and set their protections.
 *
 * Every field is read from the file buffer through bounds-checked helpers;
 * nothing is cast onto the input. Rejected (with a reason): wrong magic,
 * CPU (the other architecture gets its own message), CPU subtype (arm64e)
 * or file type, non-PIE, LC_UNIXTHREAD, a missing LC_MAIN, segments or
 * sections outside the file or overlapping, unaligned segments (on arm64
 * every segment's vmaddr and fileoff must be 16 KiB-aligned, checked
 * explicitly because the 4 KiB pages of the host or of qemu would not
 * notice), LC_DYLD_CHAINED_FIXUPS or LC_DYLD_EXPORTS_TRIE data outside the
 * file, and opcode fixups together with chained fixups. The contents of the
 * chained fixups and of the export trie are checked by mr-chained.c.
 * Left out: fat files, code signatures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mr.h"

#define MAX_FILE_SIZE (1ull << 32)
#define MAX_IMAGE_SIZE (1ull << 36)

/* Where the image may be mapped: [4 GiB, MAP_TOP). On aarch64 the top stays
 * below 256 GiB so that kernels with a 39-bit address space have room. */
#if defined(__aarch64__)
#define MAP_TOP 0x4000000000ull
#else
#define MAP_TOP 0x700000000000ull
#endif

static int rd32(const struct mr_image *img, uint64_t off, uint32_t *out)
{
	if (off > img->file_size || img->file_size - off < 4)
		return -1;
	memcpy(out, img->file + off, 4);
	return 0;
}

static int rd64(const struct mr_image *img, uint64_t off, uint64_t *out)
{
	if (off > img->file_size || img->file_size - off < 8)
		return -1;
	memcpy(out, img->file + off, 8);
	return 0;
}

static int rdname(const struct mr_image *img, uint64_t off, char out[17])
{
	if (off > img->file_size || img->file_size - off < 16)
		return -1;
	memcpy(out, img->file + off, 16);
	out[16] = 0;
	return 0;
}

int mr_image_read(struct mr_image *img, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	img->path = path;
	if (fd < 0) {
		mr_error(img, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		mr_error(img, "not a regular file");
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > MAX_FILE_SIZE) {
		mr_error(img, "file too large");
		close(fd);
		return -1;
	}
	img->file_size = (size_t)st.st_size;
	img->file = malloc(img->file_size ? img->file_size : 1);
	if (!img->file) {
		mr_error(img, "out of memory");
		close(fd);
		return -1;
	}
	size_t got = 0;
	while (got < img->file_size) {
		ssize_t n = read(fd, img->file + got, img->file_size - got);
		if (n <= 0) {
			mr_error(img, "read failed");
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	return 0;
}

static int parse_segment(struct mr_image *img, uint64_t lc, uint32_t cmdsize)
{
	struct mr_segment *s;
	uint32_t nsects;

	if (cmdsize < 72) {
		mr_error(img, "LC_SEGMENT_64 at offset 0x%llx is too small",
			(unsigned long long)lc);
		return -1;
	}
	if (img->nseg == MR_MAX_SEGS) {
		mr_error(img, "more than %d segments", MR_MAX_SEGS);
		return -1;
	}
	s = &img->seg[img->nseg];
	memset(s, 0, sizeof(*s));
	if (rdname(img, lc + 8, s->name) || rd64(img, lc + 24, &s->vmaddr) ||
	    rd64(img, lc + 32, &s->vmsize) || rd64(img, lc + 40, &s->fileoff) ||
	    rd64(img, lc + 48, &s->filesize) ||
	    rd32(img, lc + 56, &s->maxprot) || rd32(img, lc + 60, &s->initprot) ||
	    rd32(img, lc + 64, &nsects) || rd32(img, lc + 68, &s->flags))
		return -1;
	if (MR_HOST_CPU == MR_CPU_ARM64 &&
	    (s->vmaddr % MR_PAGE || s->fileoff % MR_PAGE)) {
		mr_error(img, "segment '%s' (vmaddr 0x%llx, fileoff 0x%llx) is "
			"not 16 KiB-aligned, as Darwin arm64 pages are", s->name,
			(unsigned long long)s->vmaddr,
			(unsigned long long)s->fileoff);
		return -1;
	}
	if (nsects > (cmdsize - 72) / 80) {
		mr_error(img, "segment '%s' has %u sections that do not fit its "
			"load command", s->name, nsects);
		return -1;
	}
	if (s->fileoff > img->file_size ||
	    s->filesize > img->file_size - s->fileoff) {
		mr_error(img, "segment '%s' extends past the end of the file",
			s->name);
		return -1;
	}
	if (s->filesize > s->vmsize) {
		mr_error(img, "segment '%s' has filesize 0x%llx > vmsize 0x%llx",
			s->name, (unsigned long long)s->filesize,
			(unsigned long long)s->vmsize);
		return -1;
	}
	if (s->vmsize > MAX_IMAGE_SIZE || s->vmaddr > UINT64_MAX - s->vmsize) {
		mr_error(img, "segment '%s' is too large", s->name);
		return -1;
	}
	s->mapped = !(strcmp(s->name, "__PAGEZERO") == 0 ||
		(s->initprot == 0 && s->filesize == 0));
	if (s->mapped && s->vmsize && s->vmaddr % MR_PAGE) {
		mr_error(img, "segment '%s' is not page-aligned", s->name);
		return -1;
	}

	struct mr_section *ns = realloc(img->sect,
		(img->nsect + nsects + 1) * sizeof(*ns));
	if (!ns) {
		mr_error(img, "out of memory");
		return -1;
	}
	img->sect = ns;
	for (uint32_t i = 0; i < nsects; i++) {
		struct mr_section *x = &img->sect[img->nsect];
		uint64_t so = lc + 72 + (uint64_t)i * 80;
		memset(x, 0, sizeof(*x));
		if (rdname(img, so, x->sectname) || rdname(img, so + 16, x->segname) ||
		    rd64(img, so + 32, &x->addr) || rd64(img, so + 40, &x->size) ||
		    rd32(img, so + 48, &x->offset) || rd32(img, so + 64, &x->flags))
			return -1;
		x->seg = img->nseg;
		if (x->addr < s->vmaddr || x->size > s->vmsize ||
		    x->addr - s->vmaddr > s->vmsize - x->size) {
			mr_error(img, "section '%s,%s' lies outside its segment",
				x->segname, x->sectname);
			return -1;
		}
		img->nsect++;
	}
	img->nseg++;
	return 0;
}

static int parse_dyld_info(struct mr_image *img, uint64_t lc, uint32_t cmdsize)
{
	uint32_t v[10];

	if (cmdsize < 48) {
		mr_error(img, "LC_DYLD_INFO is too small");
		return -1;
	}
	if (img->has_dyld_info) {
		mr_error(img, "more than one LC_DYLD_INFO");
		return -1;
	}
	for (int i = 0; i < 10; i++)
		if (rd32(img, lc + 8 + 4 * (uint64_t)i, &v[i]))
			return -1;
	for (int i = 0; i < 10; i += 2)
		if ((uint64_t)v[i] + v[i + 1] > img->file_size) {
			mr_error(img, "LC_DYLD_INFO stream %d (offset 0x%x, size "
				"0x%x) extends past the end of the file",
				i / 2, v[i], v[i + 1]);
			return -1;
		}
	img->has_dyld_info = 1;
	img->rebase_off = v[0], img->rebase_size = v[1];
	img->bind_off = v[2], img->bind_size = v[3];
	img->weak_off = v[4], img->weak_size = v[5];
	img->lazy_off = v[6], img->lazy_size = v[7];
	if (v[9] && !img->has_exports) {
		img->has_exports = 1;
		img->exports_off = v[8], img->exports_size = v[9];
	}
	return 0;
}

/* The lc_str at offset 8 of a dylib_command (LC_ID_DYLIB, LC_LOAD_DYLIB,
 * ...; header 24 bytes) or of an rpath_command (12 bytes): a NUL-terminated
 * string inside the command. NULL after printing why. */
static const char *lc_string(struct mr_image *img, uint64_t lc,
	uint32_t cmdsize, uint32_t fixed, const char *what)
{
	uint32_t off;

	if (cmdsize < fixed || rd32(img, lc + 8, &off) || off < fixed ||
	    off >= cmdsize) {
		mr_error(img, "%s at offset 0x%llx: bad string offset", what,
			(unsigned long long)lc);
		return NULL;
	}
	const char *p = (const char *)img->file + lc + off;
	if (!memchr(p, 0, cmdsize - off)) {
		mr_error(img, "%s at offset 0x%llx: string is not NUL-terminated "
			"inside the command", what, (unsigned long long)lc);
		return NULL;
	}
	return p;
}

static int add_dep(struct mr_image *img, uint64_t lc, uint32_t cmd,
	uint32_t cmdsize)
{
	const char *name = lc_string(img, lc, cmdsize, 24, "dylib command");
	if (!name)
		return -1;
	if (img->ndylibs >= 4096) {
		mr_error(img, "more than 4096 dylibs");
		return -1;
	}
	struct mr_dep *d = realloc(img->dep, (img->ndylibs + 1) * sizeof(*d));
	if (!d) {
		mr_error(img, "out of memory");
		return -1;
	}
	img->dep = d;
	memset(&d[img->ndylibs], 0, sizeof(*d));
	d[img->ndylibs].name = name;
	d[img->ndylibs].cmd = cmd;
	img->ndylibs++;
	return 0;
}

static int add_rpath(struct mr_image *img, uint64_t lc, uint32_t cmdsize)
{
	const char *path = lc_string(img, lc, cmdsize, 12, "LC_RPATH");
	if (!path)
		return -1;
	if (img->nrpath >= 256) {
		mr_error(img, "more than 256 LC_RPATH commands");
		return -1;
	}
	const char **r = realloc(img->rpath, (img->nrpath + 1) * sizeof(*r));
	if (!r) {
		mr_error(img, "out of memory");
		return -1;
	}
	img->rpath = r;
	r[img->nrpath++] = path;
	return 0;
}

/* LC_DYLD_CHAINED_FIXUPS and LC_DYLD_EXPORTS_TRIE: a linkedit_data_command
 * {cmd, cmdsize, dataoff, datasize} whose data must lie inside the file. */
static int parse_linkedit_data(struct mr_image *img, uint64_t lc,
	uint32_t cmdsize, const char *name, uint32_t *off, uint32_t *size)
{
	if (cmdsize < 16 || rd32(img, lc + 8, off) || rd32(img, lc + 12, size)) {
		mr_error(img, "%s is too small", name);
		return -1;
	}
	if ((uint64_t)*off + *size > img->file_size) {
		mr_error(img, "%s data (offset 0x%x, size 0x%x) extends past the "
			"end of the file", name, *off, *size);
		return -1;
	}
	return 0;
}

static int check_layout(struct mr_image *img)
{
	int have = 0;

	for (unsigned i = 0; i < img->nseg; i++) {
		const struct mr_segment *a = &img->seg[i];
		if (!a->mapped || !a->vmsize)
			continue;
		for (unsigned j = i + 1; j < img->nseg; j++) {
			const struct mr_segment *b = &img->seg[j];
			if (!b->mapped || !b->vmsize)
				continue;
			if (a->vmaddr < b->vmaddr + b->vmsize &&
			    b->vmaddr < a->vmaddr + a->vmsize) {
				mr_error(img, "segments '%s' and '%s' overlap",
					a->name, b->name);
				return -1;
			}
		}
		if (!have || a->vmaddr < img->vm_lo)
			img->vm_lo = a->vmaddr;
		if (!have || a->vmaddr + a->vmsize > img->vm_hi)
			img->vm_hi = a->vmaddr + a->vmsize;
		have = 1;
		if (!img->has_hdr && a->fileoff == 0 && a->filesize) {
			img->hdr_vm = a->vmaddr;
			img->has_hdr = 1;
		}
	}
	if (!have) {
		mr_error(img, "no segment to map");
		return -1;
	}
	img->vm_hi = (img->vm_hi + MR_PAGE - 1) & ~(uint64_t)(MR_PAGE - 1);
	if (img->vm_hi - img->vm_lo > MAX_IMAGE_SIZE) {
		mr_error(img, "image spans too much address space");
		return -1;
	}
	return 0;
}

int mr_image_parse(struct mr_image *img)
{
	uint32_t magic, cpu, subtype, filetype, ncmds, sizeofcmds, flags;

	if (!rd32(img, 0, &magic) && magic == MR_MH_MAGIC_64 &&
	    !rd32(img, 4, &cpu) && cpu == MR_OTHER_CPU) {
		mr_error(img, "is an " MR_OTHER_ARCH " Mach-O file, but this "
			"macho-run runs " MR_HOST_ARCH " only (use %s)",
			MR_OTHER_CPU == MR_CPU_ARM64 ?
				"macho-run-aarch64, the aarch64 build" :
				"macho-run, the x86_64 build");
		return -1;
	}
	if (rd32(img, 0, &magic) || magic != MR_MH_MAGIC_64 ||
	    rd32(img, 4, &cpu) || cpu != MR_HOST_CPU ||
	    rd32(img, 8, &subtype) || rd32(img, 12, &filetype) ||
	    (img->is_main ? filetype != MR_MH_EXECUTE :
	     filetype != MR_MH_DYLIB && filetype != MR_MH_BUNDLE) ||
	    rd32(img, 16, &ncmds) || rd32(img, 20, &sizeofcmds) ||
	    rd32(img, 24, &flags) || img->file_size < 32) {
		mr_error(img, img->is_main ? "not an " MR_HOST_ARCH " Mach-O "
			"executable" : "not an " MR_HOST_ARCH " Mach-O dylib or "
			"bundle");
		return -1;
	}
	img->filetype = filetype;
	subtype &= ~MR_CPU_SUBTYPE_MASK;
	if (MR_HOST_CPU == MR_CPU_ARM64 && subtype != MR_CPU_SUBTYPE_ARM64_ALL &&
	    subtype != MR_CPU_SUBTYPE_ARM64_V8) {
		mr_error(img, "arm64 CPU subtype %u is not supported (only "
			"arm64, not arm64e)", subtype);
		return -1;
	}
	if (img->is_main && !(flags & MR_MH_PIE)) {
		mr_error(img, "not a position-independent executable (MH_PIE "
			"is not set)");
		return -1;
	}
	if ((uint64_t)sizeofcmds > img->file_size - 32) {
		mr_error(img, "load commands (0x%x bytes) extend past the end "
			"of the file", sizeofcmds);
		return -1;
	}

	uint64_t lc = 32, end = 32 + (uint64_t)sizeofcmds;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd, cmdsize;
		if (lc + 8 > end || rd32(img, lc, &cmd) ||
		    rd32(img, lc + 4, &cmdsize) || cmdsize < 8 || cmdsize % 8 ||
		    cmdsize > end - lc) {
			mr_error(img, "load command %u at offset 0x%llx is "
				"malformed", i, (unsigned long long)lc);
			return -1;
		}
		switch (cmd) {
		case MR_LC_SEGMENT_64:
			if (parse_segment(img, lc, cmdsize)) {
				mr_error(img, "bad LC_SEGMENT_64 at offset 0x%llx",
					(unsigned long long)lc);
				return -1;
			}
			break;
		case MR_LC_SEGMENT:
			mr_error(img, "32-bit LC_SEGMENT is not supported");
			return -1;
		case MR_LC_DYLD_INFO:
		case MR_LC_DYLD_INFO_ONLY:
			if (parse_dyld_info(img, lc, cmdsize))
				return -1;
			break;
		case MR_LC_DYLD_CHAINED_FIXUPS:
			if (img->has_chained) {
				mr_error(img, "more than one LC_DYLD_CHAINED_FIXUPS");
				return -1;
			}
			if (parse_linkedit_data(img, lc, cmdsize,
			    "LC_DYLD_CHAINED_FIXUPS", &img->chained_off,
			    &img->chained_size))
				return -1;
			img->has_chained = 1;
			break;
		case MR_LC_DYLD_EXPORTS_TRIE: {
			uint32_t off, size;
			if (parse_linkedit_data(img, lc, cmdsize,
			    "LC_DYLD_EXPORTS_TRIE", &off, &size))
				return -1;
			/* it wins over the export stream of LC_DYLD_INFO */
			img->has_exports = 1;
			img->exports_off = off, img->exports_size = size;
			break;
		}
		case MR_LC_UNIXTHREAD:
			mr_error(img, "LC_UNIXTHREAD is not supported (needs LC_MAIN)");
			return -1;
		case MR_LC_MAIN:
			if (cmdsize < 24 || img->has_main ||
			    rd64(img, lc + 8, &img->entryoff)) {
				mr_error(img, "bad or repeated LC_MAIN");
				return -1;
			}
			img->has_main = 1;
			break;
		case MR_LC_LOAD_DYLIB:
		case MR_LC_LOAD_WEAK_DYLIB:
		case MR_LC_REEXPORT_DYLIB:
		case MR_LC_LAZY_LOAD_DYLIB:
		case MR_LC_LOAD_UPWARD_DYLIB:
			if (add_dep(img, lc, cmd, cmdsize))
				return -1;
			break;
		case MR_LC_ID_DYLIB:
			if (img->install_name) {
				mr_error(img, "more than one LC_ID_DYLIB");
				return -1;
			}
			img->install_name = lc_string(img, lc, cmdsize, 24,
				"LC_ID_DYLIB");
			if (!img->install_name)
				return -1;
			break;
		case MR_LC_RPATH:
			if (add_rpath(img, lc, cmdsize))
				return -1;
			break;
		default:
			break;
		}
		lc += cmdsize;
	}
	if (img->is_main && !img->has_main) {
		mr_error(img, "no LC_MAIN load command");
		return -1;
	}
	if (img->has_chained && img->has_dyld_info && (img->rebase_size ||
	    img->bind_size || img->weak_size || img->lazy_size)) {
		mr_error(img, "has both LC_DYLD_CHAINED_FIXUPS and LC_DYLD_INFO "
			"rebase/bind opcodes");
		return -1;
	}
	img->sizeofcmds = sizeofcmds;
	return check_layout(img);
}

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int mr_image_map(struct mr_image *img, uint64_t seed, int seeded)
{
	uint64_t span = img->vm_hi - img->vm_lo;
	/* Candidates lie in [4 GiB, MAP_TOP): above the low mappings and
	 * below the stack; a taken range is simply skipped. */
	uint64_t lo_page = (1ull << 32) / MR_PAGE;
	uint64_t hi_page = (MAP_TOP - span) / MR_PAGE;
	uint64_t state = seed;

	if (!seeded && getrandom(&state, sizeof(state), 0) != sizeof(state))
		state ^= (uint64_t)getpid() * 0x9e3779b97f4a7c15ull;
	for (int tries = 0; tries < 256; tries++) {
		uint64_t page = lo_page + splitmix64(&state) % (hi_page - lo_page);
		uint64_t want = page * MR_PAGE;
		if (want == img->vm_lo)
			continue; /* a zero slide would hide missing rebases */
		void *p = mmap((void *)(uintptr_t)want, span,
			PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED)
			continue;
		if ((uint64_t)(uintptr_t)p != want) {
			munmap(p, span);
			continue;
		}
		img->base = p;
		img->slide = want - img->vm_lo;
		break;
	}
	if (!img->base) {
		mr_error(img, "cannot find room to map 0x%llx bytes",
			(unsigned long long)span);
		return -1;
	}
	mr_note(img, "mapped 0x%llx-0x%llx at %p (slide 0x%llx)",
		(unsigned long long)img->vm_lo, (unsigned long long)img->vm_hi,
		(void *)img->base, (unsigned long long)img->slide);
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct mr_segment *s = &img->seg[i];
		if (!s->mapped || !s->filesize)
			continue;
		memcpy(img->base + (s->vmaddr - img->vm_lo),
			img->file + s->fileoff, s->filesize);
	}
	return 0;
}

void *mr_image_ptr(const struct mr_image *img, unsigned segi, uint64_t off,
	uint64_t size, int write, const char *what)
{
	const struct mr_segment *s;

	if (segi >= img->nseg) {
		mr_error(img, "%s: segment index %u out of range (%u segments)",
			what, segi, img->nseg);
		return NULL;
	}
	s = &img->seg[segi];
	if (!s->mapped) {
		mr_error(img, "%s: segment '%s' is not mapped", what, s->name);
		return NULL;
	}
	if (off > s->vmsize || s->vmsize - off < size) {
		mr_error(img, "%s: offset 0x%llx is outside segment '%s' "
			"(size 0x%llx)", what, (unsigned long long)off, s->name,
			(unsigned long long)s->vmsize);
		return NULL;
	}
	if (write && !(s->initprot & MR_VM_WRITE)) {
		mr_error(img, "%s: segment '%s' is not writable", what, s->name);
		return NULL;
	}
	return img->base + (s->vmaddr - img->vm_lo) + off;
}

int mr_image_exec_addr(const struct mr_image *img, uint64_t host_addr)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct mr_segment *s = &img->seg[i];
		uint64_t start = s->vmaddr + img->slide;
		if (s->mapped && (s->initprot & MR_VM_EXEC) &&
		    host_addr >= start && host_addr - start < s->vmsize)
			return 1;
	}
	return 0;
}

int mr_image_protect(struct mr_image *img)
{
	for (unsigned i = 0; i < img->nseg; i++) {
		const struct mr_segment *s = &img->seg[i];
		uint32_t prot = s->initprot & (MR_VM_READ | MR_VM_WRITE | MR_VM_EXEC);
		if (!s->mapped || !s->vmsize)
			continue;
		if (s->flags & MR_SG_READ_ONLY)
			prot &= ~MR_VM_WRITE;
		uint64_t len = (s->vmsize + MR_PAGE - 1) & ~(uint64_t)(MR_PAGE - 1);
		uint8_t *at = img->base + (s->vmaddr - img->vm_lo);
		/* the code was written with data stores: make the instruction
		 * cache see it (nothing to do on x86_64) */
		if (prot & MR_VM_EXEC)
			__builtin___clear_cache((char *)at, (char *)at + len);
		if (mprotect(at, len, (int)prot)) {
			mr_error(img, "cannot protect segment '%s': %s", s->name,
				strerror(errno));
			return -1;
		}
		mr_note(img, "segment '%s' at %p prot %u", s->name,
			(void *)(img->base + (s->vmaddr - img->vm_lo)), prot);
	}
	return 0;
}
