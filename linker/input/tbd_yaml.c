/*
 * tbd_yaml.c - reads TBD v1-v4 YAML (`--- !tapi-tbd` with tbd-version 4,
 * `!tapi-tbd-v3`, `!tapi-tbd-v2`, untagged v1) with libyaml's event API.
 *
 * The events are first built into a small tree of our own (scalars,
 * sequences, mappings) so that nesting depth is bounded (TBD_MAX_DEPTH)
 * and aliases are refused: libyaml's document loader would follow
 * `&a [*a]` into a cycle and expand "billion laughs". Then each document's
 * mapping is read for the builder: targets/archs, install name, versions,
 * re-exported libraries and export sections.
 *
 * Leaves out: undefineds, allowable clients, parent umbrella, flags, uuids,
 * swift versions (all ignored); unknown keys are ignored as tapi does.
 */
#include "tbd_build.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind kind;
	const char *str;   /* scalar text (NUL-terminated copy) */
	size_t len;
	size_t line;       /* 1-based */
	const char *tag;   /* NULL when untagged */
	struct ynode *first, *last, *next; /* children; maps alternate key/value */
};

struct ydoc {
	struct ynode *root;
	struct ydoc *next;
};

struct yctx {
	struct tbd_build *b;
	struct arena tmp;   /* the tree; freed when parsing ends */
	struct ydoc *docs, *lastdoc;
};

static int err_line(struct yctx *c, size_t line, const char *msg,
		    const char *quoted)
{
	if (quoted)
		return diag_error(c->b->d, "'%s': line %zu: %s '%s'", c->b->file,
				  line, msg, quoted);
	return diag_error(c->b->d, "'%s': line %zu: %s", c->b->file, line, msg);
}

static struct ynode *node_new(struct yctx *c, enum ykind kind, size_t line,
			      const yaml_char_t *tag)
{
	struct ynode *n = arena_alloc(&c->tmp, sizeof *n);
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = line;
	if (tag) {
		n->tag = arena_strdup(&c->tmp, (const char *)tag);
		if (!n->tag)
			return NULL;
	}
	return n;
}

static const char *yaml_problem(const yaml_parser_t *p)
{
	return p->problem ? p->problem : "malformed yaml";
}

/* Builds the tree of every document. Returns 0 or -1 (reported). */
static int load(struct yctx *c, yaml_parser_t *p)
{
	struct ynode *stack[TBD_MAX_DEPTH];
	int depth = 0;
	struct ydoc *doc = NULL;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(p, &ev)) {
			char q[96];
			const char *pr = yaml_problem(p);
			tbd_quote(q, sizeof q, pr, strlen(pr));
			return diag_error(c->b->d,
					  "'%s': line %zu: not a TBD file: %s",
					  c->b->file,
					  (size_t)p->problem_mark.line + 1, q);
		}
		size_t line = (size_t)ev.start_mark.line + 1;
		struct ynode *n = NULL;
		int rc = 0, open = 0;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			return 0;
		case YAML_DOCUMENT_START_EVENT:
			doc = arena_alloc(&c->tmp, sizeof *doc);
			if (!doc) {
				rc = -2;
				break;
			}
			if (c->lastdoc)
				c->lastdoc->next = doc;
			else
				c->docs = doc;
			c->lastdoc = doc;
			break;
		case YAML_ALIAS_EVENT:
			rc = err_line(c, line, "yaml aliases are not supported",
				      NULL);
			break;
		case YAML_SCALAR_EVENT:
			n = node_new(c, Y_SCALAR, line, ev.data.scalar.tag);
			if (n) {
				n->len = ev.data.scalar.length;
				n->str = arena_strndup(
					&c->tmp, (const char *)ev.data.scalar.value,
					n->len);
			}
			if (!n || !n->str)
				rc = -2;
			break;
		case YAML_SEQUENCE_START_EVENT:
			n = node_new(c, Y_SEQ, line, ev.data.sequence_start.tag);
			open = 1;
			if (!n)
				rc = -2;
			break;
		case YAML_MAPPING_START_EVENT:
			n = node_new(c, Y_MAP, line, ev.data.mapping_start.tag);
			open = 1;
			if (!n)
				rc = -2;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (rc == -2)
			return diag_error(c->b->d, "'%s': out of memory",
					  c->b->file);
		if (rc)
			return -1;
		if (!n)
			continue;
		if (depth == 0) {
			if (!doc || doc->root)
				return err_line(c, line,
						"not a TBD file: unexpected node",
						NULL);
			doc->root = n;
		} else {
			struct ynode *parent = stack[depth - 1];
			if (parent->last)
				parent->last->next = n;
			else
				parent->first = n;
			parent->last = n;
		}
		if (open) {
			if (depth == TBD_MAX_DEPTH)
				return err_line(c, line, "nesting too deep", NULL);
			stack[depth++] = n;
		}
	}
}

static int key_is(const struct ynode *k, const char *s)
{
	return k->kind == Y_SCALAR && strcmp(k->str, s) == 0;
}

/* The value of `key` in mapping m, or NULL. */
static const struct ynode *map_get(const struct ynode *m, const char *key)
{
	for (const struct ynode *k = m->first; k && k->next; k = k->next->next)
		if (key_is(k, key))
			return k->next;
	return NULL;
}

static int want_kind(struct yctx *c, const struct ynode *n, enum ykind kind,
		     const char *key)
{
	static const char *const what[] = { "a string", "a sequence",
					    "a mapping" };
	if (n->kind == kind)
		return 0;
	char msg[96];
	snprintf(msg, sizeof msg, "must be %s", what[kind]);
	return diag_error(c->b->d, "'%s': line %zu: '%s' %s", c->b->file,
			  n->line, key, msg);
}

/* 1 if the sequence (or single scalar) n lists s; -1 if malformed. */
static int lists(struct yctx *c, const struct ynode *n, const char *key,
		 const char *s)
{
	if (n->kind == Y_SCALAR)
		return strcmp(n->str, s) == 0;
	if (want_kind(c, n, Y_SEQ, key))
		return -1;
	int found = 0;
	for (const struct ynode *e = n->first; e; e = e->next) {
		if (want_kind(c, e, Y_SCALAR, key))
			return -1;
		if (strcmp(e->str, s) == 0)
			found = 1;
	}
	return found;
}

enum list_use { USE_SYM, USE_WEAK, USE_TLV, USE_CLASS, USE_EHTYPE, USE_IVAR,
		USE_REEXPORT };

/* Adds every string of the list under `key` in map m (if present). */
static int add_list(struct yctx *c, struct tbd_lib *l, const struct ynode *m,
		    const char *key, enum list_use use, int strip_underscore)
{
	const struct ynode *n = map_get(m, key);
	if (!n)
		return 0;
	const struct ynode *e = n->kind == Y_SCALAR ? n : n->first;
	if (n->kind != Y_SCALAR && want_kind(c, n, Y_SEQ, key))
		return -1;
	for (; e; e = n->kind == Y_SCALAR ? NULL : e->next) {
		if (want_kind(c, e, Y_SCALAR, key))
			return -1;
		const char *s = e->str;
		size_t len = e->len;
		if (strip_underscore && len && s[0] == '_')
			s++, len--;
		int rc;
		switch (use) {
		case USE_SYM:
			rc = tbd_add_symbol(c->b, l, s, len, DYSYM_REGULAR);
			break;
		case USE_WEAK:
			rc = tbd_add_symbol(c->b, l, s, len, DYSYM_WEAK);
			break;
		case USE_TLV:
			rc = tbd_add_symbol(c->b, l, s, len, DYSYM_TLV);
			break;
		case USE_CLASS:
			rc = tbd_add_objc(c->b, l, s, len, TBD_OBJC_CLASS);
			break;
		case USE_EHTYPE:
			rc = tbd_add_objc(c->b, l, s, len, TBD_OBJC_EHTYPE);
			break;
		case USE_IVAR:
			rc = tbd_add_objc(c->b, l, s, len, TBD_OBJC_IVAR);
			break;
		default:
			rc = tbd_add_reexport(c->b, l, s, len);
			break;
		}
		if (rc)
			return -1;
	}
	return 0;
}

static int read_version(struct yctx *c, const struct ynode *m, const char *key,
			uint32_t *out)
{
	const struct ynode *n = map_get(m, key);
	if (!n)
		return 0;
	if (want_kind(c, n, Y_SCALAR, key))
		return -1;
	int rc = tbd_parse_version(n->str, n->len, out);
	if (rc == 0)
		return 0;
	char q[64];
	tbd_quote(q, sizeof q, n->str, n->len);
	return err_line(c, n->line,
			rc == -2 ? "version out of range" : "malformed version", q);
}

/*
 * Reads the sections (a sequence of mappings) under `key`: those whose
 * `targets` (v4) or `archs` (v1-v3) list ours add their symbols.
 */
static int read_sections(struct yctx *c, struct tbd_lib *l,
			 const struct ynode *m, const char *key, int version)
{
	const struct ynode *n = map_get(m, key);
	if (!n)
		return 0;
	if (want_kind(c, n, Y_SEQ, key))
		return -1;
	const char *tkey = version == 4 ? "targets" : "archs";
	const char *ours = version == 4 ? c->b->target : c->b->archname;
	int strip = version < 3;
	for (const struct ynode *s = n->first; s; s = s->next) {
		if (want_kind(c, s, Y_MAP, key))
			return -1;
		const struct ynode *t = map_get(s, tkey);
		if (!t) {
			return diag_error(c->b->d, "'%s': line %zu: '%s' entry "
					  "has no '%s'", c->b->file, s->line,
					  key, tkey);
		}
		int r = lists(c, t, tkey, ours);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		if (add_list(c, l, s, "symbols", USE_SYM, 0) ||
		    add_list(c, l, s, version == 4 ? "weak-symbols"
						   : "weak-def-symbols",
			     USE_WEAK, 0) ||
		    add_list(c, l, s, "thread-local-symbols", USE_TLV, 0) ||
		    add_list(c, l, s, "objc-classes", USE_CLASS, strip) ||
		    add_list(c, l, s, "objc-eh-types", USE_EHTYPE, strip) ||
		    add_list(c, l, s, "objc-ivars", USE_IVAR, strip))
			return -1;
		if (version < 4 &&
		    add_list(c, l, s, "re-exports", USE_REEXPORT, 0))
			return -1;
	}
	return 0;
}

/* v4 `reexported-libraries`: [{targets, libraries}] */
static int read_reexported_libs(struct yctx *c, struct tbd_lib *l,
				const struct ynode *m)
{
	const char *key = "reexported-libraries";
	const struct ynode *n = map_get(m, key);
	if (!n)
		return 0;
	if (want_kind(c, n, Y_SEQ, key))
		return -1;
	for (const struct ynode *s = n->first; s; s = s->next) {
		if (want_kind(c, s, Y_MAP, key))
			return -1;
		const struct ynode *t = map_get(s, "targets");
		int r = t ? lists(c, t, "targets", c->b->target) : 1;
		if (r < 0)
			return -1;
		if (r && add_list(c, l, s, "libraries", USE_REEXPORT, 0))
			return -1;
	}
	return 0;
}

/* Returns the TBD version of a document (1-4), or -1 (reported). */
static int doc_version(struct yctx *c, const struct ynode *root)
{
	const char *tag = root->tag;
	if (tag && strcmp(tag, "!tapi-tbd") == 0) {
		const struct ynode *v = map_get(root, "tbd-version");
		if (!v)
			return err_line(c, root->line, "missing tbd-version",
					NULL);
		if (want_kind(c, v, Y_SCALAR, "tbd-version"))
			return -1;
		if (strcmp(v->str, "4") == 0)
			return 4;
		char q[64];
		tbd_quote(q, sizeof q, v->str, v->len);
		return err_line(c, v->line, "unsupported tbd-version", q);
	}
	if (tag && strcmp(tag, "!tapi-tbd-v3") == 0)
		return 3;
	if (tag && strcmp(tag, "!tapi-tbd-v2") == 0)
		return 2;
	if (tag && strcmp(tag, "!tapi-tbd-v1") != 0) {
		char q[64];
		tbd_quote(q, sizeof q, tag, strlen(tag));
		return err_line(c, root->line, "not a TBD file: unknown tag", q);
	}
	if (!map_get(root, "archs"))
		return err_line(c, root->line,
				"not a TBD file: no '!tapi-tbd' tag", NULL);
	return 1;
}

static int read_doc(struct yctx *c, const struct ynode *root, int is_main)
{
	struct tbd_build *b = c->b;
	if (root->kind != Y_MAP)
		return err_line(c, root->line,
				"not a TBD file: document is not a mapping", NULL);
	int version = doc_version(c, root);
	if (version < 0)
		return -1;
	struct tbd_lib *l = tbd_lib_new(b);
	if (!l)
		return -1;

	int r;
	if (version == 4) {
		const struct ynode *t = map_get(root, "targets");
		if (!t)
			return err_line(c, root->line, "missing targets", NULL);
		r = lists(c, t, "targets", b->target);
	} else {
		const struct ynode *a = map_get(root, "archs");
		const struct ynode *p = map_get(root, "platform");
		if (!a)
			return err_line(c, root->line, "missing archs", NULL);
		r = lists(c, a, "archs", b->archname);
		if (r > 0 && (!p || p->kind != Y_SCALAR ||
			      (strcmp(p->str, "macosx") && strcmp(p->str, "macos"))))
			r = 0;
	}
	if (r < 0)
		return -1;
	l->has_target = r;
	if (is_main && !r)
		return diag_error(b->d, "'%s': no target for %s", b->file,
				  b->target);

	const struct ynode *in = map_get(root, "install-name");
	if (!in)
		return err_line(c, root->line, "missing install-name", NULL);
	if (want_kind(c, in, Y_SCALAR, "install-name"))
		return -1;
	if (in->len == 0)
		return err_line(c, in->line, "empty install-name", NULL);
	if (!(l->install_name = tbd_strdup(b, in->str, in->len)))
		return -1;
	if (read_version(c, root, "current-version", &l->current_version) ||
	    read_version(c, root, "compatibility-version", &l->compat_version))
		return -1;
	if (!r)
		return 0; /* an inlined library for other targets */
	if (read_sections(c, l, root, "exports", version))
		return -1;
	if (version == 4 &&
	    (read_sections(c, l, root, "reexports", 4) ||
	     read_sections(c, l, root, "re-exports", 4) ||
	     read_reexported_libs(c, l, root)))
		return -1;
	return 0;
}

int tbd_parse_yaml(struct tbd_build *b, const uint8_t *data, size_t size)
{
	struct yctx c = { .b = b };
	arena_init(&c.tmp);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		arena_release(&c.tmp);
		return diag_error(b->d, "'%s': out of memory", b->file);
	}
	yaml_parser_set_input_string(&p, data, size);
	int rc = load(&c, &p);
	yaml_parser_delete(&p);
	if (rc == 0 && !c.docs)
		rc = diag_error(b->d, "'%s': not a TBD file: no document",
				b->file);
	int is_main = 1;
	for (struct ydoc *d = c.docs; d && rc == 0; d = d->next) {
		if (!d->root)
			continue;
		rc = read_doc(&c, d->root, is_main);
		is_main = 0;
	}
	if (rc == 0 && is_main)
		rc = diag_error(b->d, "'%s': not a TBD file: empty document",
				b->file);
	arena_release(&c.tmp);
	return rc;
}
