/*
 * pins.c - a multiset of content ids behind a mutex (pins.h).
 * Open hashing on the id's first bytes (already a hash). Leaves out:
 * shrinking the bucket array (a few thousand open handles at most).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pins.h"

enum { PIN_BUCKETS = 1024 };

struct pin {
	uint8_t id[16];
	unsigned long count;
	struct pin *next;
};

struct pins {
	pthread_mutex_t lock;
	struct pin *bucket[PIN_BUCKETS];
};

static struct pin **slot(struct pins *p, const uint8_t id[16])
{
	uint32_t h;
	memcpy(&h, id, sizeof h);
	struct pin **s = &p->bucket[h % PIN_BUCKETS];
	while (*s && memcmp((*s)->id, id, 16))
		s = &(*s)->next;
	return s;
}

struct pins *pins_new(void)
{
	struct pins *p = calloc(1, sizeof *p);
	if (p)
		pthread_mutex_init(&p->lock, NULL);
	return p;
}

void pins_free(struct pins *p)
{
	if (!p)
		return;
	for (int i = 0; i < PIN_BUCKETS; i++)
		while (p->bucket[i]) {
			struct pin *x = p->bucket[i];
			p->bucket[i] = x->next;
			free(x);
		}
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int pins_add(struct pins *p, const uint8_t id[16])
{
	int rc = 0;
	pthread_mutex_lock(&p->lock);
	struct pin **s = slot(p, id);
	if (*s) {
		(*s)->count++;
	} else if ((*s = calloc(1, sizeof **s))) {
		memcpy((*s)->id, id, 16);
		(*s)->count = 1;
	} else {
		rc = -ENOMEM;
	}
	pthread_mutex_unlock(&p->lock);
	return rc;
}

void pins_del(struct pins *p, const uint8_t id[16])
{
	pthread_mutex_lock(&p->lock);
	struct pin **s = slot(p, id);
	if (*s && --(*s)->count == 0) {
		struct pin *x = *s;
		*s = x->next;
		free(x);
	}
	pthread_mutex_unlock(&p->lock);
}

void pins_lock(struct pins *p) { pthread_mutex_lock(&p->lock); }
void pins_unlock(struct pins *p) { pthread_mutex_unlock(&p->lock); }

int pins_has_locked(void *p, const uint8_t id[16])
{
	return *slot(p, id) != NULL;
}
