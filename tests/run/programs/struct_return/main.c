/* main.c - uses struct returns and struct arguments across objects. */
#include <stdio.h>
struct vec2 { double x, y; };
struct pair { int a; long b; };
struct big { long v[9]; char tag[16]; };
struct vec2 vadd(struct vec2, struct vec2);
struct pair divmod(int, int);
struct big make_big(long);
static struct big twice(struct big b) { for (int i = 0; i < 9; i++) b.v[i] *= 2; return b; }
int main(void)
{
	struct vec2 v = vadd((struct vec2){ 1.5, 2 }, (struct vec2){ -0.25, 8 });
	printf("vadd=(%.2f,%.2f)\n", v.x, v.y);
	struct pair p = divmod(47, 5);
	printf("divmod=%d,%ld\n", p.a, p.b);
	struct big b = twice(make_big(7));
	long s = 0;
	for (int i = 0; i < 9; i++)
		s += b.v[i];
	printf("big sum=%ld tag=%s\n", s, b.tag);
	return (int)(s % 200);
}
