/* virtio_blk.c: bare-metal virtio-blk driver (virtio-mmio v2, split virtqueue) for umbra and QEMU virt. */
#include "virtio_blk.h"

#include "platform.h"

/*
 * Invariants (vblk_check):
 *  1. free_mask has bits only for slots 0..VBLK_SLOTS-1.
 *  2. inflight = slots not free = avail.idx - used_seen (submitted, not yet reaped).
 *  3. The device has not used more than was made available: used.idx - used_seen <= inflight.
 */

/* virtio-mmio registers (virtio 1.1 §4.2.2). */
#define REG_MAGIC            0x000u
#define REG_VERSION          0x004u
#define REG_DEVICE_ID        0x008u
#define REG_DEVICE_FEATURES  0x010u
#define REG_DEVICE_FEAT_SEL  0x014u
#define REG_DRIVER_FEATURES  0x020u
#define REG_DRIVER_FEAT_SEL  0x024u
#define REG_QUEUE_SEL        0x030u
#define REG_QUEUE_NUM_MAX    0x034u
#define REG_QUEUE_NUM        0x038u
#define REG_QUEUE_READY      0x044u
#define REG_QUEUE_NOTIFY     0x050u
#define REG_INT_STATUS       0x060u
#define REG_INT_ACK          0x064u
#define REG_STATUS           0x070u
#define REG_QUEUE_DESC_LO    0x080u
#define REG_QUEUE_DESC_HI    0x084u
#define REG_QUEUE_DRIVER_LO  0x090u
#define REG_QUEUE_DRIVER_HI  0x094u
#define REG_QUEUE_DEVICE_LO  0x0a0u
#define REG_QUEUE_DEVICE_HI  0x0a4u
#define REG_CONFIG           0x100u   /* capacity, le64 */

#define MAGIC                0x74726976u   /* "virt" */
#define DEVICE_ID_BLOCK      2u

#define S_ACKNOWLEDGE        0x01u
#define S_DRIVER             0x02u
#define S_DRIVER_OK          0x04u
#define S_FEATURES_OK        0x08u

#define F_RO                 5u
#define F_FLUSH              9u
#define F_VERSION_1_HI       0u     /* bit 32: bit 0 of the high word */

#define DESC_F_NEXT          1u
#define DESC_F_WRITE         2u

_Static_assert((VBLK_QSIZE & (VBLK_QSIZE - 1u)) == 0, "queue size is a power of two");
_Static_assert(VBLK_SLOTS <= 32u, "free_mask has a bit per slot");
_Static_assert(sizeof(struct vblk_desc) == 16 && sizeof(struct vblk_req_hdr) == 16,
	       "virtio layouts");

static uint32_t rd(const struct vblk *d, uint32_t off)
{
	return mmio_read32(d->base + off);
}

static void wr(const struct vblk *d, uint32_t off, uint32_t v)
{
	mmio_write32(d->base + off, v);
}

static void fence(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

int vblk_find(void)
{
	uint32_t base;
	int i;

	for (i = 0; i < 8; i++) {
		base = VIRTIO_MMIO_BASE(i);
		if (mmio_read32(base + REG_MAGIC) == MAGIC && mmio_read32(base + REG_VERSION) == 2u &&
		    mmio_read32(base + REG_DEVICE_ID) == DEVICE_ID_BLOCK)
			return i;
	}
	return -1;
}

void vblk_reset(struct vblk *d)
{
	wr(d, REG_STATUS, 0);
	d->free_mask = (1u << VBLK_SLOTS) - 1u;
	d->inflight = 0;
	d->used_seen = 0;
}

int vblk_init(struct vblk *d, uint32_t base)
{
	uint32_t hi, s = S_ACKNOWLEDGE | S_DRIVER;
	uint32_t i;

	d->base = base;
	if (rd(d, REG_MAGIC) != MAGIC || rd(d, REG_VERSION) != 2u ||
	    rd(d, REG_DEVICE_ID) != DEVICE_ID_BLOCK)
		return VBLK_ENODEV;
	vblk_reset(d);
	wr(d, REG_STATUS, S_ACKNOWLEDGE);
	wr(d, REG_STATUS, s);

	wr(d, REG_DEVICE_FEAT_SEL, 1);
	hi = rd(d, REG_DEVICE_FEATURES);
	wr(d, REG_DEVICE_FEAT_SEL, 0);
	d->features = rd(d, REG_DEVICE_FEATURES);
	if (!(hi & (1u << F_VERSION_1_HI)))
		return VBLK_EFEATURES;
	wr(d, REG_DRIVER_FEAT_SEL, 0);
	wr(d, REG_DRIVER_FEATURES, d->features & ((1u << F_FLUSH) | (1u << F_RO)));
	wr(d, REG_DRIVER_FEAT_SEL, 1);
	wr(d, REG_DRIVER_FEATURES, 1u << F_VERSION_1_HI);
	s |= S_FEATURES_OK;
	wr(d, REG_STATUS, s);
	if (!(rd(d, REG_STATUS) & S_FEATURES_OK))
		return VBLK_EFEATURES;

	wr(d, REG_QUEUE_SEL, 0);
	if (rd(d, REG_QUEUE_READY) != 0 || rd(d, REG_QUEUE_NUM_MAX) < VBLK_QSIZE)
		return VBLK_EQUEUE;
	for (i = 0; i < VBLK_QSIZE; i++)
		d->desc[i] = (struct vblk_desc){ 0, 0, 0, 0 };
	d->avail.flags = 0;
	d->avail.idx = 0;
	d->used.flags = 0;
	d->used.idx = 0;
	fence();
	wr(d, REG_QUEUE_NUM, VBLK_QSIZE);
	wr(d, REG_QUEUE_DESC_LO, (uint32_t)d->desc);
	wr(d, REG_QUEUE_DESC_HI, 0);
	wr(d, REG_QUEUE_DRIVER_LO, (uint32_t)&d->avail);
	wr(d, REG_QUEUE_DRIVER_HI, 0);
	wr(d, REG_QUEUE_DEVICE_LO, (uint32_t)&d->used);
	wr(d, REG_QUEUE_DEVICE_HI, 0);
	wr(d, REG_QUEUE_READY, 1);
	if (rd(d, REG_QUEUE_READY) != 1u)
		return VBLK_EQUEUE;
	d->capacity = rd(d, REG_CONFIG) | ((uint64_t)rd(d, REG_CONFIG + 4) << 32);
	wr(d, REG_STATUS, s | S_DRIVER_OK);
	return 0;
}

int vblk_readonly(const struct vblk *d)
{
	return (d->features >> F_RO) & 1u;
}

int vblk_submit(struct vblk *d, uint32_t type, uint64_t sector, void *buf, uint32_t len,
		uint32_t tag)
{
	uint32_t s, k, st;

	if (!d->free_mask)
		return VBLK_EFULL;
	if ((type == VBLK_REQ_IN || type == VBLK_REQ_OUT) &&
	    (len == 0 || len % VBLK_SECTOR_BYTES || len > VBLK_MAX_BYTES))
		return VBLK_EINVAL;
	if ((type == VBLK_REQ_FLUSH && len) || (type == VBLK_REQ_GET_ID && len != VBLK_ID_LEN))
		return VBLK_EINVAL;
	for (s = 0; !(d->free_mask & (1u << s)); s++)
		;
	d->free_mask &= ~(1u << s);
	d->inflight++;
	k = 3u * s;
	st = len ? k + 2u : k + 1u;
	d->hdr[s] = (struct vblk_req_hdr){ type, 0, sector };
	d->status[s] = 0xff;
	d->tag[s] = tag;
	d->desc[k] = (struct vblk_desc){ (uint32_t)&d->hdr[s], sizeof(d->hdr[s]), DESC_F_NEXT,
					 (uint16_t)(k + 1u) };
	if (len)
		d->desc[k + 1u] = (struct vblk_desc){ (uint32_t)buf, len,
						      DESC_F_NEXT | (type == VBLK_REQ_OUT ? 0u :
										    DESC_F_WRITE),
						      (uint16_t)st };
	d->desc[st] = (struct vblk_desc){ (uint32_t)&d->status[s], 1, DESC_F_WRITE, 0 };
	d->avail.ring[d->avail.idx % VBLK_QSIZE] = (uint16_t)k;
	fence();   /* descriptors and ring entry before the index (virtio 1.1 §2.6.13) */
	*(volatile uint16_t *)&d->avail.idx = (uint16_t)(d->avail.idx + 1u);
	return 0;
}

void vblk_notify(struct vblk *d)
{
	fence();   /* the avail index before the notify */
	wr(d, REG_QUEUE_NOTIFY, 0);
}

int vblk_reap(struct vblk *d, struct vblk_done *out)
{
	uint32_t id, s;

	if (*(volatile uint16_t *)&d->used.idx == d->used_seen)
		return 0;
	fence();   /* the index before the element and the status byte */
	id = *(volatile uint32_t *)&d->used.ring[d->used_seen % VBLK_QSIZE].id;
	s = id / 3u;
	if (id % 3u || s >= VBLK_SLOTS || (d->free_mask & (1u << s)))
		return VBLK_EDEVICE;
	out->tag = d->tag[s];
	out->type = d->hdr[s].type;
	out->len = *(volatile uint32_t *)&d->used.ring[d->used_seen % VBLK_QSIZE].len;
	out->status = *(volatile uint8_t *)&d->status[s];
	d->used_seen++;
	d->free_mask |= 1u << s;
	d->inflight--;
	return 1;
}

uint32_t vblk_ack_irq(struct vblk *d)
{
	uint32_t v = rd(d, REG_INT_STATUS);

	if (v)
		wr(d, REG_INT_ACK, v);
	return v;
}

int vblk_check(const struct vblk *d)
{
	uint32_t busy = ~d->free_mask & ((1u << VBLK_SLOTS) - 1u), n = 0;

	if (d->free_mask & ~((1u << VBLK_SLOTS) - 1u))
		return 1;
	for (; busy; busy &= busy - 1u)
		n++;
	if (n != d->inflight || (uint16_t)(d->avail.idx - d->used_seen) != d->inflight)
		return 2;
	if ((uint16_t)(*(const volatile uint16_t *)&d->used.idx - d->used_seen) > d->inflight)
		return 3;
	return 0;
}

uint32_t vblk_device_status(const struct vblk *d)
{
	return rd(d, REG_STATUS);
}
