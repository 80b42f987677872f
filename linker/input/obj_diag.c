/*
 * obj_diag.c - error messages of the object parser: the "'NAME': offset
 * 0xOFF: PROBLEM" prefix, load command names, and escaped section names.
 * Leaves out: warnings (the parser either accepts a file or rejects it).
 */
#include "obj_ctx.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/macho.h"

int obj_fail(struct obj_ctx *c, uint64_t off, const char *fmt, ...)
{
	struct buf b;
	buf_init(&b);
	buf_u8(&b, '\'');
	buf_put_escaped(&b, c->o->name ? c->o->name : "");
	buf_printf(&b, "': offset 0x%" PRIx64 ": ", off);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_u8(&b, 0);
	if (buf_failed(&b))
		diag_error(c->d, "out of memory reporting a malformed object");
	else
		diag_error(c->d, "%s", (const char *)b.data);
	buf_release(&b);
	return -1;
}

const char *obj_lc_name(uint32_t cmd)
{
	switch (cmd) {
	case 0x1: return "LC_SEGMENT";
	case LC_SYMTAB: return "LC_SYMTAB";
	case LC_DYSYMTAB: return "LC_DYSYMTAB";
	case LC_LOAD_DYLIB: return "LC_LOAD_DYLIB";
	case LC_LOAD_DYLINKER: return "LC_LOAD_DYLINKER";
	case LC_SEGMENT_64: return "LC_SEGMENT_64";
	case LC_UUID: return "LC_UUID";
	case LC_CODE_SIGNATURE: return "LC_CODE_SIGNATURE";
	case 0x1e: return "LC_SEGMENT_SPLIT_INFO";
	case LC_DYLD_INFO: return "LC_DYLD_INFO";
	case LC_DYLD_INFO_ONLY: return "LC_DYLD_INFO_ONLY";
	case LC_VERSION_MIN_MACOSX: return "LC_VERSION_MIN_MACOSX";
	case 0x25: return "LC_VERSION_MIN_IPHONEOS";
	case LC_FUNCTION_STARTS: return "LC_FUNCTION_STARTS";
	case LC_MAIN: return "LC_MAIN";
	case LC_DATA_IN_CODE: return "LC_DATA_IN_CODE";
	case LC_SOURCE_VERSION: return "LC_SOURCE_VERSION";
	case 0x2b: return "LC_DYLIB_CODE_SIGN_DRS";
	case LC_LINKER_OPTION: return "LC_LINKER_OPTION";
	case 0x2e: return "LC_LINKER_OPTIMIZATION_HINT";
	case 0x2f: return "LC_VERSION_MIN_TVOS";
	case 0x30: return "LC_VERSION_MIN_WATCHOS";
	case LC_BUILD_VERSION: return "LC_BUILD_VERSION";
	case LC_DYLD_EXPORTS_TRIE: return "LC_DYLD_EXPORTS_TRIE";
	case LC_DYLD_CHAINED_FIXUPS: return "LC_DYLD_CHAINED_FIXUPS";
	case 0x36: return "LC_ATOM_INFO";
	default: return NULL;
	}
}

void obj_lc_label(char *out, size_t n, uint32_t index, uint32_t cmd)
{
	const char *nm = obj_lc_name(cmd);
	if (nm)
		snprintf(out, n, "load command %" PRIu32 " (%s)", index, nm);
	else
		snprintf(out, n, "load command %" PRIu32 " (0x%" PRIx32 ")",
			 index, cmd);
}

const char *obj_escape(char *out, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (n == 0)
		return out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char t[4];
		size_t k = 1;
		t[0] = (char)*p;
		if (*p == '\\') {
			t[1] = '\\';
			k = 2;
		} else if (*p < 0x20 || *p >= 0x7f) {
			t[0] = '\\';
			t[1] = 'x';
			t[2] = hex[*p >> 4];
			t[3] = hex[*p & 15];
			k = 4;
		}
		if (o + k + 4 > n) { /* room for "..." and the NUL */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, t, k);
		o += k;
	}
	out[o] = 0;
	return out;
}

const char *obj_sect_label(char *out, size_t n, const struct obj_section *s)
{
	char seg[70], sect[70];
	obj_escape(seg, sizeof seg, s->segname);
	obj_escape(sect, sizeof sect, s->sectname);
	snprintf(out, n, "%s,%s", seg, sect);
	return out;
}
