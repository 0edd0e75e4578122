/* iolog.h: the umbra_iolog event ring of docs/io.md §3: one record per guest I/O request, read by the harness. */
#ifndef HV_IOLOG_H
#define HV_IOLOG_H

#include <stdint.h>

#define UMBRA_IOLOG_MAGIC 0x474c4f49u /* "IOLG" */
#define UMBRA_IOLOG_CAP 256u          /* records, power of two */

enum io_reason { IO_REJECTED = 0, IO_IMMEDIATE = 1, IO_MATURITY = 2, IO_SAFEPOINT_IDLE = 3, IO_SAFEPOINT_POLL = 4 };
enum io_policy { IO_POL_IMMEDIATE = 1, IO_POL_NOMINAL = 2, IO_POL_MATURE = 3 };
#define IO_SP_IDLE 1u /* umbra_iolog.safepoints bits */
#define IO_SP_POLL 2u

struct umbra_io_event {
	uint32_t seq; /* SEQ of the request */
	uint32_t lba, count;
	uint8_t cmd, error, reason, pad; /* COMMAND, ERROR (0 = ok), enum io_reason */
	uint64_t issue, host_done, maturity, delivered; /* mcycle; host_done = the cycle the hypervisor saw it */
};

struct umbra_iolog {
	uint32_t magic, cap, policy, safepoints; /* safepoints: bit 0 idle, bit 1 poll */
	uint32_t head;                           /* records written so far (slot = head % cap) */
	uint32_t pad[3];
	struct umbra_io_event e[UMBRA_IOLOG_CAP];
};

_Static_assert(sizeof(struct umbra_io_event) == 48, "io event is 48 bytes");
_Static_assert(__builtin_offsetof(struct umbra_io_event, issue) == 16, "io event layout");
_Static_assert(__builtin_offsetof(struct umbra_iolog, e) == 32, "iolog header is 32 bytes");
_Static_assert((UMBRA_IOLOG_CAP & (UMBRA_IOLOG_CAP - 1u)) == 0, "iolog capacity is a power of two");
_Static_assert((IO_SP_IDLE & IO_SP_POLL) == 0, "safepoint bits overlap");

#endif
