/*
 * shipped.h - the C++ runtime stubs built into linkfs-ld (data/libc++.tbd
 * and data/libc++abi.tbd, embedded by tools/embed.py), which -lc++ and
 * -lc++abi find when no -L directory or -syslibroot has them.
 */
#ifndef LINKFS_CLI_SHIPPED_H
#define LINKFS_CLI_SHIPPED_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t shipped_libcxx_tbd[];
extern const size_t shipped_libcxx_tbd_size;
extern const uint8_t shipped_libcxxabi_tbd[];
extern const size_t shipped_libcxxabi_tbd_size;

#endif
