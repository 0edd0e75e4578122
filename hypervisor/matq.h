/* matq.h: the maturity queue: host completions waiting for their maturity time or a safepoint, earliest first. */
#ifndef HV_MATQ_H
#define HV_MATQ_H

#include <stdint.h>

/*
 * Plain C, no CSR access: the hypervisor and the host's cmocka tests use it unchanged.
 * Times are mcycle values; the caller converts its timer units.
 */

#define MATQ_CAP 32u
#define MATQ_NONE UINT64_MAX /* no wake-up */
#define MATQ_EFULL (-1)      /* push refused: the queue is full, nothing changed */
#define MATQ_EINVAL (-2)     /* push refused: device id out of range */
#define MATQ_MAX_DEV 16u

struct matq_entry {
	uint64_t maturity;  /* issue + D_nom: delivered at the latest then */
	uint64_t host_done; /* when the host completion was seen */
	uint32_t dev;       /* which virtual device (0..MATQ_MAX_DEV-1) */
	uint32_t tag;       /* the device's own request number */
	uint32_t order;     /* push order: FIFO among equal maturities */
};

struct matq {
	struct matq_entry e[MATQ_CAP]; /* e[0..n-1], sorted by (maturity, order) */
	uint32_t n;
	uint32_t next_order;
	uint64_t pushed, popped, refused;
};

void matq_init(struct matq *q);
/* Queues one host completion: 0, or MATQ_EFULL / MATQ_EINVAL with the queue unchanged. */
int matq_push(struct matq *q, uint32_t dev, uint32_t tag, uint64_t maturity, uint64_t host_done);
/* Takes the earliest entry if it has matured by now: 1 with *out filled, 0 if none has. */
int matq_pop_mature(struct matq *q, uint64_t now, struct matq_entry *out);
/* Safepoint drain: takes the earliest entry whatever its maturity: 1, or 0 when empty. */
int matq_pop(struct matq *q, struct matq_entry *out);
/* Takes the earliest entry of device dev (a poll safepoint of that device): 1, or 0. */
int matq_pop_dev(struct matq *q, uint32_t dev, struct matq_entry *out);
/* Earliest maturity, or MATQ_NONE. */
uint64_t matq_earliest(const struct matq *q);
/* The next timer wake-up: min(guest_timer, earliest maturity); MATQ_NONE when neither. */
uint64_t matq_wakeup(const struct matq *q, uint64_t guest_timer);
static inline uint32_t matq_len(const struct matq *q)
{
	return q->n;
}
/* Sanity (the numbered rules of matq.c): 0, or minus the number of the first rule broken. */
int matq_check(const struct matq *q);

#endif
