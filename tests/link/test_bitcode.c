/*
 * test_bitcode.c - the linker library (as the mount uses it) refuses LLVM
 * bitcode, raw ("BC" 0xC0DE) or in clang's Darwin wrapper (0x0B17C0DE),
 * with a message that names the file and says what to do, not "unknown
 * file type": only linkfs-ld links bitcode, through libLTO.
 *
 * Exit 0 when both are refused so.
 */
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "link.h"

static int check(const char *name, const uint8_t *bytes, size_t size)
{
	struct link_input in = { .name = name, .data = bytes, .size = size };
	struct link_options o;
	link_options_init(&o);
	o.arch = ARCH_X86_64;
	struct link_image *img = link_run(&in, 1, &o);
	if (!img) {
		fprintf(stderr, "FAIL %s: no image\n", name);
		return 1;
	}
	char want[256];
	snprintf(want, sizeof want, "'%s': offset 0x0: LLVM bitcode (clang -flto)", name);
	int bad = img->ok || !img->log || !strstr(img->log, want);
	if (bad)
		fprintf(stderr, "FAIL %s: log '%.*s', want '%s'\n", name, (int)img->log_len,
			img->log ? img->log : "", want);
	else
		printf("ok   %s: %.*s", name, (int)img->log_len, img->log);
	link_image_unref(img);
	return bad;
}

int main(void)
{
	static const uint8_t raw[] = { 'B', 'C', 0xc0, 0xde, 0x35, 0x14, 0, 0, 5, 0, 0, 0, 0x62, 0x0c, 0x30, 0x24 };
	static const uint8_t wrapped[] = { 0xde, 0xc0, 0x17, 0x0b, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x10, 0, 0, 0,
					  7, 0, 0, 1, 'B', 'C', 0xc0, 0xde };
	return check("raw.o", raw, sizeof raw) | check("wrapped.o", wrapped, sizeof wrapped);
}
