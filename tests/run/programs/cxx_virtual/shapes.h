/* shapes.h - a class hierarchy whose members are defined in several
 * objects: pure virtuals, overrides, multiple and virtual inheritance. */
extern "C" int printf(const char *, ...);

struct Shape {
	int id;
	explicit Shape(int i) : id(i) {}
	virtual ~Shape();
	virtual const char *name() const = 0;
	virtual long area() const = 0;
	virtual long scaled(int k) const { return area() * k; }
};

struct Named {
	virtual ~Named();
	virtual const char *label() const = 0;
};

struct Rect : Shape {
	long w, h;
	Rect(int i, long w_, long h_) : Shape(i), w(w_), h(h_) {}
	const char *name() const override;
	long area() const override;
};

/* Square overrides only name(): area() comes from Rect (another object) */
struct Square : Rect {
	Square(int i, long s) : Rect(i, s, s) {}
	const char *name() const override;
	long scaled(int k) const override;
};

/* Tagged: Named is its second base, so calls through Named* go through a
 * this-adjusting thunk */
struct Tagged : Shape, Named {
	const char *tag;
	Tagged(int i, const char *t) : Shape(i), tag(t) {}
	const char *name() const override;
	long area() const override;
	const char *label() const override;
};

/* a diamond with a virtual base: construction vtables and a VTT */
struct Base { int b = 1; virtual ~Base(); virtual int value() const; };
struct Left : virtual Base { int l = 10; int value() const override; };
struct Right : virtual Base { int r = 100; };
struct Both : Left, Right { int value() const override; };

Shape *make_shape(int kind, int id);
Named *as_named(Shape *s);
long sum_area(Shape *const *v, int n);
