/* virtio_blk.h: bare-metal driver for a virtio-mmio (version 2) block device: one split virtqueue, requests in flight. */
#ifndef UMBRA_FW_VIRTIO_BLK_H
#define UMBRA_FW_VIRTIO_BLK_H

/*
 * Rules a caller can rely on:
 *  1. Addresses are physical and identity-mapped: buffers, the struct vblk itself (rings,
 *     headers, status bytes) and the MMIO window are used as given. A buffer must stay put
 *     and untouched until its request completes.
 *  2. Each request takes one slot: descriptors 3s (header), 3s+1 (data, absent for FLUSH)
 *     and 3s+2 (status byte). So up to VBLK_SLOTS requests are in flight at once; the
 *     device may hold some of them in its avail ring (its queue depth is its own).
 *  3. vblk_submit() only queues; nothing reaches the device before vblk_notify(). Several
 *     submits and one notify put several requests in flight at once.
 *  4. Completions are taken from the used ring by vblk_reap(), in the order the device
 *     completed them, from a polling loop or after an interrupt alike. vblk_ack_irq()
 *     clears the device's InterruptStatus; call it from the external-interrupt handler
 *     (the PLIC claim/complete is the caller's).
 *  5. Functions return 0 (or a count) on success and a negative VBLK_E* code otherwise.
 */

#include <stdint.h>

#define VBLK_QSIZE          64u                  /* descriptors in the queue (power of two) */
#define VBLK_SLOTS          (VBLK_QSIZE / 3u)    /* requests in flight at most */
#define VBLK_SECTOR_BYTES   512u
#define VBLK_MAX_BYTES      (64u * 1024u)        /* data bytes per request this driver sends */
#define VBLK_ID_LEN         20u                  /* GET_ID answer */

/* Request types and status bytes (virtio 1.1 §5.2.6). */
#define VBLK_REQ_IN         0u
#define VBLK_REQ_OUT        1u
#define VBLK_REQ_FLUSH      4u
#define VBLK_REQ_GET_ID     8u
#define VBLK_ST_OK          0u
#define VBLK_ST_IOERR       1u
#define VBLK_ST_UNSUPP      2u

/* Error codes. */
#define VBLK_ENODEV         (-1)   /* no virtio-blk device at that address */
#define VBLK_EFEATURES      (-2)   /* the device refused VERSION_1 (FEATURES_OK did not stick) */
#define VBLK_EQUEUE         (-3)   /* queue 0 missing, too small or not ready */
#define VBLK_EFULL          (-4)   /* every slot is in flight */
#define VBLK_EINVAL         (-5)   /* bad length or type */
#define VBLK_EDEVICE        (-6)   /* the device wrote a used element that names no request */

struct vblk_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vblk_req_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

/* One finished request, as vblk_reap() hands it back. */
struct vblk_done {
	uint32_t tag;      /* the caller's tag given to vblk_submit() */
	uint32_t type;
	uint32_t len;      /* bytes the device wrote (data + status byte) */
	uint8_t status;    /* VBLK_ST_* */
};

struct vblk {
	struct vblk_desc desc[VBLK_QSIZE] __attribute__((aligned(16)));
	struct {
		uint16_t flags, idx, ring[VBLK_QSIZE], used_event;
	} avail __attribute__((aligned(4)));
	struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[VBLK_QSIZE];
		uint16_t avail_event;
	} used __attribute__((aligned(4)));
	struct vblk_req_hdr hdr[VBLK_SLOTS];
	uint8_t status[VBLK_SLOTS];
	uint32_t tag[VBLK_SLOTS];
	uint32_t base;          /* MMIO window */
	uint64_t capacity;      /* sectors */
	uint32_t features;      /* device feature bits 0..31 as offered */
	uint32_t free_mask;     /* bit s: slot s free */
	uint32_t inflight;      /* slots in use */
	uint16_t used_seen;     /* used ring entries taken so far */
};

/* Slot i (0..7) of the virtio-mmio window whose DeviceID is 2 (block), scanning 0..7; -1 if none. */
int vblk_find(void);
/* Reset, negotiate (VERSION_1, FLUSH when offered), set up queue 0, DRIVER_OK. */
int vblk_init(struct vblk *d, uint32_t base);
int vblk_readonly(const struct vblk *d);
/* Queue one request (rule 3); len is the data bytes (0 for FLUSH, VBLK_ID_LEN for GET_ID). */
int vblk_submit(struct vblk *d, uint32_t type, uint64_t sector, void *buf, uint32_t len,
		uint32_t tag);
void vblk_notify(struct vblk *d);
/* Take one completion: 1 with *out filled, 0 if none is there, VBLK_EDEVICE on a bad element. */
int vblk_reap(struct vblk *d, struct vblk_done *out);
/* Read and clear InterruptStatus; returns what was set (bit 0 used ring, bit 1 configuration). */
uint32_t vblk_ack_irq(struct vblk *d);
uint32_t vblk_device_status(const struct vblk *d);
/* Sanity of the driver's own state: 0, or the number of the first rule broken (rules in virtio_blk.c). */
int vblk_check(const struct vblk *d);
/* Status = 0: the device drops everything in flight and forgets the queue. */
void vblk_reset(struct vblk *d);

#endif /* UMBRA_FW_VIRTIO_BLK_H */
