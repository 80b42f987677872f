/* errors.h - an exception hierarchy rooted in std::exception (declared by
 * hand: no C++ SDK), thrown in some objects and caught by a base class
 * reference in others. */
extern "C" int printf(const char *, ...);

namespace std {
class exception {
public:
	exception() noexcept {}
	virtual ~exception() noexcept;
	virtual const char *what() const noexcept;
};
} // namespace std

struct AppError : std::exception {
	int code;
	explicit AppError(int c) : code(c) {}
	~AppError() noexcept override;
	const char *what() const noexcept override;
	virtual const char *kind() const;
};
struct IoError : AppError {
	explicit IoError(int c) : AppError(c) {}
	const char *what() const noexcept override;
};
struct ParseError : AppError {
	int line;
	ParseError(int c, int l) : AppError(c), line(l) {}
	const char *what() const noexcept override;
	const char *kind() const override;
};
struct FatalParse : ParseError {
	FatalParse(int c, int l) : ParseError(c, l) {}
	const char *what() const noexcept override;
};
/* a second, unrelated base: caught through either */
struct Retryable {
	int tries = 3;
	virtual ~Retryable();
};
struct Timeout : IoError, Retryable {
	explicit Timeout(int c) : IoError(c) {}
	const char *what() const noexcept override;
};
/* derived from std::exception without overriding what() */
struct Plain : std::exception {
};

void raise(int which);
