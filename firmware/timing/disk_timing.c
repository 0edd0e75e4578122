/* disk_timing.c: umbra-only: one virtio-blk request at a time, mcycle at the notify store and at the interrupt, printed for regress/disk_check.py. */
#include "test.h"
#include "virtio_blk.h"

/*
 * For each request of reqs[] (one in flight at a time, the disk otherwise idle) it prints
 *   req <k> type <t> lba <sector> bytes <n> notify <c0> irq <c1>
 * where c0 is mcycle read by the instruction right before the QueueNotify store and c1 is
 * mcycle read first thing in the external-interrupt callback (the hart waits in WFI with
 * MIE set, so the interrupt is taken from WFI). Both are the low 32 bits. The host replays
 * the timing model of docs/architecture.md with the run's --disk-* options and --seed and
 * checks that c1 - c0 - (predicted service time) is one small constant for every request.
 * Not part of the directed suite: its console is umbra's alone.
 */

#define NREQ     (sizeof(reqs) / sizeof(reqs[0]))
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

static struct vblk dev;
static volatile uint32_t irq_cycle, n_irq;

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	uint32_t now = csr_read(mcycle);
	uint32_t id;

	(void)f;
	(void)irq;
	id = plic_claim(PLIC_CTX_M);
	if (id == 8u) {
		vblk_ack_irq(&dev);
		if (n_irq++ == 0)
			irq_cycle = now;
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
		print_dec(irq_cycle);
		print("\n");
	}
	return 0;
}
