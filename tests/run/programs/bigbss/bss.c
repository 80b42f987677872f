/* bss.c - large zero-filled arrays (1 MiB static, 4 MiB global). */
static unsigned char big_static[1 << 20];
unsigned int big_global[1 << 20];
unsigned char *static_area(void) { return big_static; }
