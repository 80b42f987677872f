/*
 * options.c - link options: defaults, version strings, and link.conf.
 *
 * link.conf is "key = value" per line; '#' starts a comment. Every bad line
 * is reported (not just the first). link_options_log writes the effective
 * options, link.log's first lines. Leaves out: quoting, includes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/macho.h"
#include "../link.h"

void link_options_init(struct link_options *o)
{
	memset(o, 0, sizeof *o);
	o->arch = ARCH_NONE;
	strcpy(o->entry, "_main");
	strcpy(o->output_name, "a.out");
	o->platform = PLATFORM_MACOS;
	o->minos = 11u << 16;
	o->sdk = 11u << 16;
	o->fixups = FIXUPS_DEFAULT;
	o->undefined = UNDEFINED_ERROR;
	o->threads = 0; /* one per online CPU */
	o->codesign = -1; /* the architecture decides */
	o->pagezero_size = LINK_PAGEZERO_DEFAULT;
	o->history = -1;  /* the daemon's default */
}

int parse_version(const char *s, uint32_t *out)
{
	unsigned long part[3] = { 0, 0, 0 };
	int n = 0;
	const char *p = s;
	for (;;) {
		if (!isdigit((unsigned char)*p) || n == 3)
			return -1;
		unsigned long v = 0;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 65535)
				return -1;
			p++;
		}
		part[n++] = v;
		if (*p == 0)
			break;
		if (*p != '.')
			return -1;
		p++;
	}
	if (part[1] > 255 || part[2] > 255)
		return -1;
	*out = (uint32_t)(part[0] << 16 | part[1] << 8 | part[2]);
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0")) {
		*out = 0;
		return 0;
	}
	return -1;
}

/* Platforms as ld64 names them (and their numbers, as in
 * LC_BUILD_VERSION), with the name TBD targets use. */
static const struct {
	const char *name, *alt, *tbd;
	uint32_t id;
} platforms[] = {
	{ "macos", "macOS", "macos", 1 },
	{ "ios", "iOS", "ios", 2 },
	{ "tvos", "tvOS", "tvos", 3 },
	{ "watchos", "watchOS", "watchos", 4 },
	{ "bridgeos", "bridgeOS", "bridgeos", 5 },
	{ "mac-catalyst", "maccatalyst", "maccatalyst", 6 },
	{ "ios-simulator", "iossimulator", "ios-simulator", 7 },
	{ "tvos-simulator", "tvossimulator", "tvos-simulator", 8 },
	{ "watchos-simulator", "watchossimulator", "watchos-simulator", 9 },
	{ "driverkit", "DriverKit", "driverkit", 10 },
	{ "xros", "visionos", "xros", 11 },
	{ "xros-simulator", "visionos-simulator", "xros-simulator", 12 },
};

int link_platform_parse(const char *s, uint32_t *out)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	for (size_t i = 0; i < sizeof platforms / sizeof *platforms; i++)
		if (!strcmp(s, platforms[i].name) || !strcmp(s, platforms[i].alt) ||
		    (*s && !*end && n == platforms[i].id)) {
			*out = platforms[i].id;
			return 0;
		}
	return -1;
}

const char *link_platform_tbd_name(uint32_t platform)
{
	for (size_t i = 0; i < sizeof platforms / sizeof *platforms; i++)
		if (platforms[i].id == platform)
			return platforms[i].tbd;
	return "macos";
}

/* "PLATFORM 11.0 11.0" or "11.0 11.0" or "11.0" */
static int parse_platform_version(struct link_options *o, char *v)
{
	char *words[4];
	int n = 0;
	char *save;
	for (char *t = strtok_r(v, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		if (n == 4)
			return -1;
		words[n++] = t;
	}
	int i = 0;
	uint32_t platform = PLATFORM_MACOS;
	if (n > 0 && (!isdigit((unsigned char)words[0][0]) || !strchr(words[0], '.')) &&
	    n > 1) {
		if (link_platform_parse(words[0], &platform))
			return -1;
		i = 1;
	}
	if (n - i < 1 || n - i > 2)
		return -1;
	uint32_t minos, sdk;
	if (parse_version(words[i], &minos))
		return -1;
	sdk = minos;
	if (n - i == 2 && parse_version(words[i + 1], &sdk))
		return -1;
	o->platform = platform;
	o->minos = minos;
	o->sdk = sdk;
	return 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int set_name(char *dst, size_t cap, const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* One pattern of `inputs`: relative, no empty, "." or ".." name, no
 * blank (patterns are separated by blanks). */
static int pattern_ok(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		s += n;
		if (*s == '/' && !*++s)
			return 0;   /* a trailing slash */
	}
	return 1;
}

/* `inputs = PATTERN...`: appends the patterns, one space apart. */
static int add_inputs(struct link_options *o, char *val)
{
	size_t len = strlen(o->inputs);
	int n = 0;
	char *save;
	for (char *t = strtok_r(val, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		size_t tl = strlen(t);
		if (!pattern_ok(t) || len + (len > 0) + tl >= sizeof o->inputs)
			return -1;
		if (len)
			o->inputs[len++] = ' ';
		memcpy(o->inputs + len, t, tl + 1);
		len += tl;
		n++;
	}
	return n ? 0 : -1;
}

/* `libs = PATH...` (relative paths, no empty name), `rpath = PATH...`
 * and `why_live = PATTERN...`: appends the words of val to list (cap
 * bytes), one space apart. */
static int add_words(char *list, size_t cap, char *val, int relative)
{
	size_t len = strlen(list);
	int n = 0;
	char *save;
	for (char *t = strtok_r(val, " \t", &save); t;
	     t = strtok_r(NULL, " \t", &save)) {
		size_t tl = strlen(t);
		if (relative && (*t == '/' || strstr(t, "//") || t[tl - 1] == '/'))
			return -1;
		if (len + (len > 0) + tl >= cap)
			return -1;
		if (len)
			list[len++] = ' ';
		memcpy(list + len, t, tl + 1);
		len += tl;
		n++;
	}
	return n ? 0 : -1;
}

static int apply(struct link_options *o, const char *key, char *val)
{
	if (!strcmp(key, "kind")) {
		if (!strcmp(val, "executable"))
			o->kind = OUTPUT_EXECUTE;
		else if (!strcmp(val, "dylib"))
			o->kind = OUTPUT_DYLIB;
		else if (!strcmp(val, "bundle"))
			o->kind = OUTPUT_BUNDLE;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "install_name"))
		return set_name(o->install_name, sizeof o->install_name, val);
	if (!strcmp(key, "current_version"))
		return parse_version(val, &o->current_version);
	if (!strcmp(key, "compatibility_version"))
		return parse_version(val, &o->compat_version);
	if (!strcmp(key, "libs"))
		return add_words(o->libs, sizeof o->libs, val, 1);
	if (!strcmp(key, "rpath"))
		return add_words(o->rpath_list, sizeof o->rpath_list, val, 0);
	if (!strcmp(key, "arch")) {
		if (!strcmp(val, "x86_64"))
			o->arch = ARCH_X86_64;
		else if (!strcmp(val, "arm64"))
			o->arch = ARCH_ARM64;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "entry"))
		return set_name(o->entry, sizeof o->entry, val);
	if (!strcmp(key, "output")) {
		if (strchr(val, '/') || !strcmp(val, ".") || !strcmp(val, ".."))
			return -1;
		return set_name(o->output_name, sizeof o->output_name, val);
	}
	if (!strcmp(key, "platform_version"))
		return parse_platform_version(o, val);
	if (!strcmp(key, "fixups")) {
		if (!strcmp(val, "opcodes"))
			o->fixups = FIXUPS_OPCODES;
		else if (!strcmp(val, "chained"))
			o->fixups = FIXUPS_CHAINED;
		else
			return -1;
		return 0;
	}
	if (!strcmp(key, "dead_strip"))
		return parse_bool(val, &o->dead_strip);
	if (!strcmp(key, "adhoc_codesign"))
		return parse_bool(val, &o->codesign);
	if (!strcmp(key, "history")) {
		/* 0..LINK_MAX_HISTORY kept links (the daemon's .history) */
		char *end;
		long n = strtol(val, &end, 10);
		if (!*val || *end || n < 0 || n > LINK_MAX_HISTORY)
			return -1;
		o->history = (int)n;
		return 0;
	}
	if (!strcmp(key, "print_statistics"))
		return parse_bool(val, &o->print_stats);
	if (!strcmp(key, "headerpad_max_install_names"))
		return parse_bool(val, &o->header_pad_max_install_names);
	if (!strcmp(key, "inputs"))
		return add_inputs(o, val);
	if (!strcmp(key, "why_live"))
		return add_words(o->why_live_conf, sizeof o->why_live_conf, val, 0);
	if (!strcmp(key, "undefined")) {
		if (!strcmp(val, "error"))
			o->undefined = UNDEFINED_ERROR;
		else if (!strcmp(val, "dynamic_lookup"))
			o->undefined = UNDEFINED_DYNAMIC_LOOKUP;
		else
			return -1;
		return 0;
	}
	return -2;
}

/* link.conf's keys, by enum link_conf_key */
static const char *const conf_keys[CONF_KEY_COUNT] = {
	[CONF_ARCH] = "arch",
	[CONF_ENTRY] = "entry",
	[CONF_OUTPUT] = "output",
	[CONF_PLATFORM_VERSION] = "platform_version",
	[CONF_FIXUPS] = "fixups",
	[CONF_DEAD_STRIP] = "dead_strip",
	[CONF_UNDEFINED] = "undefined",
	[CONF_PRINT_STATISTICS] = "print_statistics",
	[CONF_ADHOC_CODESIGN] = "adhoc_codesign",
	[CONF_HEADERPAD_MAX_INSTALL_NAMES] = "headerpad_max_install_names",
	[CONF_INPUTS] = "inputs",
	[CONF_KIND] = "kind",
	[CONF_INSTALL_NAME] = "install_name",
	[CONF_CURRENT_VERSION] = "current_version",
	[CONF_COMPATIBILITY_VERSION] = "compatibility_version",
	[CONF_LIBS] = "libs",
	[CONF_RPATH] = "rpath",
	[CONF_WHY_LIVE] = "why_live",
};

static int conf_key(const char *key)
{
	for (int k = 0; k < CONF_KEY_COUNT; k++)
		if (!strcmp(key, conf_keys[k]))
			return k;
	return -1;
}

int link_options_parse_conf(struct link_options *o, const char *text,
			    size_t len, struct diag *d)
{
	int rc = 0;
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		lineno++;
		char line[1024];
		size_t n = end - pos;
		if (n >= sizeof line) {
			rc = diag_error(d, "link.conf:%u: line too long", lineno);
			pos = end + 1;
			continue;
		}
		memcpy(line, text + pos, n);
		line[n] = 0;
		pos = end + 1;
		if (memchr(line, 0, n)) {
			rc = diag_error(d, "link.conf:%u: NUL byte in line", lineno);
			continue;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *s = trim(line);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = diag_error(d, "link.conf:%u: expected 'key = value'", lineno);
			continue;
		}
		*eq = 0;
		char *key = trim(s), *val = trim(eq + 1);
		char shown[128];
		snprintf(shown, sizeof shown, "%s", val);
		int r = apply(o, key, val);
		int k = conf_key(key);
		if (!r && k >= 0)
			o->conf_line[k] = lineno;
		if (r == -2)
			rc = diag_error(d, "link.conf:%u: unknown key '%s'", lineno, key);
		else if (r)
			rc = diag_error(d, "link.conf:%u: bad value '%s' for '%s'",
					lineno, shown, key);
	}
	return rc;
}

/* ld64.lld 19's rule: chained fixups from these OS versions on (minos is
 * xxxx.yy.zz packed); never for bridgeOS, Mac Catalyst or DriverKit. */
int link_chained_by_default(uint32_t platform, uint32_t minos)
{
	static const struct { uint32_t platform, major, minor; } from[] = {
		{ 1, 13, 0 },   /* macOS */
		{ 2, 13, 4 },   /* iOS */
		{ 3, 14, 0 },   /* tvOS */
		{ 4, 7, 0 },    /* watchOS */
		{ 7, 16, 0 },   /* iOS simulator */
		{ 8, 15, 0 },   /* tvOS simulator */
		{ 9, 8, 0 },    /* watchOS simulator */
		{ 11, 1, 0 },   /* visionOS */
		{ 12, 1, 0 },   /* visionOS simulator */
	};
	for (size_t i = 0; i < sizeof from / sizeof *from; i++)
		if (from[i].platform == platform)
			return minos >= (from[i].major << 16 | from[i].minor << 8);
	return 0;
}

static const char *yes_no(int v) { return v ? "yes" : "no"; }

static const char *arch_name(enum link_arch a)
{
	return a == ARCH_X86_64 ? "x86_64" : a == ARCH_ARM64 ? "arm64" : "none";
}

/* "11.0" or "11.0.1", as link.conf writes a version */
static void version_text(uint32_t v, char out[16])
{
	if (v & 0xff)
		snprintf(out, 16, "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
	else
		snprintf(out, 16, "%u.%u", v >> 16, (v >> 8) & 0xff);
}

int link_options_log(const struct link_options *o, enum link_arch arch,
		     struct buf *out)
{
	char minos[16], sdk[16], pv[64], cur[16], compat[16];
	version_text(o->current_version, cur);
	version_text(o->compat_version, compat);
	version_text(o->minos, minos);
	version_text(o->sdk, sdk);
	snprintf(pv, sizeof pv, "%s %s %s", link_platform_tbd_name(o->platform),
		 minos, sdk);
	int chained = o->fixups == FIXUPS_DEFAULT
			      ? link_chained_by_default(o->platform, o->minos)
			      : o->fixups == FIXUPS_CHAINED;
	int sign = o->codesign >= 0 ? o->codesign : arch == ARCH_ARM64;
	const char *value[CONF_KEY_COUNT] = {
		[CONF_ARCH] = arch_name(o->arch != ARCH_NONE ? o->arch : arch),
		[CONF_ENTRY] = o->entry,
		[CONF_OUTPUT] = o->output_name,
		[CONF_PLATFORM_VERSION] = pv,
		[CONF_FIXUPS] = chained ? "chained" : "opcodes",
		[CONF_DEAD_STRIP] = yes_no(o->dead_strip),
		[CONF_UNDEFINED] = o->undefined == UNDEFINED_DYNAMIC_LOOKUP
					   ? "dynamic_lookup" : "error",
		[CONF_PRINT_STATISTICS] = yes_no(o->print_stats),
		[CONF_ADHOC_CODESIGN] = arch == ARCH_NONE && o->codesign < 0
						? "none" : yes_no(sign),
		[CONF_HEADERPAD_MAX_INSTALL_NAMES] =
			yes_no(o->header_pad_max_install_names),
		[CONF_INPUTS] = o->inputs[0] ? o->inputs : "*.o *.a *.tbd",
		[CONF_KIND] = o->kind == OUTPUT_DYLIB ? "dylib"
			      : o->kind == OUTPUT_BUNDLE ? "bundle" : "executable",
		[CONF_INSTALL_NAME] = o->install_name[0] ? o->install_name
							 : o->output_name,
		[CONF_CURRENT_VERSION] = cur,
		[CONF_COMPATIBILITY_VERSION] = compat,
		[CONF_LIBS] = o->libs[0] ? o->libs : "none",
		[CONF_RPATH] = o->rpath_list[0] ? o->rpath_list : "none",
		[CONF_WHY_LIVE] = o->why_live_conf[0] ? o->why_live_conf : "none",
	};
	/* the rule a default follows, when there is one */
	const char *rule[CONF_KEY_COUNT] = {
		[CONF_ARCH] = "most objects",
		[CONF_FIXUPS] = "from platform_version",
		[CONF_ADHOC_CODESIGN] = "from arch",
		[CONF_INPUTS] = "the directory's own",
		[CONF_INSTALL_NAME] = "the output name",
	};
	for (int k = 0; k < CONF_KEY_COUNT; k++) {
		buf_printf(out, "option %s = ", conf_keys[k]);
		buf_put_escaped(out, value[k]);   /* link.conf's bytes */
		if (o->conf_line[k])
			buf_printf(out, " (link.conf:%u)\n", o->conf_line[k]);
		else if (rule[k])
			buf_printf(out, " (default: %s)\n", rule[k]);
		else
			buf_printf(out, " (default)\n");
	}
	return buf_failed(out) ? -1 : 0;
}
