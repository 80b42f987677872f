/*
 * tbd_json.c - reads TBD v5 JSON (`"tapi_tbd_version": 5`) with json-c:
 * `main_library` and the inlined `libraries`, each with `target_info`,
 * `install_names`, `current_versions`, `compatibility_versions`,
 * `reexported_libraries`, `exported_symbols` and `reexported_symbols`
 * (sections of {targets?, text?, data?} holding global, weak,
 * thread_local, objc_class, objc_eh_type and objc_ivar lists).
 *
 * json-c parses from an explicit length with a nesting limit
 * (TBD_MAX_DEPTH) and in strict mode; an error reports the line of the
 * offset where the tokenizer stopped. Leaves out: flags, rpaths, umbrellas,
 * clients, swift_abi, undefined_symbols (ignored); semantic errors name the
 * key, not the line, because json-c keeps no positions.
 */
#include "tbd_build.h"

#include <json.h>
#include <limits.h>
#include <string.h>

static size_t line_of(const uint8_t *data, size_t size, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off && i < size; i++)
		line += data[i] == '\n';
	return line;
}

static int bad(struct tbd_build *b, const char *where, const char *what)
{
	return diag_error(b->d, "'%s': %s: %s", b->file, where, what);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* 1 if the array of strings `arr` holds s, 0 if not, -1 if malformed. */
static int arr_has(struct tbd_build *b, json_object *arr, const char *where,
		   const char *s)
{
	if (!json_object_is_type(arr, json_type_array))
		return bad(b, where, "must be an array");
	size_t n = json_object_array_length(arr);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(e, json_type_string))
			return bad(b, where, "must hold strings");
		if (strcmp(json_object_get_string(e), s) == 0)
			found = 1;
	}
	return found;
}

/* The string at o[key][0][sub], NULL (without error) when absent. */
static int first_string(struct tbd_build *b, json_object *o, const char *key,
			const char *sub, const char **s, size_t *len)
{
	*s = NULL;
	json_object *arr = get(o, key);
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) == 0)
		return bad(b, key, "must be a non-empty array");
	json_object *v = get(json_object_array_get_idx(arr, 0), sub);
	if (!v || !json_object_is_type(v, json_type_string))
		return bad(b, key, sub[0] == 'n' ? "entry has no string 'name'"
						 : "entry has no string 'version'");
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return 0;
}

static int version(struct tbd_build *b, json_object *lib, const char *key,
		   uint32_t *out)
{
	const char *s;
	size_t len;
	if (first_string(b, lib, key, "version", &s, &len))
		return -1;
	if (!s)
		return 0;
	int rc = tbd_parse_version(s, len, out);
	if (rc == 0)
		return 0;
	char q[64];
	tbd_quote(q, sizeof q, s, len);
	return diag_error(b->d, "'%s': %s: %s '%s'", b->file, key,
			  rc == -2 ? "version out of range" : "malformed version",
			  q);
}

enum use { USE_SYM, USE_WEAK, USE_TLV, USE_CLASS, USE_EHTYPE, USE_IVAR };

static int add_strings(struct tbd_build *b, struct tbd_lib *l,
		       json_object *seg, const char *key, enum use use)
{
	json_object *arr = get(seg, key);
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return bad(b, key, "must be an array");
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(e, json_type_string))
			return bad(b, key, "must hold strings");
		const char *s = json_object_get_string(e);
		size_t len = (size_t)json_object_get_string_len(e);
		int rc;
		switch (use) {
		case USE_SYM:
			rc = tbd_add_symbol(b, l, s, len, DYSYM_REGULAR);
			break;
		case USE_WEAK:
			rc = tbd_add_symbol(b, l, s, len, DYSYM_WEAK);
			break;
		case USE_TLV:
			rc = tbd_add_symbol(b, l, s, len, DYSYM_TLV);
			break;
		case USE_CLASS:
			rc = tbd_add_objc(b, l, s, len, TBD_OBJC_CLASS);
			break;
		case USE_EHTYPE:
			rc = tbd_add_objc(b, l, s, len, TBD_OBJC_EHTYPE);
			break;
		default:
			rc = tbd_add_objc(b, l, s, len, TBD_OBJC_IVAR);
			break;
		}
		if (rc)
			return -1;
	}
	return 0;
}

static int add_segment(struct tbd_build *b, struct tbd_lib *l, json_object *seg,
		       const char *where)
{
	if (!json_object_is_type(seg, json_type_object))
		return bad(b, where, "must be an object");
	return add_strings(b, l, seg, "global", USE_SYM) ||
	       add_strings(b, l, seg, "weak", USE_WEAK) ||
	       add_strings(b, l, seg, "thread_local", USE_TLV) ||
	       add_strings(b, l, seg, "objc_class", USE_CLASS) ||
	       add_strings(b, l, seg, "objc_eh_type", USE_EHTYPE) ||
	       add_strings(b, l, seg, "objc_ivar", USE_IVAR) ? -1 : 0;
}

/* exported_symbols / reexported_symbols: [{targets?, text?, data?}] */
static int read_symbols(struct tbd_build *b, struct tbd_lib *l,
			json_object *lib, const char *key)
{
	json_object *arr = get(lib, key);
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return bad(b, key, "must be an array");
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *sec = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(sec, json_type_object))
			return bad(b, key, "entries must be objects");
		json_object *t = get(sec, "targets");
		int r = t ? arr_has(b, t, "targets", b->target) : 1;
		if (r < 0)
			return -1;
		if (!r)
			continue;
		json_object *text = get(sec, "text"), *data = get(sec, "data");
		if (!text && !data)
			return bad(b, key, "entry has neither 'text' nor 'data'");
		if ((text && add_segment(b, l, text, "text")) ||
		    (data && add_segment(b, l, data, "data")))
			return -1;
	}
	return 0;
}

static int read_reexported_libs(struct tbd_build *b, struct tbd_lib *l,
				json_object *lib)
{
	const char *key = "reexported_libraries";
	json_object *arr = get(lib, key);
	if (!arr)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return bad(b, key, "must be an array");
	size_t n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		json_object *t = get(e, "targets");
		int r = t ? arr_has(b, t, "targets", b->target) : 1;
		if (r < 0)
			return -1;
		json_object *names = get(e, "names");
		if (!names || !json_object_is_type(names, json_type_array))
			return bad(b, key, "entry has no 'names' array");
		size_t k = json_object_array_length(names);
		for (size_t j = 0; r && j < k; j++) {
			json_object *s = json_object_array_get_idx(names, j);
			if (!json_object_is_type(s, json_type_string))
				return bad(b, key, "names must be strings");
			if (tbd_add_reexport(b, l, json_object_get_string(s),
					     (size_t)json_object_get_string_len(s)))
				return -1;
		}
	}
	return 0;
}

static int read_lib(struct tbd_build *b, json_object *lib, int is_main)
{
	const char *where = is_main ? "main_library" : "libraries";
	if (!json_object_is_type(lib, json_type_object))
		return bad(b, where, "must be an object");
	struct tbd_lib *l = tbd_lib_new(b);
	if (!l)
		return -1;
	json_object *ti = get(lib, "target_info");
	if (!ti || !json_object_is_type(ti, json_type_array))
		return bad(b, where, "missing target_info");
	size_t n = json_object_array_length(ti);
	for (size_t i = 0; i < n; i++) {
		json_object *t = get(json_object_array_get_idx(ti, i), "target");
		if (!t || !json_object_is_type(t, json_type_string))
			return bad(b, "target_info", "entry has no string 'target'");
		if (strcmp(json_object_get_string(t), b->target) == 0)
			l->has_target = 1;
	}
	if (is_main && !l->has_target)
		return diag_error(b->d, "'%s': no target for %s", b->file,
				  b->target);
	const char *name;
	size_t len;
	if (first_string(b, lib, "install_names", "name", &name, &len))
		return -1;
	if (!name || len == 0)
		return bad(b, where, "missing install-name");
	if (!(l->install_name = tbd_strdup(b, name, len)))
		return -1;
	if (version(b, lib, "current_versions", &l->current_version) ||
	    version(b, lib, "compatibility_versions", &l->compat_version))
		return -1;
	if (!l->has_target)
		return 0;
	return read_symbols(b, l, lib, "exported_symbols") ||
	       read_symbols(b, l, lib, "reexported_symbols") ||
	       read_reexported_libs(b, l, lib) ? -1 : 0;
}

static int read_file_object(struct tbd_build *b, json_object *root)
{
	json_object *v = get(root, "tapi_tbd_version");
	if (!v)
		return bad(b, "tapi_tbd_version", "not a TBD file: key missing");
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 5)
		return diag_error(b->d, "'%s': unsupported tapi_tbd_version '%s'",
				  b->file, json_object_to_json_string(v));
	json_object *main = get(root, "main_library");
	if (!main)
		return bad(b, "main_library", "missing");
	if (read_lib(b, main, 1))
		return -1;
	json_object *libs = get(root, "libraries");
	if (!libs)
		return 0;
	if (!json_object_is_type(libs, json_type_array))
		return bad(b, "libraries", "must be an array");
	size_t n = json_object_array_length(libs);
	for (size_t i = 0; i < n; i++)
		if (read_lib(b, json_object_array_get_idx(libs, i), 0))
			return -1;
	return 0;
}

int tbd_parse_json(struct tbd_build *b, const uint8_t *data, size_t size)
{
	if (size > INT_MAX)
		return diag_error(b->d, "'%s': TBD file too large", b->file);
	json_tokener *tok = json_tokener_new_ex(TBD_MAX_DEPTH);
	if (!tok)
		return diag_error(b->d, "'%s': out of memory", b->file);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *root = json_tokener_parse_ex(tok, (const char *)data,
						  (int)size);
	enum json_tokener_error e = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	int rc = 0;
	if (!root || e != json_tokener_success) {
		const char *why = e == json_tokener_continue
			? "unexpected end of file" : json_tokener_error_desc(e);
		rc = diag_error(b->d, "'%s': line %zu: not a TBD file: %s",
				b->file, line_of(data, size, end), why);
	} else {
		size_t i = end;
		while (i < size && (data[i] == ' ' || data[i] == '\t' ||
				    data[i] == '\r' || data[i] == '\n'))
			i++;
		if (i < size)
			rc = diag_error(b->d, "'%s': line %zu: junk after the "
					"JSON object", b->file,
					line_of(data, size, i));
		else if (!json_object_is_type(root, json_type_object))
			rc = diag_error(b->d, "'%s': not a TBD file", b->file);
		else
			rc = read_file_object(b, root);
	}
	json_object_put(root);
	json_tokener_free(tok);
	return rc;
}
