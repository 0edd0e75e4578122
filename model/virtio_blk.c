/* virtio_blk.c: timed virtio-blk over an image file: virtio-mmio v2 registers, split virtqueue, timing model. */
#define _GNU_SOURCE   /* mkostemp */
#include "virtio_blk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmio.h"

/*
 * Rules:
 *  1. Every guest address is checked against RAM (mem_contains) before use,
 *     and every guest buffer is moved with mem_read_bytes/mem_write_bytes:
 *     the model never touches host memory outside RAM.
 *  2. The image is written only by an OUT request whose sectors
 *     [sector, sector + len/512) all lie inside capacity, on a writable image.
 *  3. A chain walk visits at most queue_num descriptors: more is a loop.
 *  4. Ring state the device cannot make sense of (bad head or next index, an
 *     indirect descriptor, a chain with no status byte to write, an avail
 *     index more than queue_num ahead, bad queue addresses) sets
 *     DEVICE_NEEDS_RESET (virtio 1.1 §2.1.2): the queue stops until the
 *     driver writes Status = 0. Anything else bad in a request gets a status
 *     byte: IOERR, or UNSUPP for an unknown type.
 *  5. Timing: a request is accepted when fewer than qdepth are in service;
 *     start = max(accept, media_free); media_free = start + seek + transfer;
 *     done = start + latency + seek + transfer + jitter. Its data moves, its
 *     status and used element are written and InterruptStatus is set in
 *     the call of virtio_blk_advance() for cycle == done (or the first later
 *     one, if called sparsely, still in done order).
 *  6. next_event is the smallest done in service, 0 after a notify, or
 *     VBLK_NO_EVENT when idle.
 */

#define BOUNCE_BYTES (64u * 1024u)
#define ID_STRING    "umbra-virtio-blk"

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set_err(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int open_image(struct virtio_blk *d, const char *path, bool readonly, uint32_t size_mb,
		      char *err, size_t errlen)
{
	char tmpl[4096];
	const char *dir = getenv("TMPDIR");
	struct stat sb;
	int e;

	if (!path) {
		snprintf(tmpl, sizeof(tmpl), "%s/umbra-disk-XXXXXX", dir && *dir ? dir : "/tmp");
		d->fd = mkostemp(tmpl, O_CLOEXEC);
		if (d->fd < 0)
			return set_err(err, errlen, -errno, "cannot create a temporary disk image %s: %s",
				       tmpl, strerror(errno));
		unlink(tmpl);   /* lives while open, gone at exit whatever happens */
		if (ftruncate(d->fd, (off_t)size_mb * MEM_MIB)) {
			e = errno;
			close(d->fd);
			d->fd = -1;
			return set_err(err, errlen, -e, "cannot size the temporary disk image to %u MiB: %s",
				       size_mb, strerror(e));
		}
		d->capacity = (uint64_t)size_mb * MEM_MIB / VBLK_SECTOR;
		d->readonly = readonly;
		return 0;
	}
	d->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (d->fd < 0) {
		e = errno;
		if (!readonly && (e == EACCES || e == EROFS || e == EPERM))
			return set_err(err, errlen, -e, "--disk %s: cannot open read-write: %s "
				       "(--disk-readonly opens it read-only)", path, strerror(e));
		return set_err(err, errlen, -e, "--disk %s: cannot open: %s", path, strerror(e));
	}
	if (fstat(d->fd, &sb)) {
		e = errno;
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(d->fd);
		d->fd = -1;
		return set_err(err, errlen, -EINVAL, "--disk %s: not a regular file", path);
	}
	if (sb.st_size == 0 || sb.st_size % VBLK_SECTOR) {
		close(d->fd);
		d->fd = -1;
		return set_err(err, errlen, -EINVAL,
			       "--disk %s: size %lld bytes is not a positive multiple of %u", path,
			       (long long)sb.st_size, VBLK_SECTOR);
	}
	d->capacity = (uint64_t)sb.st_size / VBLK_SECTOR;
	d->readonly = readonly;
	return 0;
fail:
	close(d->fd);
	d->fd = -1;
	return set_err(err, errlen, -e, "--disk %s: %s", path, strerror(e));
}

int virtio_blk_open(struct virtio_blk *d, struct mem *ram, const char *path, bool readonly,
		    uint32_t size_mb, const struct virtio_blk_timing *t, uint64_t seed, char *err,
		    size_t errlen)
{
	struct vblk_seg *pool;
	uint32_t i;
	int rc;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	if (!ram || !t || t->qdepth < 1 || t->qdepth > VBLK_QUEUE_NUM_MAX || t->bandwidth_mbs < 1 ||
	    (!path && size_mb < 1))
		return set_err(err, errlen, -EINVAL, "bad virtio-blk parameters");
	d->ram = ram;
	d->t = *t;
	d->rng = seed;
	d->fsync_hook = fsync;
	d->next_event = VBLK_NO_EVENT;
	rc = open_image(d, path, readonly, size_mb, err, errlen);
	if (rc)
		return rc;
	d->owns_fd = true;
	d->inflight = calloc(t->qdepth, sizeof(*d->inflight));
	pool = d->seg_pool = calloc((size_t)t->qdepth * VBLK_QUEUE_NUM_MAX, sizeof(*pool));
	d->bounce = malloc(BOUNCE_BYTES);
	if (!d->inflight || !pool || !d->bounce) {
		virtio_blk_close(d);
		return set_err(err, errlen, -ENOMEM, "out of memory for the virtio-blk model");
	}
	for (i = 0; i < t->qdepth; i++)
		d->inflight[i].segs = pool + (size_t)i * VBLK_QUEUE_NUM_MAX;
	return 0;
}

void virtio_blk_close(struct virtio_blk *d)
{
	if (d->owns_fd && d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->seg_pool);
	free(d->inflight);
	d->seg_pool = NULL;
	free(d->bounce);
	free(d->st.latency);
	d->inflight = NULL;
	d->bounce = NULL;
	d->st.latency = NULL;
}

static uint32_t status_order_ok(uint32_t s)
{
	if ((s & VBLK_S_DRIVER) && !(s & VBLK_S_ACKNOWLEDGE))
		return 0;
	if ((s & VBLK_S_FEATURES_OK) && !(s & VBLK_S_DRIVER))
		return 0;
	if ((s & VBLK_S_DRIVER_OK) && !(s & VBLK_S_FEATURES_OK))
		return 0;
	return 1;
}

int virtio_blk_check(const struct virtio_blk *d)
{
	uint64_t first = VBLK_NO_EVENT;
	uint32_t i;

	if (!d->ram || d->fd < 0 || d->capacity == 0 || !d->inflight || !d->bounce || !d->seg_pool)
		return -EINVAL;
	if (d->t.qdepth < 1 || d->t.qdepth > VBLK_QUEUE_NUM_MAX || d->t.bandwidth_mbs < 1)
		return -EINVAL;
	if (d->ninflight > d->t.qdepth || d->npending > VBLK_QUEUE_NUM_MAX ||
	    d->queue_num > VBLK_QUEUE_NUM_MAX || !status_order_ok(d->status))
		return -EINVAL;
	if (d->int_status & ~(VBLK_INT_USED | VBLK_INT_CONFIG))
		return -EINVAL;
	for (i = 0; i < d->ninflight; i++) {
		const struct vblk_req *r = &d->inflight[i];

		if (r->done < first)
			first = r->done;
		if (r->nrd + r->nwr > VBLK_QUEUE_NUM_MAX || r->head >= d->queue_num)
			return -EINVAL;
	}
	if (d->next_event > first)   /* rule 6: never late */
		return -EINVAL;
	if (d->st.completions > d->st.requests || d->st.nlat != d->st.completions)
		return -EINVAL;
	return 0;
}

/* Drop everything in service or waiting; no used element will be written for it. */
static void drop_requests(struct virtio_blk *d)
{
	d->ninflight = 0;
	d->npending = 0;
	d->pending_head = 0;
	d->notified = false;
	d->next_event = VBLK_NO_EVENT;
}

static void reset_device(struct virtio_blk *d)
{
	drop_requests(d);
	d->status = 0;
	d->int_status = 0;
	d->dev_features_sel = d->drv_features_sel = 0;
	d->drv_features = 0;
	d->queue_sel = d->queue_num = d->queue_ready = 0;
	d->desc_addr = d->avail_addr = d->used_addr = 0;
	d->last_avail = d->used_idx = 0;
}

/* Rule 4. */
static void needs_reset(struct virtio_blk *d)
{
	if (d->status & VBLK_S_DEVICE_NEEDS_RESET)
		return;
	d->status |= VBLK_S_DEVICE_NEEDS_RESET;
	if (d->status & VBLK_S_DRIVER_OK)
		d->int_status |= VBLK_INT_CONFIG;
	d->st.resets++;
	drop_requests(d);
}

static uint64_t device_features(const struct virtio_blk *d)
{
	return (1ull << VBLK_F_VERSION_1) | (1ull << VBLK_F_FLUSH) |
	       (d->readonly ? 1ull << VBLK_F_RO : 0);
}

static bool queue_live(const struct virtio_blk *d)
{
	return d->queue_ready && (d->status & VBLK_S_DRIVER_OK) &&
	       !(d->status & VBLK_S_DEVICE_NEEDS_RESET);
}

/* The rings of a queue about to become ready: sizes, alignment (virtio 1.1 §2.6), all in RAM. */
static bool queue_config_ok(const struct virtio_blk *d)
{
	uint32_t n = d->queue_num;

	if (n == 0 || n > VBLK_QUEUE_NUM_MAX || (n & (n - 1)))
		return false;
	if ((d->desc_addr | d->avail_addr | d->used_addr) >> 32)
		return false;
	if ((d->desc_addr & 15u) || (d->avail_addr & 1u) || (d->used_addr & 3u))
		return false;
	return mem_contains(d->ram, (uint32_t)d->desc_addr, 16ull * n) &&
	       mem_contains(d->ram, (uint32_t)d->avail_addr, 6ull + 2ull * n) &&
	       mem_contains(d->ram, (uint32_t)d->used_addr, 6ull + 8ull * n);
}

static uint32_t read_config(const struct virtio_blk *d, uint32_t off)
{
	switch (off) {
	case 0x00:
		return (uint32_t)d->capacity;            /* capacity, le64 */
	case 0x04:
		return (uint32_t)(d->capacity >> 32);
	default:
		return 0;
	}
}

static uint32_t read_reg(const struct virtio_blk *d, uint32_t off)
{
	uint64_t f;

	if (off >= VBLK_REG_CONFIG)
		return read_config(d, off - VBLK_REG_CONFIG);
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_VERSION_MODERN;
	case VIRTIO_MMIO_DEVICE_ID:
		return VBLK_DEVICE_ID;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_VENDOR_QEMU;
	case VBLK_REG_DEVICE_FEATURES:
		f = device_features(d);
		return d->dev_features_sel == 0 ? (uint32_t)f :
		       d->dev_features_sel == 1 ? (uint32_t)(f >> 32) : 0;
	case VBLK_REG_QUEUE_NUM_MAX:
		return d->queue_sel == 0 ? VBLK_QUEUE_NUM_MAX : 0;
	case VBLK_REG_QUEUE_READY:
		return d->queue_sel == 0 ? d->queue_ready : 0;
	case VBLK_REG_INTERRUPT_STATUS:
		return d->int_status;
	case VBLK_REG_STATUS:
		return d->status;
	case VBLK_REG_CONFIG_GENERATION:
		return d->config_gen;
	default:
		return 0;   /* write-only or reserved */
	}
}

static void write_status(struct virtio_blk *d, uint32_t v)
{
	uint32_t s;

	v &= 0xffu;
	if (v == 0) {
		reset_device(d);
		return;
	}
	/* The driver only adds bits, in order; NEEDS_RESET is the device's. */
	s = d->status | (v & ~VBLK_S_DEVICE_NEEDS_RESET);
	if ((s & VBLK_S_DRIVER) && !(s & VBLK_S_ACKNOWLEDGE))
		s &= ~VBLK_S_DRIVER;
	if ((s & VBLK_S_FEATURES_OK) && !(d->status & VBLK_S_FEATURES_OK)) {
		if (!(s & VBLK_S_DRIVER) || (d->drv_features & ~device_features(d)) ||
		    !(d->drv_features & (1ull << VBLK_F_VERSION_1)))
			s &= ~VBLK_S_FEATURES_OK;   /* read back without it: not accepted */
	}
	if ((s & VBLK_S_DRIVER_OK) && !(s & VBLK_S_FEATURES_OK))
		s &= ~VBLK_S_DRIVER_OK;
	d->status = s;
}

static void set_addr_half(uint64_t *a, bool high, uint32_t v)
{
	if (high)
		*a = (*a & 0xffffffffull) | ((uint64_t)v << 32);
	else
		*a = (*a & ~0xffffffffull) | v;
}

static void write_reg(struct virtio_blk *d, uint32_t off, uint32_t v)
{
	bool cfg = d->queue_sel == 0 && !d->queue_ready;   /* queue registers writable */

	switch (off) {
	case VBLK_REG_DEVICE_FEATURES_SEL:
		d->dev_features_sel = v;
		break;
	case VBLK_REG_DRIVER_FEATURES_SEL:
		d->drv_features_sel = v;
		break;
	case VBLK_REG_DRIVER_FEATURES:
		if (d->status & VBLK_S_FEATURES_OK)
			break;
		if (d->drv_features_sel == 0)
			d->drv_features = (d->drv_features & ~0xffffffffull) | v;
		else if (d->drv_features_sel == 1)
			d->drv_features = (d->drv_features & 0xffffffffull) | ((uint64_t)v << 32);
		break;
	case VBLK_REG_QUEUE_SEL:
		d->queue_sel = v;
		break;
	case VBLK_REG_QUEUE_NUM:
		if (cfg)
			d->queue_num = v;
		break;
	case VBLK_REG_QUEUE_READY:
		if (d->queue_sel != 0)
			break;
		if ((v & 1u) && !d->queue_ready) {
			if (!queue_config_ok(d)) {
				needs_reset(d);
				break;
			}
			d->queue_ready = 1;
			d->last_avail = d->used_idx = 0;
		} else if (!(v & 1u)) {
			d->queue_ready = 0;
			drop_requests(d);
		}
		break;
	case VBLK_REG_QUEUE_NOTIFY:
		if (v == 0 && queue_live(d)) {
			d->notified = true;
			d->next_event = 0;
		}
		break;
	case VBLK_REG_INTERRUPT_ACK:
		d->int_status &= ~v;
		break;
	case VBLK_REG_STATUS:
		write_status(d, v);
		break;
	case VBLK_REG_QUEUE_DESC_LOW:
	case VBLK_REG_QUEUE_DESC_HIGH:
		if (cfg)
			set_addr_half(&d->desc_addr, off == VBLK_REG_QUEUE_DESC_HIGH, v);
		break;
	case VBLK_REG_QUEUE_DRIVER_LOW:
	case VBLK_REG_QUEUE_DRIVER_HIGH:
		if (cfg)
			set_addr_half(&d->avail_addr, off == VBLK_REG_QUEUE_DRIVER_HIGH, v);
		break;
	case VBLK_REG_QUEUE_DEVICE_LOW:
	case VBLK_REG_QUEUE_DEVICE_HIGH:
		if (cfg)
			set_addr_half(&d->used_addr, off == VBLK_REG_QUEUE_DEVICE_HIGH, v);
		break;
	default:
		break;   /* read-only, config space (nothing writable) or reserved */
	}
}

int virtio_blk_access_word(struct virtio_blk *d, uint32_t off, bool we, uint32_t be,
			   uint32_t wdata, uint32_t *rdata)
{
	*rdata = 0;
	if (off >= VIRTIO_REG_SIZE)
		return -EFAULT;
	off &= ~3u;
	if (we)
		write_reg(d, off, wdata & mem_be_mask(be));
	else
		*rdata = read_reg(d, off);
	return 0;
}

/* ---- rings ---- */

static uint16_t ld16(const struct virtio_blk *d, uint64_t a)
{
	uint16_t v = 0;

	mem_read_bytes(d->ram, (uint32_t)a, &v, 2);   /* in RAM: checked at QueueReady */
	return v;
}

static void st16(struct virtio_blk *d, uint64_t a, uint16_t v)
{
	mem_write_bytes(d->ram, (uint32_t)a, &v, 2);
}

static void st32(struct virtio_blk *d, uint64_t a, uint32_t v)
{
	mem_write_bytes(d->ram, (uint32_t)a, &v, 4);
}

/* Read the new avail entries into the pending FIFO; false if the ring state is malformed. */
static bool fetch_avail(struct virtio_blk *d, uint64_t now)
{
	uint16_t idx = ld16(d, d->avail_addr + 2);
	uint16_t n = (uint16_t)(idx - d->last_avail);
	uint16_t head;
	uint32_t slot;

	if (n > d->queue_num || d->npending + d->ninflight + n > d->queue_num)
		return false;
	while (n--) {
		head = ld16(d, d->avail_addr + 4 + 2ull * (d->last_avail % d->queue_num));
		if (head >= d->queue_num)
			return false;
		slot = (d->pending_head + d->npending) % VBLK_QUEUE_NUM_MAX;

		d->pending[slot] = head;
		d->pending_at[slot] = now;
		d->npending++;
		d->last_avail++;
	}
	return true;
}

/* Copy len bytes at byte offset skip of the chain part segs[0..nseg) to or from buf. */
static int sg_copy(struct virtio_blk *d, const struct vblk_seg *segs, uint32_t nseg,
		   uint64_t skip, uint8_t *buf, uint64_t len, bool to_guest)
{
	uint32_t i, n;
	int rc;

	for (i = 0; i < nseg && len; i++) {
		if (skip >= segs[i].len) {
			skip -= segs[i].len;
			continue;
		}
		n = segs[i].len - (uint32_t)skip;
		if (n > len)
			n = (uint32_t)len;
		if (to_guest)
			rc = mem_write_bytes(d->ram, segs[i].addr + (uint32_t)skip, buf, n);
		else
			rc = mem_read_bytes(d->ram, segs[i].addr + (uint32_t)skip, buf, n);
		if (rc)
			return rc;
		buf += n;
		len -= n;
		skip = 0;
	}
	return len ? -EFAULT : 0;
}

static unsigned bit_length(uint64_t x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0u;
}

/*
 * Walk the chain at head into r (rules 1, 3). Returns 0 with r->status set
 * (OK or an error byte to report), or -1 when the device must be reset.
 */
static int parse_chain(struct virtio_blk *d, struct vblk_req *r)
{
	uint8_t raw[16], hdr[VBLK_HDR_BYTES];
	uint32_t i = r->head, count = 0, len, last_len = 0;
	uint16_t flags = 0, next;
	uint64_t addr;
	bool bad = false, seen_wr = false, last_ok = false;
	uint64_t data, nsect;

	r->nrd = r->nwr = 0;
	r->rd_bytes = r->wr_bytes = 0;
	r->status = VBLK_STATUS_OK;
	for (;;) {
		if (++count > d->queue_num)
			return -1;   /* a loop */
		mem_read_bytes(d->ram, (uint32_t)d->desc_addr + 16u * i, raw, sizeof(raw));
		memcpy(&addr, raw, 8);
		memcpy(&len, raw + 8, 4);
		memcpy(&flags, raw + 12, 2);
		memcpy(&next, raw + 14, 2);
		if (flags & VBLK_DESC_F_INDIRECT)
			return -1;   /* not offered */
		last_ok = !(addr >> 32) && mem_contains(d->ram, (uint32_t)addr, len);
		last_len = len;
		if (!last_ok) {
			bad = true;
		} else if (flags & VBLK_DESC_F_WRITE) {
			seen_wr = true;
			if (len) {
				r->segs[r->nrd + r->nwr++] = (struct vblk_seg){ (uint32_t)addr, len };
				r->wr_bytes += len;
			}
		} else if (seen_wr) {
			bad = true;   /* readable after writable */
		} else if (len) {
			r->segs[r->nrd++] = (struct vblk_seg){ (uint32_t)addr, len };
			r->rd_bytes += len;
		}
		if (!(flags & VBLK_DESC_F_NEXT))
			break;
		if (next >= d->queue_num)
			return -1;
		i = next;
	}
	/* The status byte is the last byte of the last descriptor, which must be writable. */
	if (!last_ok || !(flags & VBLK_DESC_F_WRITE) || last_len == 0)
		return -1;
	r->wr_bytes--;   /* the status byte is not data */
	if (bad || r->rd_bytes < VBLK_HDR_BYTES) {
		r->type = UINT32_MAX;
		r->status = VBLK_STATUS_IOERR;
		return 0;
	}
	sg_copy(d, r->segs, r->nrd, 0, hdr, sizeof(hdr), false);
	memcpy(&r->type, hdr, 4);
	memcpy(&r->sector, hdr + 8, 8);
	switch (r->type) {
	case VBLK_T_IN:
	case VBLK_T_OUT:
		data = r->type == VBLK_T_IN ? r->wr_bytes : r->rd_bytes - VBLK_HDR_BYTES;
		nsect = data / VBLK_SECTOR;
		if (data % VBLK_SECTOR || r->sector > d->capacity || nsect > d->capacity - r->sector)
			r->status = VBLK_STATUS_IOERR;
		else if (r->type == VBLK_T_OUT && d->readonly)
			r->status = VBLK_STATUS_IOERR;
		break;
	case VBLK_T_FLUSH:
	case VBLK_T_GET_ID:
		break;
	default:
		r->status = VBLK_STATUS_UNSUPP;
		break;
	}
	return 0;
}

/* Rule 5: when r, accepted at now, completes. */
static void schedule(struct virtio_blk *d, struct vblk_req *r, uint64_t now)
{
	uint64_t start = now > d->media_free ? now : d->media_free;
	uint64_t bytes = 0, seek = 0, xfer, jitter = 0, dist, end;

	if (r->status == VBLK_STATUS_OK && (r->type == VBLK_T_IN || r->type == VBLK_T_OUT)) {
		bytes = r->type == VBLK_T_IN ? r->wr_bytes : r->rd_bytes - VBLK_HDR_BYTES;
		dist = r->sector > d->last_sector ? r->sector - d->last_sector :
						     d->last_sector - r->sector;
		seek = (uint64_t)d->t.seek * bit_length(dist);
		end = r->sector + bytes / VBLK_SECTOR;
		d->last_sector = end;
	}
	xfer = (bytes * VBLK_CLOCK_MHZ + d->t.bandwidth_mbs - 1) / d->t.bandwidth_mbs;
	if (d->t.jitter)
		jitter = rng_next(&d->rng) % ((uint64_t)d->t.jitter + 1);
	d->media_free = start + seek + xfer;
	r->done = start + d->t.latency + seek + xfer + jitter;
}

static void accept_pending(struct virtio_blk *d, uint64_t now)
{
	struct vblk_req *r;

	while (d->npending && d->ninflight < d->t.qdepth) {
		r = &d->inflight[d->ninflight];
		r->head = d->pending[d->pending_head];
		r->arrival = d->pending_at[d->pending_head];
		d->pending_head = (d->pending_head + 1) % VBLK_QUEUE_NUM_MAX;
		d->npending--;
		if (parse_chain(d, r)) {
			needs_reset(d);
			return;
		}
		r->seq = d->seq++;
		schedule(d, r, now);
		d->ninflight++;
		d->st.requests++;
	}
}

static bool full_io(ssize_t (*op)(int, void *, size_t, off_t), int fd, uint8_t *buf, size_t n,
		    uint64_t off)
{
	ssize_t got;

	while (n) {
		got = op(fd, buf, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		buf += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return true;
}

static ssize_t pwrite_rw(int fd, void *buf, size_t n, off_t off)
{
	return pwrite(fd, buf, n, off);
}

/* Move the data of an accepted request; returns the status byte and the bytes written to the guest. */
static uint8_t carry_out(struct virtio_blk *d, struct vblk_req *r, uint32_t *written)
{
	const struct vblk_seg *wr = r->segs + r->nrd;
	uint64_t off = r->sector * VBLK_SECTOR, done_bytes, n, total;
	uint8_t id[VBLK_ID_BYTES];

	*written = 0;
	switch (r->type) {
	case VBLK_T_IN:
		total = r->wr_bytes;
		for (done_bytes = 0; done_bytes < total; done_bytes += n) {
			n = total - done_bytes < BOUNCE_BYTES ? total - done_bytes : BOUNCE_BYTES;
			if (!full_io(pread, d->fd, d->bounce, n, off + done_bytes) ||
			    sg_copy(d, wr, r->nwr, done_bytes, d->bounce, n, true))
				return VBLK_STATUS_IOERR;
			*written = (uint32_t)(done_bytes + n);
		}
		d->st.bytes_read += total;
		return VBLK_STATUS_OK;
	case VBLK_T_OUT:
		total = r->rd_bytes - VBLK_HDR_BYTES;
		for (done_bytes = 0; done_bytes < total; done_bytes += n) {
			n = total - done_bytes < BOUNCE_BYTES ? total - done_bytes : BOUNCE_BYTES;
			if (sg_copy(d, r->segs, r->nrd, VBLK_HDR_BYTES + done_bytes, d->bounce, n, false) ||
			    !full_io(pwrite_rw, d->fd, d->bounce, n, off + done_bytes))
				return VBLK_STATUS_IOERR;
		}
		d->st.bytes_written += total;
		return VBLK_STATUS_OK;
	case VBLK_T_FLUSH:
		d->st.flushes++;
		return d->fsync_hook(d->fd) ? VBLK_STATUS_IOERR : VBLK_STATUS_OK;
	case VBLK_T_GET_ID:
		memset(id, 0, sizeof(id));
		memcpy(id, ID_STRING, sizeof(ID_STRING) - 1);
		n = r->wr_bytes < VBLK_ID_BYTES ? r->wr_bytes : VBLK_ID_BYTES;
		if (sg_copy(d, wr, r->nwr, 0, id, n, true))
			return VBLK_STATUS_IOERR;
		*written = (uint32_t)n;
		return VBLK_STATUS_OK;
	default:
		return VBLK_STATUS_UNSUPP;
	}
}

static void note_latency(struct virtio_blk *d, uint64_t lat)
{
	struct virtio_blk_stats *st = &d->st;
	uint64_t *p;

	if (st->nlat == st->cap_lat) {
		p = realloc(st->latency, (st->cap_lat ? st->cap_lat * 2 : 256) * sizeof(*p));
		if (!p)
			return;   /* keep counting completions; percentiles lose this one */
		st->latency = p;
		st->cap_lat = st->cap_lat ? st->cap_lat * 2 : 256;
	}
	st->latency[st->nlat++] = lat;
}

static void complete(struct virtio_blk *d, struct vblk_req *r)
{
	uint8_t status = r->status;
	uint32_t written = 0;
	uint64_t elem;
	const struct vblk_seg *last = &r->segs[r->nrd + r->nwr - 1];

	if (status == VBLK_STATUS_OK)
		status = carry_out(d, r, &written);
	if (status == VBLK_STATUS_IOERR)
		d->st.ioerr++;
	else if (status == VBLK_STATUS_UNSUPP)
		d->st.unsupp++;
	mem_write_bytes(d->ram, last->addr + last->len - 1, &status, 1);
	elem = d->used_addr + 4 + 8ull * (d->used_idx % d->queue_num);
	st32(d, elem, r->head);
	st32(d, elem + 4, written + 1);
	d->used_idx++;
	st16(d, d->used_addr + 2, d->used_idx);
	if (!(ld16(d, d->avail_addr) & VBLK_AVAIL_F_NO_INTERRUPT))
		d->int_status |= VBLK_INT_USED;
	d->st.completions++;
	note_latency(d, r->done - r->arrival);
	if (d->done_hook)
		d->done_hook(d->done_ctx, r->done);
}

/* The request in service that completes first (done, then acceptance order), or -1. */
static int first_due(const struct virtio_blk *d, uint64_t cycle)
{
	int best = -1;
	uint32_t i;

	for (i = 0; i < d->ninflight; i++) {
		const struct vblk_req *r = &d->inflight[i];

		if (r->done > cycle)
			continue;
		if (best < 0 || r->done < d->inflight[best].done ||
		    (r->done == d->inflight[best].done && r->seq < d->inflight[best].seq))
			best = (int)i;
	}
	return best;
}

void virtio_blk_advance(struct virtio_blk *d, uint64_t cycle)
{
	struct vblk_req tmp;
	uint64_t t;
	uint32_t i;
	int k;

	for (;;) {
		k = first_due(d, cycle);
		if (k >= 0) {
			t = d->inflight[k].done;
			complete(d, &d->inflight[k]);
			/* Swap the finished slot to the end, keeping each slot's own segs. */
			tmp = d->inflight[k];
			d->inflight[k] = d->inflight[d->ninflight - 1];
			d->inflight[d->ninflight - 1] = tmp;
			d->ninflight--;
			accept_pending(d, t);
			continue;
		}
		if (d->notified) {
			d->notified = false;
			if (queue_live(d)) {
				if (!fetch_avail(d, cycle)) {
					needs_reset(d);
					break;
				}
				accept_pending(d, cycle);
			}
			continue;
		}
		break;
	}
	d->next_event = VBLK_NO_EVENT;
	for (i = 0; i < d->ninflight; i++)
		if (d->inflight[i].done < d->next_event)
			d->next_event = d->inflight[i].done;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t virtio_blk_latency_pct(struct virtio_blk *d, unsigned p)
{
	size_t n = d->st.nlat, rank;

	if (n == 0 || p < 1 || p > 100)
		return 0;
	qsort(d->st.latency, n, sizeof(uint64_t), cmp_u64);
	rank = (n * p + 99) / 100;   /* nearest rank, 1-based */
	return d->st.latency[rank - 1];
}

void virtio_blk_latency_summary(const struct virtio_blk *d, struct virtio_blk_latency *l)
{
	size_t i;
	uint64_t v;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < d->st.nlat; i++) {
		v = d->st.latency[i];
		if (l->n == 0 || v < l->min)
			l->min = v;
		if (v > l->max)
			l->max = v;
		l->sum += v;
		l->n++;
		l->bucket[bit_length(v)]++;
	}
}
