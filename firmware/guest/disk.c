/* disk.c: the guest's interrupt-driven driver for the legacy disk at gpa 0x1000_F000 (docs/io.md §1). */
#include "kernel.h"

/*
 * Rules:
 *  1. One request at a time. A request is "registered" (the driver's bookkeeping says it is
 *     in flight) before its COMMAND is written, except in the legacy driver, which
 *     registers it only W cycles later.
 *  2. The S external interrupt handler reads STATUS and ERROR, acknowledges, and completes
 *     the registered request; an interrupt with nothing registered is a lost completion:
 *     counted, acknowledged, and the request's waiter is told so instead of hanging.
 *  3. Waiting is WFI with sstatus.SIE=0, then a window with SIE=1 to take what woke it: no
 *     wake-up can fall between the check and the WFI.
 */

static struct {
	volatile uint32_t registered, done, lost, status, error, seq;
	void (*wake)(void *ctx, uint32_t status, uint32_t error);
	void *ctx;
} req;
volatile uint32_t disk_irqs, disk_lost;
uint32_t disk_capacity;

static inline uint32_t rd(uint32_t off)
{
	return *(volatile uint32_t *)(KVA_DISK + off);
}

static inline void wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(KVA_DISK + off) = v;
}

uint32_t disk_reg(uint32_t off)
{
	return rd(off);
}

void disk_reg_write(uint32_t off, uint32_t v)
{
	wr(off, v);
}

int disk_init(void)
{
	if (rd(DISK_MAGIC) != DISK_MAGIC_VALUE)
		return -1;
	disk_capacity = rd(DISK_CAPACITY);
	kcsr_set(sie, MIP_SEIP);
	return 0;
}

void disk_irq(void)
{
	uint32_t st = rd(DISK_STATUS), err = rd(DISK_ERROR);

	wr(DISK_ACK, 1);
	disk_irqs++;
	if (!req.registered) {
		/* rule 2: the completion came before the driver's bookkeeping */
		disk_lost++;
		req.lost = 1;
		return;
	}
	req.registered = 0;
	req.status = st;
	req.error = err;
	req.done = 1;
	if (req.wake)
		req.wake(req.ctx, st, err);
}

/* Rule 3: the caller runs with SIE=0. */
static void wait_for(volatile uint32_t *a, volatile uint32_t *b)
{
	while (!*a && !*b) {
		__asm__ volatile("wfi");
		kcsr_set(sstatus, MSTATUS_SIE);
		kcsr_clear(sstatus, MSTATUS_SIE);
	}
}

void disk_start(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma,
		void (*wake)(void *ctx, uint32_t status, uint32_t error), void *ctx)
{
	req.done = req.lost = 0;
	req.wake = wake;
	req.ctx = ctx;
	req.registered = 1;
	wr(DISK_LBA, lba);
	wr(DISK_COUNT, count);
	wr(DISK_DMA, dma);
	wr(DISK_COMMAND, cmd);
}

uint32_t disk_wait(uint32_t *err)
{
	uint32_t s = kcsr_read(sstatus) & MSTATUS_SIE;

	kcsr_clear(sstatus, MSTATUS_SIE);
	wait_for(&req.done, &req.lost);
	kcsr_set(sstatus, s);
	*err = req.error;
	return req.status;
}

uint32_t disk_io(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma, uint32_t *err)
{
	uint32_t s = kcsr_read(sstatus) & MSTATUS_SIE;

	kcsr_clear(sstatus, MSTATUS_SIE);
	disk_start(cmd, lba, count, dma, 0, 0);
	wait_for(&req.done, &req.lost);
	kcsr_set(sstatus, s);
	*err = req.error;
	return req.status;
}

uint32_t disk_io_legacy(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma, uint32_t window,
			uint32_t *err, int *lost)
{
	uint32_t s = kcsr_read(sstatus) & MSTATUS_SIE, t0;

	req.done = req.lost = req.registered = 0;
	req.wake = 0;
	kcsr_set(sstatus, MSTATUS_SIE); /* interrupts may come during the window */
	wr(DISK_LBA, lba);
	wr(DISK_COUNT, count);
	wr(DISK_DMA, dma);
	wr(DISK_COMMAND, cmd);
	t0 = rdcycle32();
	while (rdcycle32() - t0 < window)
		;
	kcsr_clear(sstatus, MSTATUS_SIE);
	*lost = req.lost;
	if (!req.lost) {
		req.registered = 1; /* the bookkeeping, W cycles late */
		wait_for(&req.done, &req.lost);
	}
	kcsr_set(sstatus, s);
	*err = req.lost ? 0 : req.error;
	return req.lost ? DISK_ST_DONE : req.status;
}
