/* plugin: a bundle the program dlopens; it calls back into the program
 * (-bundle_loader) and into libbase. */
int host_callback(int x);
int base_add(int a, int b);

int plugin_value(int x)
{
	return base_add(host_callback(x), 1);
}
