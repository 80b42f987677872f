/* util_math.c - archive member used by main. */
long gcd(long a, long b) { while (b) { long t = a % b; a = b; b = t; } return a; }
long lcm(long a, long b) { return a / gcd(a, b) * b; }
