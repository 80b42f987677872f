/* The program of the dylib test: calls into libfront and, through its
 * re-export, libbase; holds data pointers to their globals; observes their
 * initializers and their order; a weak import that libfront lacks at run
 * time is NULL; dlopen/dlsym/dlclose reach each bundle named by an
 * argument, which calls back. */
#include <dlfcn.h>
#include <stdio.h>

extern int base_value, base_counter, base_nlog, front_inited;
extern const char *base_log[4];
extern int *front_ptr;
int base_add(int a, int b);
void base_say(const char *who);
int front_twice(int x);
int front_alias(int a, int b); /* a re-export entry of libfront's trie */
int front_optional(void) __attribute__((weak));

int *main_ptr = &base_value;    /* binds in the program's data */
int (*main_fn)(int) = front_twice;
static int main_inited;

__attribute__((constructor)) static void main_init(void)
{
	main_inited = front_inited + 1; /* dylibs are initialized first */
}

int host_callback(int x)
{
	return x * 10;
}

int main(int argc, char **argv)
{
	printf("base_value %d via main_ptr %d via front_ptr %d\n", base_value,
		*main_ptr, *front_ptr);
	*main_ptr = 41;
	printf("after store: base_value %d front_ptr %d\n", base_value,
		*front_ptr);
	printf("base_counter %d front_inited %d main_inited %d\n",
		base_counter, front_inited, main_inited);
	for (int i = 0; i < base_nlog; i++)
		printf("init %d: %s\n", i, base_log[i]);
	printf("base_add %d front_twice %d main_fn %d\n", base_add(2, 3),
		front_twice(21), main_fn(4));
	printf("front_optional is %s\n", front_optional ? "present" : "NULL");
	printf("front_alias(20, 3) = %d\n", front_alias(20, 3));
	base_say("main");
	void *none = dlopen("/nonexistent/libnone.dylib", RTLD_NOW);
	const char *err = dlerror();
	printf("dlopen of a missing file: %s, dlerror %s, then %s\n",
		none ? "a handle" : "NULL", err ? "set" : "NULL",
		dlerror() ? "set" : "NULL");
	for (int i = 1; i < argc; i++) {
		void *h = dlopen(argv[i], RTLD_NOW);
		if (!h) {
			printf("dlopen failed\n");
			return 3;
		}
		int (*pv)(int) = (int (*)(int))dlsym(h, "plugin_value");
		printf("plugin_value(5) = %d\n", pv ? pv(5) : -1);
		printf("dlsym of a missing name: %s\n",
			dlsym(h, "no_such_symbol") ? "found" : "NULL");
		printf("dlclose %d\n", dlclose(h));
	}
	return base_value - 41 + 5;
}
