/* main.c - prints doubles with printf. */
#include <stdio.h>
extern const double coeffs[8];
extern float fscale;
double poly(double x), my_sqrt(double x);
int main(void)
{
	for (int i = 0; i < 8; i++)
		printf("%d %.17g %e\n", i, coeffs[i], coeffs[i]);
	for (double x = -2; x <= 2; x += 0.5)
		printf("poly(%.1f)=%.6f\n", x, poly(x));
	printf("sqrt2=%.15f sqrt10=%.15f\n", my_sqrt(2), my_sqrt(10));
	printf("fscale=%f %g\n", fscale * 3, (double)fscale / 3);
	/* 12 digits: long double is 80-bit on x86_64, 128-bit on Linux
	 * aarch64 and 64-bit (double) on Darwin arm64 */
	long double ld = 1.0L / 3;
	printf("ld=%.12Lf %Lg %d\n", ld, ld * 3, 7);
	return (int)(poly(1.0) * 8);
}
