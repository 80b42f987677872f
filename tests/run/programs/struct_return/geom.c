/* geom.c - functions returning small (in registers) and large (sret) structs. */
struct vec2 { double x, y; };
struct pair { int a; long b; };
struct big { long v[9]; char tag[16]; };
struct vec2 vadd(struct vec2 p, struct vec2 q) { return (struct vec2){ p.x + q.x, p.y + q.y }; }
struct pair divmod(int a, int b) { return (struct pair){ a / b, a % b }; }
struct big make_big(long seed)
{
	struct big b = { { 0 }, "big" };
	for (int i = 0; i < 9; i++)
		b.v[i] = seed * (i + 1);
	b.tag[3] = (char)('0' + seed % 10);
	return b;
}
