/* common1.c - tentative definitions (common symbols with -fcommon). */
int shared_count;
double shared_ratio;
char shared_buf[64];
void add_count(int n) { shared_count += n; }
