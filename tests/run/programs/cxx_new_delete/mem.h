/* mem.h - operator new and delete in their forms: scalar, array, sized,
 * over-aligned, nothrow, placement, and class-specific. <new> is declared
 * by hand (no C++ SDK); the global operators come from the C++ runtime. */
extern "C" int printf(const char *, ...);

namespace std {
struct nothrow_t {
	explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
enum class align_val_t : unsigned long {};
} // namespace std

void *operator new(unsigned long size, const std::nothrow_t &) noexcept;
void *operator new[](unsigned long size, const std::nothrow_t &) noexcept;
void operator delete(void *p, const std::nothrow_t &) noexcept;
inline void *operator new(unsigned long, void *p) noexcept { return p; }

struct alignas(64) Wide {
	int v[20];
};

struct Node {
	int value;
	Node *next;
	Node(int v, Node *n) : value(v), next(n) {}
	~Node();
};

/* class-specific allocation: a free list with counters */
struct Pooled {
	long payload[3];
	static int allocated, freed;
	static void *operator new(unsigned long size);
	static void operator delete(void *p, unsigned long size);
	static void *operator new[](unsigned long size);
	static void operator delete[](void *p);
};

Node *build_list(int n);
int free_list(Node *n);
Wide *make_wides(int n);
void drop_wides(Wide *w);
