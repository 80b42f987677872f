/* names.c - const pointer tables (rebased, in __DATA_CONST). */
#include <stddef.h>
static const char *const color_names[] = { "red", "green", "blue", "cyan", "magenta" };
struct unit { const char *name; const char *symbol; int scale; };
static const struct unit units[] = { { "meter", "m", 1 }, { "kilometer", "km", 1000 },
	{ "centimeter", "cm", -100 } };
const char *color_name(int i)
{
	return i >= 0 && i < 5 ? color_names[i] : "?";
}
const struct unit *unit_at(int i) { return i >= 0 && i < 3 ? &units[i] : NULL; }
const char *const weekdays[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
const char *const *const weekend = &weekdays[5];
