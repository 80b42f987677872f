/*
 * collector.h - collects the store's garbage while the daemon runs: old
 * versions of rewritten files, removed files, superseded link results,
 * chunks of writers that went away; then gives the freed pages back to
 * the filesystem (incremental vacuum), so the store stays within a
 * bounded factor of the live content under any write pattern.
 *
 * A thread of its own with a connection of its own (nice 10). Each batch
 * is one short transaction (store_collect: at most 64 contents and 32
 * chunks; store_vacuum_step: at most 1 MiB of pages, which also pass through the
 * WAL), with a pause
 * between batches, so a close() never waits long for the write lock.
 * It runs when poked (every commit pokes it) and once a second.
 * Leaves out: what is garbage (the store's reference counts) and which
 * contents handles still read (pins.h).
 */
#ifndef LINKFS_COLLECTOR_H
#define LINKFS_COLLECTOR_H

#include "pins.h"
#include "store.h"

struct collector;

/* Starts the thread on st (a connection of its own); NULL on failure. */
struct collector *collector_start(struct store *st, struct pins *pins);
/* There may be garbage: run soon. */
void collector_poke(struct collector *c);
/* Stops the thread (a last pass of at most budget_ms) and frees c. */
void collector_stop(struct collector *c, unsigned budget_ms);
/* Tells st the pins (store_set_pins): a connection whose commits may
 * collect when short of room. collector_start does it for its own. */
void collector_share_pins(struct store *st, struct pins *pins);

#endif
