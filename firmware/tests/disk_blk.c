/* disk_blk.c: bare-metal virtio-blk driver test (slot 7): bring-up, OUT/FLUSH/IN round trips, bad requests, IRQ 8. */
#include "test.h"

/*
 * Runs the same on umbra and on QEMU with
 *   -drive file=IMG,if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0
 *   -global virtio-mmio.force-legacy=false
 * (QEMU puts the first -device in slot 7, 0x10008000, IRQ 8, as umbra does).
 * Needs a writable disk of at least 1 MiB; writes sectors 64..79 and 200..207.
 */

#define BLK_BASE      VIRTIO_MMIO_BASE(7)
#define BLK_IRQ       8u
#define R(off)        (BLK_BASE + (off))
#define QN            8u

#define S_ACK         1u
#define S_DRIVER      2u
#define S_DRIVER_OK   4u
#define S_FEATURES_OK 8u
#define S_NEEDS_RESET 0x40u

#define T_IN          0u
#define T_OUT         1u
#define T_FLUSH       4u
#define T_GET_ID      8u

#define D_NEXT        1u
#define D_WRITE       2u

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct req_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

static struct desc descs[QN] __attribute__((aligned(16)));
static struct {
	uint16_t flags, idx, ring[QN], event;
} avail __attribute__((aligned(4)));
static struct {
	uint16_t flags, idx;
	struct {
		uint32_t id, len;
	} ring[QN];
	uint16_t event;
} used __attribute__((aligned(4)));

static struct req_hdr hdrs[2];
static volatile uint8_t status[2];
static uint8_t wbuf[8192] __attribute__((aligned(16)));
static uint8_t rbuf[8192] __attribute__((aligned(16)));
static uint16_t used_seen;
static volatile uint32_t n_irq, last_isr;

static void fence(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

/* Request k in descriptors 4k..4k+2 (header, optional data, status). */
static uint16_t build(uint32_t k, uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
	uint32_t d = 4u * k, st = d + (len ? 2u : 1u);

	hdrs[k].type = type;
	hdrs[k].reserved = 0;
	hdrs[k].sector = sector;
	status[k] = 0xee;
	descs[d].addr = (uint32_t)&hdrs[k];
	descs[d].len = sizeof(hdrs[k]);
	descs[d].flags = D_NEXT;
	descs[d].next = (uint16_t)(d + 1);
	if (len) {
		descs[d + 1].addr = (uint32_t)buf;
		descs[d + 1].len = len;
		descs[d + 1].flags = D_NEXT | (type == T_OUT ? 0 : D_WRITE);
		descs[d + 1].next = (uint16_t)st;
	}
	descs[st].addr = (uint32_t)&status[k];
	descs[st].len = 1;
	descs[st].flags = D_WRITE;
	descs[st].next = 0;
	return (uint16_t)d;
}

static void submit(uint16_t head)
{
	avail.ring[avail.idx % QN] = head;
	fence();
	avail.idx++;
	fence();
}

static void notify(void)
{
	fence();
	mmio_write32(R(0x050), 0);
}

/* Poll the used ring until n more elements arrived; bounded. */
static int wait_used(uint32_t n)
{
	for (uint32_t i = 0; i < 20000000u; i++) {
		fence();
		if ((uint16_t)(*(volatile uint16_t *)&used.idx - used_seen) >= n) {
			used_seen = (uint16_t)(used_seen + n);
			return 0;
		}
	}
	return -1;
}

static uint8_t one(uint32_t type, uint64_t sector, void *buf, uint32_t len)
{
	submit(build(0, type, sector, buf, len));
	notify();
	CHECK(90, wait_used(1) == 0);
	mmio_write32(R(0x064), mmio_read32(R(0x060)));
	return status[0];
}

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	uint32_t id = plic_claim(PLIC_CTX_M);

	(void)f;
	(void)irq;
	last_isr = mmio_read32(R(0x060));
	mmio_write32(R(0x064), last_isr);
	if (id)
		plic_complete(PLIC_CTX_M, id);
	if (id == BLK_IRQ)
		n_irq = n_irq + 1;
}

static void bring_up(void)
{
	uint32_t f0;

	CHECK_SIG(1, mmio_read32(R(0x000)), 0x74726976u);
	CHECK_SIG(2, mmio_read32(R(0x004)), 2u);
	CHECK_SIG(3, mmio_read32(R(0x008)), 2u);
	mmio_write32(R(0x070), 0);
	mmio_write32(R(0x070), S_ACK);
	mmio_write32(R(0x070), S_ACK | S_DRIVER);
	mmio_write32(R(0x014), 1);
	CHECK_EQ(4, mmio_read32(R(0x010)) & 1u, 1u);           /* VERSION_1 */
	mmio_write32(R(0x014), 0);
	f0 = mmio_read32(R(0x010));
	CHECK_EQ(5, (f0 >> 9) & 1u, 1u);                         /* FLUSH */
	mmio_write32(R(0x024), 0);
	mmio_write32(R(0x020), 1u << 9);
	mmio_write32(R(0x024), 1);
	mmio_write32(R(0x020), 1u);
	mmio_write32(R(0x070), S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK_SIG(6, mmio_read32(R(0x070)), S_ACK | S_DRIVER | S_FEATURES_OK);
	mmio_write32(R(0x030), 0);
	CHECK(7, mmio_read32(R(0x034)) >= QN);
	CHECK_SIG(8, mmio_read32(R(0x044)), 0u);
	mmio_write32(R(0x038), QN);
	mmio_write32(R(0x080), (uint32_t)descs);
	mmio_write32(R(0x084), 0);
	mmio_write32(R(0x090), (uint32_t)&avail);
	mmio_write32(R(0x094), 0);
	mmio_write32(R(0x0a0), (uint32_t)&used);
	mmio_write32(R(0x0a4), 0);
	mmio_write32(R(0x044), 1);
	mmio_write32(R(0x070), S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	CHECK_SIG(9, mmio_read32(R(0x070)), 0x0fu);
	CHECK(10, mmio_read32(R(0x100)) >= 2048u || mmio_read32(R(0x104)) != 0);   /* >= 1 MiB */
}

int main(void)
{
	uint32_t i;

	bring_up();

	/* 11-14: write 16 sectors, flush, read them back byte for byte. */
	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (uint8_t)(i * 31u + (i >> 9) + 5u);
	CHECK_SIG(11, one(T_OUT, 64, wbuf, sizeof(wbuf)), 0u);
	CHECK_SIG(12, one(T_FLUSH, 0, 0, 0), 0u);
	memset(rbuf, 0, sizeof(rbuf));
	CHECK_SIG(13, one(T_IN, 64, rbuf, sizeof(rbuf)), 0u);
	CHECK_SIG(14, memcmp(rbuf, wbuf, sizeof(wbuf)), 0u);

	/* 15-19: two requests in flight at once (OUT to 200, IN of 64..71). */
	memset(rbuf, 0, sizeof(rbuf));
	submit(build(0, T_OUT, 200, wbuf + 512, 4096));
	submit(build(1, T_IN, 64, rbuf, 4096));
	notify();
	CHECK(15, wait_used(2) == 0);
	mmio_write32(R(0x064), mmio_read32(R(0x060)));
	CHECK_SIG(16, status[0] | (status[1] << 8), 0u);
	CHECK_SIG(17, memcmp(rbuf, wbuf, 4096), 0u);
	memset(rbuf, 0, sizeof(rbuf));
	CHECK_SIG(18, one(T_IN, 200, rbuf, 4096), 0u);
	CHECK_SIG(19, memcmp(rbuf, wbuf + 512, 4096), 0u);

	/* 20-23: bad requests: past the end (IOERR), unknown type (UNSUPP); GET_ID works. */
	uint64_t cap = mmio_read32(R(0x100)) | ((uint64_t)mmio_read32(R(0x104)) << 32);
	CHECK_SIG(20, one(T_IN, cap, rbuf, 512), 1u);
	CHECK_SIG(21, one(0x55u, 0, 0, 0), 2u);
	CHECK_SIG(22, one(T_GET_ID, 0, rbuf, 20), 0u);
	CHECK_SIG(23, mmio_read32(R(0x070)), 0x0fu);

	/* 24-29: interrupt-driven completion through the PLIC (IRQ 8, M context). */
	trap_set_irq_handler(on_irq);
	plic_set_priority(BLK_IRQ, 1);
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_enable(PLIC_CTX_M, BLK_IRQ, 1);
	/* The earlier (polled) completions left IRQ 8 latched in the PLIC: drain it. */
	for (i = 0; i < 4u; i++) {
		uint32_t id = plic_claim(PLIC_CTX_M);

		if (id)
			plic_complete(PLIC_CTX_M, id);
	}
	CHECK_SIG(24, plic_pending(BLK_IRQ), 0u);
	csr_set(mie, MIP_MEIP);
	csr_set(mstatus, MSTATUS_MIE);
	memset(rbuf, 0, sizeof(rbuf));
	submit(build(0, T_IN, 200, rbuf, 4096));
	notify();
	for (i = 0; i < 20000000u && n_irq == 0; i++)
		;
	csr_clear(mstatus, MSTATUS_MIE);
	CHECK_SIG(25, n_irq, 1u);
	CHECK_SIG(26, last_isr & 1u, 1u);
	CHECK(27, wait_used(1) == 0);
	CHECK_SIG(28, status[0] | (uint32_t)memcmp(rbuf, wbuf + 512, 4096), 0u);
	CHECK_SIG(29, mmio_read32(R(0x060)), 0u);
	plic_set_enable(PLIC_CTX_M, BLK_IRQ, 0);

	/* 30: reset leaves the device idle. */
	mmio_write32(R(0x070), 0);
	CHECK_SIG(30, mmio_read32(R(0x070)) | mmio_read32(R(0x044)), 0u);
	print("disk_blk: done\n");
	return 0;
}
