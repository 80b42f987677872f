/*
 * leb.c - ULEB128 / SLEB128 encoding and bounds-checked decoding.
 *
 * Encoders append to a struct buf (sticky out-of-memory flag). Decoders never
 * read past `size` and reject values that do not fit 64 bits. Leaves out:
 * padded (non-minimal) encodings on output; they are accepted on input.
 */
#include "leb.h"

uint8_t *uleb_write(uint8_t *p, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		if (v)
			byte |= 0x80;
		*p++ = byte;
	} while (v);
	return p;
}

int uleb_put(struct buf *b, uint64_t v)
{
	uint8_t t[10];
	return buf_append(b, t, (size_t)(uleb_write(t, v) - t));
}

int sleb_put(struct buf *b, int64_t v)
{
	uint8_t t[10];
	size_t n = 0;
	for (;;) {
		uint8_t byte = (uint8_t)v & 0x7f;
		/* arithmetic shift: v >> 7 rounds toward -inf on every target
		 * we build for; spelled out to stay defined for negatives */
		v = v < 0 ? ~(~v >> 7) : v >> 7;
		int done = (v == 0 && !(byte & 0x40)) ||
			   (v == -1 && (byte & 0x40));
		t[n++] = done ? byte : (uint8_t)(byte | 0x80);
		if (done)
			break;
	}
	return buf_append(b, t, n);
}

size_t uleb_size(uint64_t v)
{
	size_t n = 1;
	while (v >>= 7)
		n++;
	return n;
}

static const char uleb_past_end[] = "malformed uleb128, extends past end";
static const char uleb_too_big[] = "uleb128 too big for uint64";
static const char sleb_past_end[] = "malformed sleb128, extends past end";
static const char sleb_too_big[] = "sleb128 too big for int64";

int uleb_get(const uint8_t *p, size_t size, size_t *pos, uint64_t *out,
	     const char **err)
{
	uint64_t v = 0;
	unsigned shift = 0;
	size_t i = *pos;
	for (;;) {
		if (i >= size) {
			*err = uleb_past_end;
			return -1;
		}
		uint8_t byte = p[i++];
		uint64_t slice = byte & 0x7f;
		/* bits beyond 64 must be zero */
		if (shift >= 64 ? slice != 0
				: (shift == 63 && slice > 1)) {
			*err = uleb_too_big;
			return -1;
		}
		if (shift < 64)
			v |= slice << shift;
		if (shift < 64)
			shift += 7; /* saturates: cannot wrap */
		if (!(byte & 0x80))
			break;
	}
	*pos = i;
	*out = v;
	return 0;
}

int sleb_get(const uint8_t *p, size_t size, size_t *pos, int64_t *out,
	     const char **err)
{
	uint64_t v = 0;
	unsigned shift = 0;
	size_t i = *pos;
	uint8_t byte;
	for (;;) {
		if (i >= size) {
			*err = sleb_past_end;
			return -1;
		}
		byte = p[i++];
		uint64_t slice = byte & 0x7f;
		if (shift >= 64) {
			/* only sign-extension bits may follow */
			uint64_t ext = (v >> 63) ? 0x7f : 0;
			if (slice != ext) {
				*err = sleb_too_big;
				return -1;
			}
		} else if (shift == 63) {
			/* bit 63 plus six sign bits: all equal */
			if (slice != 0 && slice != 0x7f) {
				*err = sleb_too_big;
				return -1;
			}
			v |= slice << 63;
		} else {
			v |= slice << shift;
		}
		if (shift < 64)
			shift += 7; /* saturates: cannot wrap */
		if (!(byte & 0x80))
			break;
	}
	if (shift < 64 && (byte & 0x40))
		v |= ~(uint64_t)0 << shift;
	*pos = i;
	*out = (int64_t)v;
	return 0;
}
