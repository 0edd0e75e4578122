/* disk_stress.c: virtio-blk stress test through firmware/lib/virtio_blk: sequential and random I/O, many requests in flight, every byte verified. */
#include "test.h"
#include "virtio_blk.h"

/*
 * Runs the same on umbra, umbra-iss and QEMU (-device virtio-blk-device, modern), on any
 * zeroed writable image of at least NEED_SECTORS (34 MiB; the scripts use 64 MiB). regress/disk_check.py replays the plan below and checks
 * the image byte for byte afterwards; keep the two in step (the constants below, seq_w[],
 * rnd() and pat()).
 *
 * Plan (sectors of 512 bytes; gen = generation of a write, part of the pattern):
 *  1. GET_ID, then the sequential region [SEQ_LBA, SEQ_LBA + SEQ_SECTORS) is written with
 *     gen 1 in chunks of seq_w[] sectors (cycled), in batches of WINDOW requests (the
 *     driver's VBLK_SLOTS; a 22nd is refused) notified at once, completions polled; FLUSH;
 *     read back in chunks of seq_r[] sectors the same way, every byte checked.
 *  2. RAND_BATCHES batches, gen 2 + b: n = 1 + rnd() % 16 writes to distinct 64 KiB slots of
 *     the random region, each 1 + rnd() % 128 sectors at a random offset in its slot
 *     (rnd() = xorshift32 from RAND_SEED; a slot drawn twice in a batch is drawn again),
 *     all notified at once; then the n extents read back at once and checked. Completions by
 *     interrupt (PLIC source 8, WFI). FLUSH.
 *  3. The sequential region read back again in 64 KiB requests (checks that phase 2 did not
 *     write outside its extents); FLUSH.
 * The console shows only figures that are the same on every machine.
 */

#define SEQ_LBA        2048u
#define SEQ_SECTORS    1024u
#define RAND_LBA       65536u
#define RAND_SLOTS     32u
#define SLOT_SECTORS   128u
#define RAND_BATCHES   4u
#define RAND_SEED      0x2545f491u
#define WINDOW         VBLK_SLOTS   /* the driver's limit: 21 requests in flight */
#define NEED_SECTORS   (RAND_LBA + RAND_SLOTS * SLOT_SECTORS)
#define NBUF           32u
#define BUF_BASE       0x80200000u   /* NBUF buffers of 64 KiB above the test image */
#define WORDS          (VBLK_SECTOR_BYTES / 4u)

static const uint8_t seq_w[] = { 1, 7, 128, 16, 2, 64, 33, 8, 128, 3 };
static const uint8_t seq_r[] = { 128, 5, 64, 1, 32, 128, 9, 16 };

/* One buffer and the request it carries (the request's tag is the buffer's index). */
struct job {
	uint32_t type, lba, nsect, gen;
};

static struct vblk dev;
static struct job jobs[NBUF];
static uint32_t buf_free = ~0u;
static uint32_t use_irq, max_inflight, rng = RAND_SEED;
static volatile uint32_t n_irq;
static uint32_t n_req, n_bytes_checked;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* The 32-bit word w (0..127) of sector lba written with generation gen. */
static uint32_t pat(uint32_t lba, uint32_t w, uint32_t gen)
{
	uint32_t x = (lba * 0x9e3779b1u) ^ (w * 0x85ebca6bu) ^ (gen * 0xc2b2ae35u);

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

static uint32_t *buf_of(uint32_t b)
{
	return (uint32_t *)(BUF_BASE + b * VBLK_MAX_BYTES);
}

static void fill(uint32_t *p, uint32_t lba, uint32_t nsect, uint32_t gen)
{
	for (uint32_t s = 0; s < nsect; s++)
		for (uint32_t w = 0; w < WORDS; w++)
			*p++ = pat(lba + s, w, gen);
}

static void verify(uint32_t case_no, const uint32_t *p, uint32_t lba, uint32_t nsect, uint32_t gen)
{
	for (uint32_t s = 0; s < nsect; s++)
		for (uint32_t w = 0; w < WORDS; w++, p++) {
			uint32_t want = pat(lba + s, w, gen);

			if (*p != want) {
				print("disk_stress: sector ");
				print_dec(lba + s);
				print(" word ");
				print_dec(w);
				print(" gen ");
				print_dec(gen);
				print(": got ");
				print_hex(*p);
				print(" want ");
				print_hex(want);
				print("\n");
				test_check_failed(case_no, "image data", *p, want, __FILE__, __LINE__);
			}
		}
	n_bytes_checked += nsect * VBLK_SECTOR_BYTES;
}

static void on_irq(uint32_t irq, struct trap_frame *f)
{
	uint32_t id = plic_claim(PLIC_CTX_M);

	(void)f;
	(void)irq;
	if (id == 8u) {
		vblk_ack_irq(&dev);
		n_irq = n_irq + 1u;
	}
	if (id)
		plic_complete(PLIC_CTX_M, id);
}

/* Wait for one completion (polling, or WFI until the interrupt when use_irq); case 40. */
static void take(struct vblk_done *out)
{
	uint32_t spins = 0;
	int r;

	for (;;) {
		r = vblk_reap(&dev, out);
		CHECK_EQ(40, r >= 0, 1);
		if (r)
			return;
		if (use_irq) {
			__asm__ volatile("wfi");
			csr_set(mstatus, MSTATUS_MIE);   /* take the pending interrupt here */
			csr_clear(mstatus, MSTATUS_MIE);
		}
		CHECK(41, ++spins < 50000000u);
	}
}

/* A finished job: check its status, check read data, free its buffer. */
static void finish(const struct vblk_done *c)
{
	struct job *j = &jobs[c->tag];

	CHECK(42, c->tag < NBUF && !(buf_free & (1u << c->tag)));
	CHECK_EQ(43, c->status, VBLK_ST_OK);
	if (j->type == VBLK_REQ_IN)
		verify(44, buf_of(c->tag), j->lba, j->nsect, j->gen);
	buf_free |= 1u << c->tag;
}

/* Queue one IN/OUT of nsect sectors at lba (filled with gen for OUT). */
static void start(uint32_t type, uint32_t lba, uint32_t nsect, uint32_t gen)
{
	uint32_t b;
	struct job *j;

	CHECK(45, buf_free != 0);
	for (b = 0; !(buf_free & (1u << b)); b++)
		;
	buf_free &= ~(1u << b);
	j = &jobs[b];
	*j = (struct job){ type, lba, nsect, gen };
	if (type == VBLK_REQ_OUT)
		fill(buf_of(b), lba, nsect, gen);
	else
		for (uint32_t *w = buf_of(b), *e = w + nsect * WORDS; w < e; w++)
			*w = 0xa5a5a5a5u;   /* stale data must not pass verify() */
	CHECK_EQ(46, vblk_submit(&dev, type, lba, buf_of(b), nsect * VBLK_SECTOR_BYTES, b), 0);
	n_req++;
	if (dev.inflight > max_inflight)
		max_inflight = dev.inflight;
}

/* Wait until no more than keep requests are in flight. */
static void drain(uint32_t keep)
{
	struct vblk_done c;

	while (dev.inflight > keep) {
		take(&c);
		finish(&c);
		CHECK_EQ(47, vblk_check(&dev), 0);
	}
}

/* Sweep the sequential region with chunk sizes from sizes[]: batches of WINDOW requests, one notify each. */
static void sweep(uint32_t type, const uint8_t *sizes, uint32_t nsizes, uint32_t gen)
{
	uint32_t lba = SEQ_LBA, end = SEQ_LBA + SEQ_SECTORS, n, i = 0;

	while (lba < end) {
		n = sizes[i++ % nsizes];
		if (n > end - lba)
			n = end - lba;
		start(type, lba, n, gen);
		lba += n;
		if (dev.inflight == WINDOW) {
			/* 13: the queue is full: one more is refused, nothing changes */
			CHECK_EQ(13, vblk_submit(&dev, type, lba, buf_of(0), VBLK_SECTOR_BYTES, 99), VBLK_EFULL);
			CHECK_EQ(13, dev.inflight, WINDOW);
		}
		if (dev.inflight == WINDOW || lba == end) {
			vblk_notify(&dev);
			drain(0);
		}
	}
}

static void flush(uint32_t case_no)
{
	struct vblk_done c;

	CHECK_EQ(case_no, vblk_submit(&dev, VBLK_REQ_FLUSH, 0, 0, 0, 0xf1u), 0);
	vblk_notify(&dev);
	take(&c);
	CHECK_EQ(case_no, c.tag, 0xf1u);
	CHECK_SIG(case_no, c.status, VBLK_ST_OK);
}

static void random_batches(void)
{
	uint32_t b, k, n, slot, size, off, used;
	uint32_t lba[16], nsect[16];

	for (b = 0; b < RAND_BATCHES; b++) {
		n = 1u + rnd() % 16u;
		used = 0;
		for (k = 0; k < n; k++) {
			do
				slot = rnd() % RAND_SLOTS;
			while (used & (1u << slot));
			used |= 1u << slot;
			size = 1u + rnd() % SLOT_SECTORS;
			off = rnd() % (SLOT_SECTORS + 1u - size);
			lba[k] = RAND_LBA + slot * SLOT_SECTORS + off;
			nsect[k] = size;
			start(VBLK_REQ_OUT, lba[k], size, 2u + b);
		}
		vblk_notify(&dev);
		drain(0);
		for (k = 0; k < n; k++)
			start(VBLK_REQ_IN, lba[k], nsect[k], 2u + b);
		vblk_notify(&dev);
		drain(0);
	}
}

int main(void)
{
	static char id[VBLK_ID_LEN + 1] __attribute__((aligned(4)));
	struct vblk_done c;
	int slot;
	uint32_t i;

	/* 1-4: find the disk, bring it up, GET_ID. */
	slot = vblk_find();
	CHECK_SIG(1, (uint32_t)slot, 7u);
	CHECK_SIG(2, (uint32_t)vblk_init(&dev, VIRTIO_MMIO_BASE(slot)), 0u);
	CHECK(3, dev.capacity >= NEED_SECTORS && !vblk_readonly(&dev));
	CHECK_EQ(4, vblk_submit(&dev, VBLK_REQ_GET_ID, 0, id, VBLK_ID_LEN, 0x1du), 0);
	vblk_notify(&dev);
	take(&c);
	CHECK_SIG(4, c.status | (c.tag << 8), 0x1d00u);
	CHECK_ON_UMBRA(5, memcmp(id, "umbra-virtio-blk", 17), 0);

	/* 10-12: sequential write, flush, read back (polling). */
	sweep(VBLK_REQ_OUT, seq_w, sizeof(seq_w), 1);
	flush(10);
	sweep(VBLK_REQ_IN, seq_r, sizeof(seq_r), 1);
	CHECK_SIG(11, n_bytes_checked, SEQ_SECTORS * VBLK_SECTOR_BYTES);
	CHECK_SIG(12, max_inflight, WINDOW);

	/* 20-23: random batches, completions by interrupt. */
	vblk_ack_irq(&dev);
	for (i = 0; i < 4u; i++) {   /* the polled completions left source 8 pending in the PLIC */
		uint32_t id8 = plic_claim(PLIC_CTX_M);

		if (id8)
			plic_complete(PLIC_CTX_M, id8);
	}
	trap_set_irq_handler(on_irq);
	plic_set_priority(8, 1);
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_enable(PLIC_CTX_M, 8, 1);
	csr_set(mie, MIP_MEIP);
	use_irq = 1;
	n_bytes_checked = 0;
	random_batches();
	flush(20);
	CHECK(21, n_irq > 0);
	sig(22, n_bytes_checked);
	sig(23, max_inflight);

	/* 30-31: the sequential region is intact; everything is on the disk. */
	n_bytes_checked = 0;
	static const uint8_t big[] = { 128 };
	sweep(VBLK_REQ_IN, big, 1, 1);
	CHECK_SIG(30, n_bytes_checked, SEQ_SECTORS * VBLK_SECTOR_BYTES);
	flush(31);
	csr_clear(mie, MIP_MEIP);
	plic_set_enable(PLIC_CTX_M, 8, 0);
	CHECK_SIG(32, dev.inflight | buf_free, ~0u);
	print("disk_stress: ");
	print_dec(n_req);
	print(" requests, all data verified\n");
	return 0;
}
