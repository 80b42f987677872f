/* std.h - the parts of <typeinfo> and <exception> this program uses,
 * declared by hand: there is no C++ SDK for the Mach-O build. The layouts
 * are the Itanium C++ ABI's, shared by libc++abi and libstdc++; the
 * out-of-line members come from the C++ runtime. */
extern "C" int printf(const char *, ...);
extern "C" int strcmp(const char *, const char *);

namespace std {
class type_info {
public:
	virtual ~type_info();
	const char *name() const noexcept { return __name; }
	bool operator==(const type_info &o) const noexcept
	{
		return __name == o.__name || strcmp(__name, o.__name) == 0;
	}
	bool operator!=(const type_info &o) const noexcept { return !(*this == o); }

protected:
	const char *__name;
};

class exception {
public:
	exception() noexcept {}
	virtual ~exception() noexcept;
	virtual const char *what() const noexcept;
};

class bad_cast : public exception {
public:
	bad_cast() noexcept {}
	~bad_cast() noexcept override;
	const char *what() const noexcept override;
};
} // namespace std
