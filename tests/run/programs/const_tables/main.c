/* main.c - reads the const tables of names.c. */
#include <stdio.h>
struct unit { const char *name; const char *symbol; int scale; };
const char *color_name(int i);
const struct unit *unit_at(int i);
extern const char *const weekdays[7];
extern const char *const *const weekend;
static const char *const msgs[][2] = { { "a", "alpha" }, { "b", "beta" }, { "g", "gamma" } };
int main(void)
{
	for (int i = -1; i < 6; i++)
		printf("color %d %s\n", i, color_name(i));
	for (int i = 0; unit_at(i); i++)
		printf("unit %s (%s) scale %d\n", unit_at(i)->name, unit_at(i)->symbol, unit_at(i)->scale);
	for (int i = 0; i < 7; i++)
		printf("%s%c", weekdays[i], i == 6 ? '\n' : ' ');
	printf("weekend %s %s\n", weekend[0], weekend[1]);
	for (int i = 0; i < 3; i++)
		printf("%s=%s\n", msgs[i][0], msgs[i][1]);
	return 0;
}
