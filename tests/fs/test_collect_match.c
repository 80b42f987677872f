/*
 * test_collect_match.c - the patterns of link.conf's `inputs`
 * (fs/collect.c, collect_match), without a mount: `*`, `?`, `[...]`
 * within one name, `**` for any number of directories (none too), and
 * the directory test the walk prunes with. Leaves out: the walk and the
 * order (fs-units).
 */
#include <stdio.h>

#include "collect.h"
#include "check.h"

static const struct {
	const char *pattern, *path;
	int dir, want;
} cases[] = {
	{ "*.o", "main.o", 0, 1 },
	{ "*.o", "sub/main.o", 0, 0 },            /* one name only */
	{ "*.o", "main.c", 0, 0 },
	{ "?.o", "a.o", 0, 1 },
	{ "[ab].o", "b.o", 0, 1 },
	{ "[ab].o", "c.o", 0, 0 },
	{ "**/*.o", "main.o", 0, 1 },             /* ** as no directory */
	{ "**/*.o", "a/b/c/main.o", 0, 1 },
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles/app.dir/main.c.o", 0, 1 },
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles/app.dir/src/x/u.c.o", 0, 1 },
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles/lib.dir/u.c.o", 0, 0 },
	{ "CMakeFiles/*/*.o", "CMakeFiles/app.dir/main.c.o", 0, 1 },
	{ "CMakeFiles/*/*.o", "CMakeFiles/app.dir/src/main.c.o", 0, 0 },
	{ "a/**", "a/x.o", 0, 1 },                /* a last ** takes all below */
	{ "a/**", "a/b/x.o", 0, 1 },
	{ "a/**", "a", 0, 0 },                    /* but not a itself */
	{ "a/**/b/*.o", "a/b/x.o", 0, 1 },
	{ "a/**/b/*.o", "a/c/d/b/x.o", 0, 1 },
	{ "a/**/b/*.o", "a/c/d/x.o", 0, 0 },
	{ "libthird.a", "libthird.a", 0, 1 },
	/* directories: may a file below match? */
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles", 1, 1 },
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles/app.dir/src", 1, 1 },
	{ "CMakeFiles/app.dir/**/*.o", "CMakeFiles/lib.dir", 1, 0 },
	{ "CMakeFiles/app.dir/**/*.o", "src", 1, 0 },
	{ "*.o", "sub", 1, 0 },                   /* only the unit's own */
	{ "*/*.o", "sub", 1, 1 },
	{ "*/*.o", "sub/deeper", 1, 0 },
	{ "**/*.o", "any/depth", 1, 1 },
};

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int got = collect_match(cases[i].pattern, cases[i].path,
					cases[i].dir);
		CHECK(got == cases[i].want, "'%s' %s '%s': %d, want %d",
		      cases[i].pattern, cases[i].dir ? "under dir" : "on file",
		      cases[i].path, got, cases[i].want);
	}
	if (!failures)
		printf("ok: %zu patterns\n", sizeof cases / sizeof *cases);
	return failures != 0;
}
