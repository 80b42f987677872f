/* libfront (@rpath/libfront.dylib): calls and points into libbase, which it
 * re-exports; its initializer needs libbase's to have run first. Built
 * with -DWITH_OPTIONAL for the link-time copy only, so that the program's
 * imports of front_optional find nothing at run time. */
extern int base_value, base_counter, base_nlog;
extern const char *base_log[4];
int base_add(int a, int b);

int front_inited;
int *front_ptr = &base_value; /* a bind in the dylib's data */

__attribute__((constructor)) static void front_init(void)
{
	front_inited = base_counter * 2; /* 14 once libbase is initialized */
	base_log[base_nlog++] = "front";
}

int front_twice(int x)
{
	return base_add(x, x);
}

#ifdef WITH_OPTIONAL
int front_optional(void)
{
	return 1;
}
#endif

/* The Mach-O libfront run by the test has no front_alias of its own: the
 * test adds to its export trie a re-export entry that names libbase's
 * base_add. The link-time copy and the native one define it. */
#if defined(WITH_OPTIONAL) || !defined(__APPLE__)
int front_alias(int a, int b)
{
	return base_add(a, b);
}
#endif
