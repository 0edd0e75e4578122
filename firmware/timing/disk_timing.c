/* disk_timing.c: umbra-only: one virtio-blk request at a time, mcycle at the notify store and at the interrupt, printed for regress/disk_check.py. */
#include "test.h"
#include "virtio_blk.h"

/*
 * Phase 1: for each request of reqs[] (one in flight at a time, the disk otherwise idle)
 *   req <k> type <t> lba <sector> bytes <n> notify <c0> irq <c1>
 * where c0 is mcycle read by the instruction right before the QueueNotify store and c1 is
 * mcycle read first thing in the external-interrupt callback (the hart waits in WFI with
 * MIE set, so the interrupt is taken from WFI). Both are the low 32 bits.
 * Phase 2: the requests of burst[] all made available, then one notify (mcycle c0):
 *   breq <k> type <t> lba <sector> bytes <n> notify <c0>      one per request
 *   birq <i> <c1>                                             one per interrupt
 *   bdone <i> tag <k>                                         used-ring order
 * Sizes of 8 KiB and more keep completions at least ~800 cycles apart, longer than the
 * interrupt handler, so each completion gets its own interrupt.
 * The host replays the timing model of docs/architecture.md with the run's --disk-* options
 * and --seed (regress/disk_check.py) and checks that every interrupt comes a fixed number of
 * cycles after its predicted completion.
 * Not part of the directed suite: its console is umbra's alone.
 */

#define NREQ     (sizeof(reqs) / sizeof(reqs[0]))
#define NBURST   (sizeof(burst) / sizeof(burst[0]))
#define MAX_IRQ  32u
#define BUF      0x80200000u

struct treq {
	uint32_t type, lba, bytes;
};

/* Distances of 0, 1, a few and many sectors; 512 B to 64 KiB; a FLUSH and a GET_ID between. */
static const struct treq reqs[] = {
	{ VBLK_REQ_IN, 0, 512 },           { VBLK_REQ_IN, 1, 4096 },
	{ VBLK_REQ_OUT, 9, 512 },          { VBLK_REQ_OUT, 10, 65536 },
	{ VBLK_REQ_IN, 100000, 1024 },     { VBLK_REQ_FLUSH, 0, 0 },
	{ VBLK_REQ_IN, 100002, 8192 },     { VBLK_REQ_OUT, 3, 32768 },
	{ VBLK_REQ_GET_ID, 0, VBLK_ID_LEN }, { VBLK_REQ_IN, 67, 512 },
	{ VBLK_REQ_IN, 67, 512 },          { VBLK_REQ_OUT, 131000, 2048 },
	{ VBLK_REQ_IN, 5000, 16384 },      { VBLK_REQ_IN, 5032, 512 },
	{ VBLK_REQ_OUT, 2, 1536 },         { VBLK_REQ_IN, 70000, 65536 },
};

/* Far and near, reads and writes, 8..64 KiB (at most VBLK_SLOTS). */
static const struct treq burst[] = {
	{ VBLK_REQ_IN, 20000, 8192 },      { VBLK_REQ_OUT, 20016, 65536 },
	{ VBLK_REQ_IN, 400, 16384 },       { VBLK_REQ_IN, 90000, 32768 },
	{ VBLK_REQ_OUT, 90064, 8192 },     { VBLK_REQ_IN, 12, 24576 },
	{ VBLK_REQ_OUT, 130000, 16384 },   { VBLK_REQ_IN, 20000, 8192 },
	{ VBLK_REQ_IN, 64000, 49152 },     { VBLK_REQ_OUT, 777, 8192 },
};

static struct vblk dev;
static volatile uint32_t irq_at[MAX_IRQ], n_irq;

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	uint32_t now = csr_read(mcycle);
	uint32_t id;

	(void)f;
	(void)irq;
	id = plic_claim(PLIC_CTX_M);
	if (id == 8u) {
		vblk_ack_irq(&dev);
		if (n_irq < MAX_IRQ)
			irq_at[n_irq] = now;
		n_irq = n_irq + 1u;
	}
	if (id)
		plic_complete(PLIC_CTX_M, id);
}

/* mcycle, then the QueueNotify store, back to back. */
static uint32_t notify_timed(void)
{
	uint32_t c;

	__asm__ volatile("fence rw, rw\n\tcsrr %0, mcycle\n\tsw zero, 0x50(%1)"
			 : "=&r"(c)
			 : "r"(dev.base)
			 : "memory");
	return c;
}

int main(void)
{
	struct vblk_done c;
	uint32_t k, c0;

	CHECK(1, platform_is_umbra());
	CHECK_EQ(2, vblk_init(&dev, VIRTIO_MMIO_BASE(7)), 0);
	trap_set_irq_handler(on_irq);
	plic_set_priority(8, 1);
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_enable(PLIC_CTX_M, 8, 1);
	csr_set(mie, MIP_MEIP);
	for (k = 0; k < NREQ; k++) {
		const struct treq *r = &reqs[k];

		CHECK_EQ(3, vblk_submit(&dev, r->type, r->lba, (void *)BUF, r->bytes, k), 0);
		n_irq = 0;
		c0 = notify_timed();
		csr_set(mstatus, MSTATUS_MIE);
		while (n_irq == 0)
			__asm__ volatile("wfi");
		csr_clear(mstatus, MSTATUS_MIE);
		CHECK_EQ(4, vblk_reap(&dev, &c), 1);
		CHECK_EQ(5, c.tag, k);
		CHECK_EQ(6, c.status, VBLK_ST_OK);
		CHECK_EQ(7, n_irq, 1);
		print("req ");
		print_dec(k);
		print(" type ");
		print_dec(r->type);
		print(" lba ");
		print_dec(r->lba);
		print(" bytes ");
		print_dec(r->type == VBLK_REQ_GET_ID ? 0 : r->bytes);
		print(" notify ");
		print_dec(c0);
		print(" irq ");
		print_dec(irq_at[0]);
		print("\n");
	}

	/* Phase 2: a burst. Buffers 64 KiB apart from BUF. */
	for (k = 0; k < NBURST; k++)
		CHECK_EQ(10, vblk_submit(&dev, burst[k].type, burst[k].lba,
					 (void *)(BUF + k * VBLK_MAX_BYTES), burst[k].bytes, k), 0);
	n_irq = 0;
	c0 = notify_timed();
	csr_set(mstatus, MSTATUS_MIE);
	while ((uint16_t)(*(volatile uint16_t *)&dev.used.idx - dev.used_seen) < NBURST)
		__asm__ volatile("wfi");
	csr_clear(mstatus, MSTATUS_MIE);
	for (k = 0; k < NBURST; k++) {
		print("breq ");
		print_dec(k);
		print(" type ");
		print_dec(burst[k].type);
		print(" lba ");
		print_dec(burst[k].lba);
		print(" bytes ");
		print_dec(burst[k].bytes);
		print(" notify ");
		print_dec(c0);
		print("\n");
	}
	CHECK(11, n_irq <= MAX_IRQ);
	for (k = 0; k < n_irq; k++) {
		print("birq ");
		print_dec(k);
		print(" ");
		print_dec(irq_at[k]);
		print("\n");
	}
	for (k = 0; k < NBURST; k++) {
		CHECK_EQ(12, vblk_reap(&dev, &c), 1);
		CHECK_EQ(13, c.status, VBLK_ST_OK);
		print("bdone ");
		print_dec(k);
		print(" tag ");
		print_dec(c.tag);
		print("\n");
	}
	return 0;
}
