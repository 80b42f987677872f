/* stack.h - class and function templates instantiated in every object that
 * includes this header; the linker keeps one copy of each instantiation. */
extern "C" int printf(const char *, ...);

template <class T, int N> struct Stack {
	T items[N];
	int n = 0;
	static int pushes; /* one per instantiation, shared by all objects */
	bool push(T v)
	{
		if (n == N)
			return false;
		items[n++] = v;
		pushes++;
		return true;
	}
	T pop() { return items[--n]; }
	bool empty() const { return n == 0; }
};
template <class T, int N> int Stack<T, N>::pushes = 0;

template <class T> T max_of(T a, T b) { return a < b ? b : a; }

/* an explicit specialization, defined in one object only */
template <> const char *max_of<const char *>(const char *a, const char *b);

template <class T> T sum_all() { return T(); }
template <class T, class... R> T sum_all(T first, R... rest)
{
	return first + sum_all<T>(rest...);
}

/* a template with a static local: one counter per instantiation */
template <class T> int tick()
{
	static int count = 0;
	return ++count;
}

void fill_a(Stack<int, 8> &s);
void fill_b(Stack<int, 8> &s, Stack<double, 4> &d);
int ticks_a();
int ticks_b();
const char *longest(const char *x, const char *y);
