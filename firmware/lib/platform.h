/* platform.h: umbra-virt / QEMU virt memory map and small device helpers (CLINT, PLIC, UART, finisher). */
#ifndef UMBRA_PLATFORM_H
#define UMBRA_PLATFORM_H

#define FINISHER_BASE     0x00100000u
#define FINISHER_PASS     0x5555u
#define FINISHER_FAIL     0x3333u

#define CLINT_BASE        0x02000000u
#define CLINT_MSIP        (CLINT_BASE + 0x0000u)
#define CLINT_MTIMECMP    (CLINT_BASE + 0x4000u)
#define CLINT_MTIME       (CLINT_BASE + 0xbff8u)
#define MTIME_HZ          10000000u

#define PLIC_BASE         0x0c000000u
#define PLIC_PRIORITY(id) (PLIC_BASE + 4u * (id))
#define PLIC_PENDING      (PLIC_BASE + 0x1000u)
#define PLIC_ENABLE(ctx)  (PLIC_BASE + 0x2000u + 0x80u * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000u + 0x1000u * (ctx))
#define PLIC_CLAIM(ctx)   (PLIC_BASE + 0x200004u + 0x1000u * (ctx))
#define PLIC_CTX_M        0
#define PLIC_CTX_S        1

#define UART_BASE         0x10000000u
#define UART_THR          0u
#define UART_IER          1u
#define UART_IIR          2u
#define UART_LSR          5u
#define UART_IER_THRI     0x02u
#define UART_LSR_THRE     0x20u
#define UART_IRQ          10u

#define VIRTIO_MMIO_BASE(i) (0x10001000u + 0x1000u * (i))
#define UNMAPPED_ADDR     0x1000f000u

#define RAM_BASE          0x80000000u

#define UMBRA_MIMPID      0x756d6272u /* umbra's mimpid, "umbr" */

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline uint32_t mmio_read32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint32_t addr, uint32_t val)
{
	*(volatile uint32_t *)addr = val;
}

static inline uint8_t mmio_read8(uint32_t addr)
{
	return *(volatile uint8_t *)addr;
}

static inline void mmio_write8(uint32_t addr, uint8_t val)
{
	*(volatile uint8_t *)addr = val;
}

/* mtime is 64 bits read as two halves: re-read until the high half is stable. */
static inline uint64_t clint_read_mtime(void)
{
	uint32_t hi, lo;

	do {
		hi = mmio_read32(CLINT_MTIME + 4);
		lo = mmio_read32(CLINT_MTIME);
	} while (hi != mmio_read32(CLINT_MTIME + 4));
	return ((uint64_t)hi << 32) | lo;
}

/* Writes mtimecmp without passing through a smaller transient value. */
static inline void clint_set_mtimecmp(uint64_t t)
{
	mmio_write32(CLINT_MTIMECMP + 4, 0xffffffffu);
	mmio_write32(CLINT_MTIMECMP, (uint32_t)t);
	mmio_write32(CLINT_MTIMECMP + 4, (uint32_t)(t >> 32));
}

static inline void clint_set_msip(uint32_t on)
{
	mmio_write32(CLINT_MSIP, on);
}

static inline void plic_set_priority(uint32_t irq, uint32_t prio)
{
	mmio_write32(PLIC_PRIORITY(irq), prio);
}

/*
 * QEMU 7.2's PLIC does not re-evaluate its outputs (MEIP/SEIP) on an enable write, only on
 * threshold/priority writes, claims, completions and source changes: rewrite the threshold.
 */
static inline void plic_set_enable(uint32_t ctx, uint32_t irq, int on)
{
	uint32_t addr = PLIC_ENABLE(ctx) + 4u * (irq / 32u);
	uint32_t bit = 1u << (irq % 32u);
	uint32_t v = mmio_read32(addr);

	mmio_write32(addr, on ? (v | bit) : (v & ~bit));
	mmio_write32(PLIC_THRESHOLD(ctx), mmio_read32(PLIC_THRESHOLD(ctx)));
}

static inline void plic_set_threshold(uint32_t ctx, uint32_t t)
{
	mmio_write32(PLIC_THRESHOLD(ctx), t);
}

static inline uint32_t plic_claim(uint32_t ctx)
{
	return mmio_read32(PLIC_CLAIM(ctx));
}

static inline void plic_complete(uint32_t ctx, uint32_t irq)
{
	mmio_write32(PLIC_CLAIM(ctx), irq);
}

static inline uint32_t plic_pending(uint32_t irq)
{
	return (mmio_read32(PLIC_PENDING + 4u * (irq / 32u)) >> (irq % 32u)) & 1u;
}

/*
 * Tests use this only where QEMU 7.2 legally (or knowingly) differs from the privileged
 * spec: strict on umbra, lenient on QEMU, and the same console output on both.
 */
static inline int platform_is_umbra(void)
{
	uint32_t v;

	__asm__ volatile("csrr %0, mimpid" : "=r"(v));
	return v == UMBRA_MIMPID;
}
#endif

#endif
