/* virtio_blk.h: the timed virtio-blk device (virtio-mmio version 2, one split virtqueue) of SPEC §4. */
#ifndef UMBRA_VIRTIO_BLK_H
#define UMBRA_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem.h"

/* virtio-mmio register offsets (virtio 1.1 §4.2.2) beyond the identity words in mmio.h. */
#define VBLK_REG_DEVICE_FEATURES      0x010u
#define VBLK_REG_DEVICE_FEATURES_SEL  0x014u
#define VBLK_REG_DRIVER_FEATURES      0x020u
#define VBLK_REG_DRIVER_FEATURES_SEL  0x024u
#define VBLK_REG_QUEUE_SEL            0x030u
#define VBLK_REG_QUEUE_NUM_MAX        0x034u
#define VBLK_REG_QUEUE_NUM            0x038u
#define VBLK_REG_QUEUE_READY          0x044u
#define VBLK_REG_QUEUE_NOTIFY         0x050u
#define VBLK_REG_INTERRUPT_STATUS     0x060u
#define VBLK_REG_INTERRUPT_ACK        0x064u
#define VBLK_REG_STATUS               0x070u
#define VBLK_REG_QUEUE_DESC_LOW       0x080u
#define VBLK_REG_QUEUE_DESC_HIGH      0x084u
#define VBLK_REG_QUEUE_DRIVER_LOW     0x090u
#define VBLK_REG_QUEUE_DRIVER_HIGH    0x094u
#define VBLK_REG_QUEUE_DEVICE_LOW     0x0a0u
#define VBLK_REG_QUEUE_DEVICE_HIGH    0x0a4u
#define VBLK_REG_CONFIG_GENERATION    0x0fcu
#define VBLK_REG_CONFIG               0x100u

#define VBLK_DEVICE_ID                2u

/* Device status bits (virtio 1.1 §2.1). */
#define VBLK_S_ACKNOWLEDGE        0x01u
#define VBLK_S_DRIVER             0x02u
#define VBLK_S_DRIVER_OK          0x04u
#define VBLK_S_FEATURES_OK        0x08u
#define VBLK_S_DEVICE_NEEDS_RESET 0x40u
#define VBLK_S_FAILED             0x80u

/* Feature bits. */
#define VBLK_F_RO                 5u
#define VBLK_F_FLUSH              9u
#define VBLK_F_VERSION_1          32u

/* InterruptStatus bits. */
#define VBLK_INT_USED             0x1u
#define VBLK_INT_CONFIG           0x2u
_Static_assert((VBLK_INT_USED & VBLK_INT_CONFIG) == 0, "interrupt bits overlap");

/* Split-virtqueue descriptor flags. */
#define VBLK_DESC_F_NEXT          0x1u
#define VBLK_DESC_F_WRITE         0x2u
#define VBLK_DESC_F_INDIRECT      0x4u
#define VBLK_AVAIL_F_NO_INTERRUPT 0x1u
_Static_assert((VBLK_DESC_F_NEXT & VBLK_DESC_F_WRITE & VBLK_DESC_F_INDIRECT) == 0,
	       "descriptor flags overlap");

/* Request types and status bytes (virtio 1.1 §5.2.6). */
#define VBLK_T_IN                 0u
#define VBLK_T_OUT                1u
#define VBLK_T_FLUSH              4u
#define VBLK_T_GET_ID             8u
#define VBLK_STATUS_OK            0u
#define VBLK_STATUS_IOERR         1u
#define VBLK_STATUS_UNSUPP        2u
#define VBLK_ID_BYTES             20u
#define VBLK_SECTOR               512u
#define VBLK_HDR_BYTES            16u

#define VBLK_QUEUE_NUM_MAX        256u   /* what QEMU's virtio-blk offers */
#define VBLK_NO_EVENT             UINT64_MAX

/* Timing parameters (cycles at the nominal 100 MHz). */
struct virtio_blk_timing {
	uint32_t latency;        /* fixed cycles per request (controller + interface) */
	uint32_t bandwidth_mbs;  /* media transfer rate in MB/s (10^6 bytes) at 100 MHz */
	uint32_t seek;           /* cycles per bit of |LBA - end of previous request| */
	uint32_t jitter;         /* uniform extra 0..jitter cycles per request */
	uint32_t qdepth;         /* requests in service at once (1..VBLK_QUEUE_NUM_MAX) */
};

#define VBLK_CLOCK_MHZ            100u

/* One guest buffer of a chain, already checked to lie in RAM. */
struct vblk_seg {
	uint32_t addr;
	uint32_t len;
};

/* A request taken from the avail ring and being serviced. */
struct vblk_req {
	uint64_t arrival;   /* cycle the device saw it in the avail ring */
	uint64_t done;      /* completion cycle */
	uint64_t seq;       /* acceptance order, breaks ties between equal done */
	uint64_t sector;
	uint32_t type;
	uint16_t head;
	uint8_t status;     /* status decided at acceptance (OK = still to be carried out) */
	uint8_t pad;
	uint32_t nrd, nwr;  /* readable / writable segments of the chain, in segs */
	uint64_t rd_bytes, wr_bytes;
	struct vblk_seg *segs;   /* VBLK_QUEUE_NUM_MAX entries: readable first, then writable */
};

/* Counters for the stats JSON. */
struct virtio_blk_stats {
	uint64_t requests;       /* taken from the avail ring */
	uint64_t completions;    /* put in the used ring */
	uint64_t bytes_read, bytes_written;
	uint64_t flushes;
	uint64_t ioerr, unsupp;
	uint64_t resets;         /* DEVICE_NEEDS_RESET raised */
	uint64_t *latency;       /* completion - arrival, one per completion */
	size_t nlat, cap_lat;
};

/*
 * The device. Fields below "private" are the model's own; the inline tick reads
 * next_event only.
 */
struct virtio_blk {
	uint64_t next_event;     /* first cycle virtio_blk_tick() has work, or VBLK_NO_EVENT */
	struct mem *ram;
	int fd;
	bool readonly;
	bool owns_fd;
	uint64_t capacity;       /* sectors */
	struct virtio_blk_timing t;
	int (*fsync_hook)(int fd);   /* fsync, replaceable by tests */
	/* called at each completion with its cycle (the harness's I/O checker), may be NULL */
	void (*done_hook)(void *ctx, uint64_t cycle);
	void *done_ctx;

	/* private */
	uint32_t status, int_status, config_gen;
	uint32_t dev_features_sel, drv_features_sel;
	uint64_t drv_features;
	uint32_t queue_sel, queue_num, queue_ready;
	uint64_t desc_addr, avail_addr, used_addr;
	bool notified;
	uint16_t last_avail;     /* next avail ring slot to read */
	uint16_t used_idx;       /* next used ring slot to write */
	uint16_t pending[VBLK_QUEUE_NUM_MAX];   /* heads seen, not yet accepted (FIFO) */
	uint64_t pending_at[VBLK_QUEUE_NUM_MAX];
	uint32_t npending, pending_head;
	struct vblk_req *inflight;   /* qdepth entries */
	struct vblk_seg *seg_pool;   /* qdepth * VBLK_QUEUE_NUM_MAX, shared out to inflight[].segs */
	uint32_t ninflight;
	uint64_t media_free;     /* cycle the media is next free */
	uint64_t last_sector;    /* sector after the previous request's data */
	uint64_t seq;
	uint64_t rng;
	uint8_t *bounce;
	struct virtio_blk_stats st;
};

/*
 * Set up a device over ram. With path NULL a fresh temporary image of
 * size_mb MiB is created and unlinked at once (it lives while open).
 * Returns 0 or a negative errno with one line in err.
 */
int virtio_blk_open(struct virtio_blk *d, struct mem *ram, const char *path, bool readonly,
		    uint32_t size_mb, const struct virtio_blk_timing *t, uint64_t seed, char *err,
		    size_t errlen);
void virtio_blk_close(struct virtio_blk *d);
int virtio_blk_check(const struct virtio_blk *d);

/* One word access at offset off of the slot (be = byte lanes). Always 0 inside the slot. */
int virtio_blk_access_word(struct virtio_blk *d, uint32_t off, bool we, uint32_t be,
			   uint32_t wdata, uint32_t *rdata);

/* The interrupt line (level): some InterruptStatus bit is set. */
static inline bool virtio_blk_irq_level(const struct virtio_blk *d)
{
	return d->int_status != 0;
}

/* Slow path of virtio_blk_tick: do everything due up to and including cycle. */
void virtio_blk_advance(struct virtio_blk *d, uint64_t cycle);

/*
 * Advance the model to cycle (non-decreasing across calls). Cheap when
 * nothing is due; call it after the cycle's mmio access.
 */
static inline void virtio_blk_tick(struct virtio_blk *d, uint64_t cycle)
{
	if (cycle >= d->next_event)
		virtio_blk_advance(d, cycle);
}

/* Latency percentile (nearest rank, p in 1..100) over the completions so far; 0 if none. */
uint64_t virtio_blk_latency_pct(struct virtio_blk *d, unsigned p);

/* Latency figures over the completions so far (all 0 if none). */
#define VBLK_LAT_BUCKETS 64   /* bucket k: latencies with bit length k, i.e. [2^(k-1), 2^k) */
struct virtio_blk_latency {
	uint64_t n, min, max, sum;
	uint64_t bucket[VBLK_LAT_BUCKETS + 1];
};
void virtio_blk_latency_summary(const struct virtio_blk *d, struct virtio_blk_latency *l);

#endif /* UMBRA_VIRTIO_BLK_H */
