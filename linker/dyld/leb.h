/*
 * leb.h - ULEB128 / SLEB128 encoding and bounds-checked decoding.
 */
#ifndef LINKFS_LEB_H
#define LINKFS_LEB_H

#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"

int uleb_put(struct buf *b, uint64_t v);
/* Writes v at p (room for uleb_size(v) bytes); returns the end. */
uint8_t *uleb_write(uint8_t *p, uint64_t v);
int sleb_put(struct buf *b, int64_t v);
size_t uleb_size(uint64_t v);

/*
 * Decode at *pos in p[0..size). On success advances *pos and returns 0. On
 * failure returns -1 and sets *err to "malformed uleb128, extends past end"
 * or "uleb128 too big for uint64" (sleb: likewise "sleb128").
 */
int uleb_get(const uint8_t *p, size_t size, size_t *pos, uint64_t *out,
	     const char **err);
int sleb_get(const uint8_t *p, size_t size, size_t *pos, int64_t *out,
	     const char **err);

#endif
