/* consts.c - floating-point constants in data and code. */
const double coeffs[] = { 1.0, 0.5, 0.25, 0.125, 3.14159265358979, -2.718281828459045, 1e-300, 6.02214076e23 };
float fscale = 1.25f;
double poly(double x)
{
	double r = 0;
	for (int i = 3; i >= 0; i--)
		r = r * x + coeffs[i];
	return r;
}
double my_sqrt(double x)
{
	double g = x > 1 ? x / 2 : 1;
	for (int i = 0; i < 40; i++)
		g = 0.5 * (g + x / g);
	return g;
}
