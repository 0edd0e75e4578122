/* test_virtio_blk.c: cmocka tests of the timed virtio-blk model, driven by a tiny in-test virtio driver. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mem.h"
#include "mmio.h"
#include "virtio_blk.h"

#define IMG_SECTORS 2048u           /* 1 MiB */
#define QNUM        16u
#define DESC        0x80001000u
#define AVAIL       0x80002000u
#define USED        0x80003000u
#define HDRS        0x80004000u     /* 16 bytes per descriptor slot */
#define STATS       0x80005000u     /* one status byte per descriptor slot */
#define DATA        0x80010000u     /* 64 KiB per descriptor slot */
#define RAM_END     (MEM_RAM_BASE + 4u * MEM_MIB)

struct fixture {
	struct mem ram;
	struct virtio_blk dev;
	char path[64];
	uint16_t avail_idx;
	uint16_t used_seen;
	uint64_t now;
	int fsyncs;
	int fsync_rc;
};

static struct fixture *g_fx;   /* for the fsync hook */

static int count_fsync(int fd)
{
	(void)fd;
	g_fx->fsyncs++;
	return g_fx->fsync_rc;
}

static const struct virtio_blk_timing exact = {
	.latency = 100, .bandwidth_mbs = 100, .seek = 10, .jitter = 0, .qdepth = 4,
};

static uint8_t img_byte(uint64_t off)
{
	return (uint8_t)(off * 7u + (off >> 9));
}

static int make_image(struct fixture *fx, size_t bytes)
{
	uint8_t buf[512];
	size_t off, i;
	int fd;

	strcpy(fx->path, "/tmp/test_vblk-XXXXXX");
	fd = mkstemp(fx->path);
	if (fd < 0)
		return -1;
	for (off = 0; off < bytes; off += sizeof(buf)) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = img_byte(off + i);
		if (write(fd, buf, bytes - off < sizeof(buf) ? bytes - off : sizeof(buf)) < 0)
			return -1;
	}
	close(fd);
	return 0;
}

static int open_dev(struct fixture *fx, bool ro, const struct virtio_blk_timing *t, uint64_t seed)
{
	char err[256];
	int rc = virtio_blk_open(&fx->dev, &fx->ram, fx->path, ro, 0, t, seed, err, sizeof(err));

	if (rc)
		return rc;
	fx->dev.fsync_hook = count_fsync;
	fx->avail_idx = fx->used_seen = 0;
	fx->now = 1000;
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx || mem_init_ram(&fx->ram, MEM_RAM_BASE, 4 * MEM_MIB) ||
	    make_image(fx, IMG_SECTORS * 512u) || open_dev(fx, false, &exact, 1))
		return -1;
	g_fx = fx;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	virtio_blk_close(&fx->dev);
	unlink(fx->path);
	mem_free_ram(&fx->ram);
	free(fx);
	return 0;
}

static uint64_t image_hash(const struct fixture *fx)
{
	uint8_t buf[4096];
	uint64_t h = 0xcbf29ce484222325ull;
	ssize_t n, i;
	int fd = open(fx->path, O_RDONLY);

	assert_true(fd >= 0);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 0x100000001b3ull;
	close(fd);
	return h;
}

static uint32_t rd(struct fixture *fx, uint32_t off)
{
	uint32_t v = 0;

	assert_int_equal(virtio_blk_access_word(&fx->dev, off, false, 0xf, 0, &v), 0);
	return v;
}

static void wr(struct fixture *fx, uint32_t off, uint32_t v)
{
	uint32_t dummy;

	assert_int_equal(virtio_blk_access_word(&fx->dev, off, true, 0xf, v, &dummy), 0);
}

static void put16(struct fixture *fx, uint32_t a, uint16_t v)
{
	assert_int_equal(mem_write_bytes(&fx->ram, a, &v, 2), 0);
}

static uint16_t get16(struct fixture *fx, uint32_t a)
{
	uint16_t v;

	assert_int_equal(mem_read_bytes(&fx->ram, a, &v, 2), 0);
	return v;
}

static uint32_t get32(struct fixture *fx, uint32_t a)
{
	uint32_t v;

	assert_int_equal(mem_read_bytes(&fx->ram, a, &v, 4), 0);
	return v;
}

static uint8_t get8(struct fixture *fx, uint32_t a)
{
	uint8_t v;

	assert_int_equal(mem_read_bytes(&fx->ram, a, &v, 1), 0);
	return v;
}

/* The driver's bring-up (virtio 1.1 §3.1.1), with rings of QNUM entries. */
static void drv_init(struct fixture *fx)
{
	wr(fx, VBLK_REG_STATUS, 0);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER);
	wr(fx, VBLK_REG_DRIVER_FEATURES_SEL, 0);
	wr(fx, VBLK_REG_DRIVER_FEATURES, 1u << VBLK_F_FLUSH);
	wr(fx, VBLK_REG_DRIVER_FEATURES_SEL, 1);
	wr(fx, VBLK_REG_DRIVER_FEATURES, 1u);   /* VERSION_1 */
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER | VBLK_S_FEATURES_OK);
	assert_true(rd(fx, VBLK_REG_STATUS) & VBLK_S_FEATURES_OK);
	wr(fx, VBLK_REG_QUEUE_SEL, 0);
	assert_int_equal(rd(fx, VBLK_REG_QUEUE_NUM_MAX), VBLK_QUEUE_NUM_MAX);
	wr(fx, VBLK_REG_QUEUE_NUM, QNUM);
	wr(fx, VBLK_REG_QUEUE_DESC_LOW, DESC);
	wr(fx, VBLK_REG_QUEUE_DESC_HIGH, 0);
	wr(fx, VBLK_REG_QUEUE_DRIVER_LOW, AVAIL);
	wr(fx, VBLK_REG_QUEUE_DEVICE_LOW, USED);
	assert_int_equal(mem_fill_bytes(&fx->ram, AVAIL, 0, 0x1000), 0);
	assert_int_equal(mem_fill_bytes(&fx->ram, USED, 0, 0x1000), 0);
	wr(fx, VBLK_REG_QUEUE_READY, 1);
	assert_int_equal(rd(fx, VBLK_REG_QUEUE_READY), 1);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER | VBLK_S_FEATURES_OK |
				   VBLK_S_DRIVER_OK);
	assert_int_equal(rd(fx, VBLK_REG_STATUS), 0x0f);
	fx->avail_idx = fx->used_seen = 0;
}

static void set_desc(struct fixture *fx, uint32_t i, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	uint8_t raw[16];

	memcpy(raw, &addr, 8);
	memcpy(raw + 8, &len, 4);
	memcpy(raw + 12, &flags, 2);
	memcpy(raw + 14, &next, 2);
	assert_int_equal(mem_write_bytes(&fx->ram, DESC + 16u * i, raw, 16), 0);
}

/* A 3-descriptor request in slots k, k+1, k+2 (data_len 0: header + status only). */
static uint16_t build_req(struct fixture *fx, uint32_t k, uint32_t type, uint64_t sector,
			  uint32_t data_len, bool dev_writes)
{
	uint8_t hdr[16] = { 0 };
	uint32_t st = k + (data_len ? 2 : 1);

	memcpy(hdr, &type, 4);
	memcpy(hdr + 8, &sector, 8);
	assert_int_equal(mem_write_bytes(&fx->ram, HDRS + 16u * k, hdr, 16), 0);
	set_desc(fx, k, HDRS + 16u * k, 16, VBLK_DESC_F_NEXT, (uint16_t)(k + 1));
	if (data_len)
		set_desc(fx, k + 1, DATA + 0x10000u * k, data_len,
			 VBLK_DESC_F_NEXT | (dev_writes ? VBLK_DESC_F_WRITE : 0), (uint16_t)st);
	assert_int_equal(mem_fill_bytes(&fx->ram, STATS + k, 0xee, 1), 0);
	set_desc(fx, st, STATS + k, 1, VBLK_DESC_F_WRITE, 0);
	return (uint16_t)k;
}

static void submit(struct fixture *fx, uint16_t head)
{
	put16(fx, AVAIL + 4 + 2u * (fx->avail_idx % QNUM), head);
	fx->avail_idx++;
	put16(fx, AVAIL + 2, fx->avail_idx);
}

static void notify(struct fixture *fx)
{
	wr(fx, VBLK_REG_QUEUE_NOTIFY, 0);
	virtio_blk_tick(&fx->dev, fx->now);
}

/* Tick cycle by cycle until the used index moves; returns that cycle (the irq rises with it). */
static uint64_t wait_used(struct fixture *fx)
{
	uint64_t limit = fx->now + 10000000;

	for (; fx->now < limit; fx->now++) {
		bool irq_before = virtio_blk_irq_level(&fx->dev);

		virtio_blk_tick(&fx->dev, fx->now);
		if (get16(fx, USED + 2) != fx->used_seen) {
			fx->used_seen++;
			assert_true(virtio_blk_irq_level(&fx->dev));
			if (!irq_before) {
				wr(fx, VBLK_REG_INTERRUPT_ACK, rd(fx, VBLK_REG_INTERRUPT_STATUS));
				assert_false(virtio_blk_irq_level(&fx->dev));
			}
			assert_int_equal(virtio_blk_check(&fx->dev), 0);
			return fx->now++;
		}
	}
	fail_msg("no completion within 10M cycles");
	return 0;
}

/* The used element written last: head and len. */
static void last_used(struct fixture *fx, uint32_t *id, uint32_t *len)
{
	uint32_t e = USED + 4 + 8u * ((uint16_t)(fx->used_seen - 1) % QNUM);

	*id = get32(fx, e);
	*len = get32(fx, e + 4);
}

/* One request start to finish; returns its status byte. */
static uint8_t do_req(struct fixture *fx, uint32_t type, uint64_t sector, uint32_t len,
		      bool dev_writes)
{
	uint16_t head = build_req(fx, 0, type, sector, len, dev_writes);
	uint32_t id, ulen;

	submit(fx, head);
	notify(fx);
	wait_used(fx);
	last_used(fx, &id, &ulen);
	assert_int_equal(id, head);
	return get8(fx, STATS + 0);
}

/* case 1: identity, features, config space, feature negotiation. */
static void test_identity(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(rd(fx, 0x000), VIRTIO_MAGIC);
	assert_int_equal(rd(fx, 0x004), 2);
	assert_int_equal(rd(fx, 0x008), 2);
	assert_int_equal(rd(fx, 0x00c), VIRTIO_VENDOR_QEMU);
	wr(fx, VBLK_REG_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(fx, VBLK_REG_DEVICE_FEATURES), 1u << VBLK_F_FLUSH);
	wr(fx, VBLK_REG_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(rd(fx, VBLK_REG_DEVICE_FEATURES), 1u);
	assert_int_equal(rd(fx, VBLK_REG_CONFIG), IMG_SECTORS);
	assert_int_equal(rd(fx, VBLK_REG_CONFIG + 4), 0);
	/* 1.1: without VERSION_1 FEATURES_OK does not stick. */
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER | VBLK_S_FEATURES_OK);
	assert_int_equal(rd(fx, VBLK_REG_STATUS), VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER);
	/* 1.2: DRIVER_OK before FEATURES_OK is refused. */
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER | VBLK_S_DRIVER_OK);
	assert_int_equal(rd(fx, VBLK_REG_STATUS) & VBLK_S_DRIVER_OK, 0);
	/* 1.3: a feature the device lacks is refused. */
	wr(fx, VBLK_REG_DRIVER_FEATURES_SEL, 1);
	wr(fx, VBLK_REG_DRIVER_FEATURES, 1u);
	wr(fx, VBLK_REG_DRIVER_FEATURES_SEL, 0);
	wr(fx, VBLK_REG_DRIVER_FEATURES, 1u << 28);
	wr(fx, VBLK_REG_STATUS, VBLK_S_ACKNOWLEDGE | VBLK_S_DRIVER | VBLK_S_FEATURES_OK);
	assert_int_equal(rd(fx, VBLK_REG_STATUS) & VBLK_S_FEATURES_OK, 0);
	drv_init(fx);
	wr(fx, VBLK_REG_STATUS, 0);
	assert_int_equal(rd(fx, VBLK_REG_STATUS), 0);
	assert_int_equal(rd(fx, VBLK_REG_QUEUE_READY), 0);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
}

/* case 2: OUT then IN: the bytes reach the file at the sector offset and come back. */
static void test_out_in(void **state)
{
	struct fixture *fx = *state;
	uint8_t pat[1024], back[1024], file[1024];
	uint32_t i, id, len;
	int fd;

	drv_init(fx);
	for (i = 0; i < sizeof(pat); i++)
		pat[i] = (uint8_t)(i * 13u + 1u);
	assert_int_equal(mem_write_bytes(&fx->ram, DATA, pat, sizeof(pat)), 0);
	assert_int_equal(do_req(fx, VBLK_T_OUT, 5, sizeof(pat), false), VBLK_STATUS_OK);
	last_used(fx, &id, &len);
	assert_int_equal(len, 1);
	fd = open(fx->path, O_RDONLY);
	assert_int_equal(pread(fd, file, sizeof(file), 5 * 512), sizeof(file));
	close(fd);
	assert_memory_equal(file, pat, sizeof(pat));
	/* 2.1: the neighbours are untouched. */
	fd = open(fx->path, O_RDONLY);
	assert_int_equal(pread(fd, file, 512, 4 * 512), 512);
	assert_int_equal(file[0], img_byte(4 * 512));
	assert_int_equal(file[511], img_byte(4 * 512 + 511));
	assert_int_equal(pread(fd, file, 1, 7 * 512), 1);
	assert_int_equal(file[0], img_byte(7 * 512));
	close(fd);
	/* 2.2: read back. */
	assert_int_equal(mem_fill_bytes(&fx->ram, DATA, 0, sizeof(back)), 0);
	assert_int_equal(do_req(fx, VBLK_T_IN, 5, sizeof(back), true), VBLK_STATUS_OK);
	last_used(fx, &id, &len);
	assert_int_equal(len, sizeof(back) + 1);
	assert_int_equal(mem_read_bytes(&fx->ram, DATA, back, sizeof(back)), 0);
	assert_memory_equal(back, pat, sizeof(pat));
	/* 2.3: the last sector of the disk reads fine. */
	assert_int_equal(do_req(fx, VBLK_T_IN, IMG_SECTORS - 1, 512, true), VBLK_STATUS_OK);
	assert_int_equal(get8(fx, DATA + 511), img_byte(IMG_SECTORS * 512u - 1));
	assert_int_equal(fx->dev.st.requests, 3);
	assert_int_equal(fx->dev.st.completions, 3);
}

/* case 3: a scattered IN (header, 3 data pieces, status in one descriptor each; odd framing). */
static void test_scatter(void **state)
{
	struct fixture *fx = *state;
	uint8_t hdr[16] = { 0 };
	uint64_t sector = 9;
	uint32_t id, len;

	drv_init(fx);
	memcpy(hdr + 8, &sector, 8);   /* type 0 = IN */
	assert_int_equal(mem_write_bytes(&fx->ram, HDRS, hdr, 16), 0);
	set_desc(fx, 3, HDRS, 16, VBLK_DESC_F_NEXT, 7);
	set_desc(fx, 7, DATA, 100, VBLK_DESC_F_NEXT | VBLK_DESC_F_WRITE, 1);
	set_desc(fx, 1, DATA + 0x1000, 400, VBLK_DESC_F_NEXT | VBLK_DESC_F_WRITE, 9);
	/* the last descriptor holds 12 data bytes and the status byte */
	set_desc(fx, 9, DATA + 0x2000, 13, VBLK_DESC_F_WRITE, 0);
	submit(fx, 3);
	notify(fx);
	wait_used(fx);
	last_used(fx, &id, &len);
	assert_int_equal(id, 3);
	assert_int_equal(len, 513);
	assert_int_equal(get8(fx, DATA + 0x2000 + 12), VBLK_STATUS_OK);
	assert_int_equal(get8(fx, DATA + 0), img_byte(9 * 512));
	assert_int_equal(get8(fx, DATA + 0x1000 + 399), img_byte(9 * 512 + 499));
	assert_int_equal(get8(fx, DATA + 0x2000 + 11), img_byte(9 * 512 + 511));
}

/* case 4: FLUSH reaches fsync; a failing fsync gives IOERR; GET_ID. */
static void test_flush_getid(void **state)
{
	struct fixture *fx = *state;
	uint32_t id, len;
	char ident[21] = { 0 };

	drv_init(fx);
	assert_int_equal(do_req(fx, VBLK_T_FLUSH, 0, 0, false), VBLK_STATUS_OK);
	assert_int_equal(fx->fsyncs, 1);
	fx->fsync_rc = -1;
	assert_int_equal(do_req(fx, VBLK_T_FLUSH, 0, 0, false), VBLK_STATUS_IOERR);
	assert_int_equal(fx->fsyncs, 2);
	fx->fsync_rc = 0;
	/* 4.1: the real hook is fsync(2). */
	assert_ptr_not_equal(fx->dev.fsync_hook, NULL);
	assert_int_equal(do_req(fx, VBLK_T_GET_ID, 0, 20, true), VBLK_STATUS_OK);
	last_used(fx, &id, &len);
	assert_int_equal(len, 21);
	assert_int_equal(mem_read_bytes(&fx->ram, DATA, ident, 20), 0);
	assert_string_equal(ident, "umbra-virtio-blk");
}

/* case 5: bad requests get IOERR/UNSUPP, the image is unchanged, the device goes on. */
static void test_bad_requests(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx);
	uint16_t head;

	drv_init(fx);
	assert_int_equal(mem_fill_bytes(&fx->ram, DATA, 0x5a, 0x10000), 0);
	/* 5.1 unknown type */
	assert_int_equal(do_req(fx, 7, 0, 512, false), VBLK_STATUS_UNSUPP);
	/* 5.2 sector past the end, for OUT and IN */
	assert_int_equal(do_req(fx, VBLK_T_OUT, IMG_SECTORS, 512, false), VBLK_STATUS_IOERR);
	assert_int_equal(do_req(fx, VBLK_T_IN, IMG_SECTORS, 512, true), VBLK_STATUS_IOERR);
	/* 5.3 a transfer running past the end */
	assert_int_equal(do_req(fx, VBLK_T_OUT, IMG_SECTORS - 1, 1024, false), VBLK_STATUS_IOERR);
	/* 5.4 a huge sector (overflow of sector*512) */
	assert_int_equal(do_req(fx, VBLK_T_OUT, UINT64_MAX - 1, 1024, false), VBLK_STATUS_IOERR);
	/* 5.5 a length that is not a multiple of 512 */
	assert_int_equal(do_req(fx, VBLK_T_OUT, 0, 100, false), VBLK_STATUS_IOERR);
	/* 5.6 a data buffer outside RAM (below, across the end, 64-bit address) */
	build_req(fx, 0, VBLK_T_OUT, 0, 512, false);
	set_desc(fx, 1, 0x1000, 512, VBLK_DESC_F_NEXT, 2);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_IOERR);
	build_req(fx, 0, VBLK_T_IN, 0, 512, true);
	set_desc(fx, 1, RAM_END - 256, 512, VBLK_DESC_F_NEXT | VBLK_DESC_F_WRITE, 2);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_IOERR);
	build_req(fx, 0, VBLK_T_OUT, 0, 512, false);
	set_desc(fx, 1, 0x100000000ull | DATA, 512, VBLK_DESC_F_NEXT, 2);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_IOERR);
	/* 5.7 a header shorter than 16 bytes */
	build_req(fx, 0, VBLK_T_OUT, 0, 512, false);
	set_desc(fx, 0, HDRS, 8, VBLK_DESC_F_NEXT, 1);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_IOERR);
	/* 5.8 a device-readable buffer after a writable one */
	head = build_req(fx, 0, VBLK_T_OUT, 0, 512, true);
	set_desc(fx, 2, DATA, 512, VBLK_DESC_F_NEXT, 3);
	set_desc(fx, 3, STATS, 1, VBLK_DESC_F_WRITE, 0);
	set_desc(fx, 1, DATA, 512, VBLK_DESC_F_NEXT | VBLK_DESC_F_WRITE, 2);
	submit(fx, head);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_IOERR);
	assert_int_equal(fx->dev.st.ioerr, 10);
	assert_int_equal(fx->dev.st.unsupp, 1);
	assert_int_equal(rd(fx, VBLK_REG_STATUS), 0x0f);   /* no reset needed */
	assert_true(image_hash(fx) == h0);
	/* 5.9 still working */
	assert_int_equal(do_req(fx, VBLK_T_IN, 0, 512, true), VBLK_STATUS_OK);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
}

/* Submit head, notify, and expect DEVICE_NEEDS_RESET with a config interrupt and no used element. */
static void expect_needs_reset(struct fixture *fx, uint16_t head, uint16_t avail_idx)
{
	put16(fx, AVAIL + 4 + 2u * (fx->avail_idx % QNUM), head);
	put16(fx, AVAIL + 2, avail_idx);
	notify(fx);
	for (int i = 0; i < 20000; i++)
		virtio_blk_tick(&fx->dev, fx->now++);
	assert_true(rd(fx, VBLK_REG_STATUS) & VBLK_S_DEVICE_NEEDS_RESET);
	assert_int_equal(rd(fx, VBLK_REG_INTERRUPT_STATUS), VBLK_INT_CONFIG);
	assert_int_equal(get16(fx, USED + 2), fx->used_seen);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
	/* further notifies do nothing */
	notify(fx);
	assert_int_equal(fx->dev.next_event, VBLK_NO_EVENT);
}

/* case 6: malformed ring state sets DEVICE_NEEDS_RESET; a reset brings the device back. */
static void test_needs_reset(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx), resets = 0;
	int c;

	for (c = 1; c <= 9; c++) {
		drv_init(fx);
		build_req(fx, 0, VBLK_T_OUT, 0, 512, false);
		switch (c) {
		case 1:   /* 6.1 a loop: 1 -> 0 -> 1 ... */
			set_desc(fx, 1, DATA, 512, VBLK_DESC_F_NEXT, 0);
			expect_needs_reset(fx, 0, 1);
			break;
		case 2:   /* 6.2 a head index past the queue */
			expect_needs_reset(fx, QNUM, 1);
			break;
		case 3:   /* 6.3 a next index past the queue */
			set_desc(fx, 1, DATA, 512, VBLK_DESC_F_NEXT, QNUM + 3);
			expect_needs_reset(fx, 0, 1);
			break;
		case 4:   /* 6.4 the avail index jumps more than the queue size */
			expect_needs_reset(fx, 0, QNUM + 1);
			break;
		case 5:   /* 6.5 no status descriptor (the chain ends readable) */
			set_desc(fx, 1, DATA, 512, 0, 0);
			expect_needs_reset(fx, 0, 1);
			break;
		case 6:   /* 6.6 the status descriptor outside RAM */
			set_desc(fx, 2, RAM_END, 1, VBLK_DESC_F_WRITE, 0);
			expect_needs_reset(fx, 0, 1);
			break;
		case 7:   /* 6.7 an indirect descriptor (not offered) */
			set_desc(fx, 0, DATA, 32, VBLK_DESC_F_INDIRECT, 0);
			expect_needs_reset(fx, 0, 1);
			break;
		case 8:   /* 6.8 a zero-length status descriptor */
			set_desc(fx, 2, STATS, 0, VBLK_DESC_F_WRITE, 0);
			expect_needs_reset(fx, 0, 1);
			break;
		case 9:   /* 6.9 rings outside RAM at QueueReady */
			wr(fx, VBLK_REG_STATUS, 0);
			wr(fx, VBLK_REG_STATUS, 1);
			wr(fx, VBLK_REG_STATUS, 3);
			wr(fx, VBLK_REG_DRIVER_FEATURES_SEL, 1);
			wr(fx, VBLK_REG_DRIVER_FEATURES, 1);
			wr(fx, VBLK_REG_STATUS, 0xb);
			wr(fx, VBLK_REG_QUEUE_NUM, QNUM);
			wr(fx, VBLK_REG_QUEUE_DESC_LOW, RAM_END - 16);
			wr(fx, VBLK_REG_QUEUE_DRIVER_LOW, AVAIL);
			wr(fx, VBLK_REG_QUEUE_DEVICE_LOW, USED);
			wr(fx, VBLK_REG_QUEUE_READY, 1);
			assert_int_equal(rd(fx, VBLK_REG_QUEUE_READY), 0);
			assert_true(rd(fx, VBLK_REG_STATUS) & VBLK_S_DEVICE_NEEDS_RESET);
			break;
		}
		resets++;
		assert_int_equal(fx->dev.st.resets, resets);
		assert_true(image_hash(fx) == h0);
	}
	/* 6.10 after a reset the device works again */
	drv_init(fx);
	assert_int_equal(rd(fx, VBLK_REG_INTERRUPT_STATUS), 0);
	assert_int_equal(do_req(fx, VBLK_T_IN, 3, 512, true), VBLK_STATUS_OK);
	assert_int_equal(get8(fx, DATA), img_byte(3 * 512));
	assert_true(image_hash(fx) == h0);
}

/* case 7: a read-only image: OUT fails with IOERR, IN works, F_RO is offered. */
static void test_readonly(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx);

	virtio_blk_close(&fx->dev);
	assert_int_equal(open_dev(fx, true, &exact, 1), 0);
	wr(fx, VBLK_REG_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(rd(fx, VBLK_REG_DEVICE_FEATURES), (1u << VBLK_F_FLUSH) | (1u << VBLK_F_RO));
	drv_init(fx);
	assert_int_equal(do_req(fx, VBLK_T_OUT, 0, 512, false), VBLK_STATUS_IOERR);
	assert_int_equal(do_req(fx, VBLK_T_IN, 0, 512, true), VBLK_STATUS_OK);
	assert_int_equal(do_req(fx, VBLK_T_FLUSH, 0, 0, false), VBLK_STATUS_OK);
	assert_true(image_hash(fx) == h0);
}

/* case 8: opening: missing file, wrong size, empty file, temporary image. */
static void test_open_errors(void **state)
{
	struct fixture *fx = *state;
	struct virtio_blk d;
	char err[256];
	int fd;

	assert_int_equal(virtio_blk_open(&d, &fx->ram, "/nonexistent/x.img", false, 0, &exact, 1,
					 err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.img"));
	fd = open(fx->path, O_WRONLY);
	assert_int_equal(ftruncate(fd, 1000), 0);
	close(fd);
	assert_int_equal(virtio_blk_open(&d, &fx->ram, fx->path, false, 0, &exact, 1, err,
					 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "multiple of 512"));
	fd = open(fx->path, O_WRONLY | O_TRUNC);
	close(fd);
	assert_int_equal(virtio_blk_open(&d, &fx->ram, fx->path, false, 0, &exact, 1, err,
					 sizeof(err)), -EINVAL);
	assert_int_equal(virtio_blk_open(&d, &fx->ram, NULL, false, 3, &exact, 1, err, sizeof(err)),
			 0);
	assert_int_equal(d.capacity, 3u * 2048u);
	assert_int_equal(virtio_blk_check(&d), 0);
	virtio_blk_close(&d);
}

/* case 9: exact completion cycles with jitter 0: latency, transfer, seek, queue depth. */
static void test_timing_exact(void **state)
{
	struct fixture *fx = *state;
	uint64_t t0, c1, c2, c3;

	drv_init(fx);
	/* 9.1 one request: latency + bytes*100/bandwidth (MB/s) + seek 0 (LBA 0 after reset) */
	t0 = fx->now;
	do_req(fx, VBLK_T_IN, 0, 4096, true);
	assert_int_equal(fx->now - 1, t0 + 100 + 4096);
	/* 9.2 three at once, depth 4: they share the media one after another */
	build_req(fx, 0, VBLK_T_IN, 8, 4096, true);            /* sequential: no seek */
	build_req(fx, 3, VBLK_T_OUT, 1000, 512, false);        /* seek bits(1000-16)=10 */
	build_req(fx, 6, VBLK_T_IN, 1001, 512, true);          /* sequential */
	submit(fx, 0);
	submit(fx, 3);
	submit(fx, 6);
	t0 = fx->now;
	notify(fx);
	assert_int_equal(fx->dev.next_event, t0 + 100 + 4096);
	c1 = wait_used(fx);
	c2 = wait_used(fx);
	c3 = wait_used(fx);
	assert_int_equal(c1, t0 + 100 + 4096);
	assert_int_equal(c2, t0 + 4096 + 100 + 100 + 512);
	assert_int_equal(c3, t0 + 4096 + 100 + 512 + 100 + 512);
	/* 9.3 depth 1: the second waits for the first to complete */
	virtio_blk_close(&fx->dev);
	struct virtio_blk_timing t = exact;
	t.qdepth = 1;
	assert_int_equal(open_dev(fx, false, &t, 1), 0);
	drv_init(fx);
	build_req(fx, 0, VBLK_T_IN, 0, 512, true);
	build_req(fx, 3, VBLK_T_IN, 1, 512, true);
	submit(fx, 0);
	submit(fx, 3);
	t0 = fx->now;
	notify(fx);
	c1 = wait_used(fx);
	c2 = wait_used(fx);
	assert_int_equal(c1, t0 + 100 + 512);
	assert_int_equal(c2, c1 + 100 + 512);
	/* 9.4 latency percentiles (nearest rank) over the 2 requests */
	assert_int_equal(virtio_blk_latency_pct(&fx->dev, 50), 612);
	assert_int_equal(virtio_blk_latency_pct(&fx->dev, 99), 1224);
	/* 9.5 the idle device has no event: tick is a compare */
	assert_int_equal(fx->dev.next_event, VBLK_NO_EVENT);
}

static void run_jittered(uint64_t seed, uint64_t out[6])
{
	struct fixture *fx = g_fx;
	struct virtio_blk_timing t = exact;
	uint64_t t0;
	int i;

	t.jitter = 1000;
	virtio_blk_close(&fx->dev);
	assert_int_equal(open_dev(fx, false, &t, seed), 0);
	drv_init(fx);
	for (i = 0; i < 6; i++) {
		t0 = fx->now;
		do_req(fx, VBLK_T_IN, 0, 512, true);   /* same sector: no seek */
		out[i] = fx->now - 1 - t0;
		assert_in_range(out[i], 100 + 512, 100 + 512 + 10 + 1000);
	}
}

/* case 10: jitter is deterministic for a seed and changes with it. */
static void test_jitter_seed(void **state)
{
	uint64_t a[6], b[6], c[6];

	(void)state;
	run_jittered(42, a);
	run_jittered(42, b);
	run_jittered(43, c);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, c, sizeof(a));
}

/* case 11: the bus: slot 7 is the disk, IRQ 8 follows InterruptStatus; other slots stay empty. */
static void test_bus_slot(void **state)
{
	struct fixture *fx = *state;
	struct mmio_halt halt = { 0 };
	struct mmio bus;
	uint32_t v;
	FILE *con = tmpfile();

	assert_int_equal(mmio_init(&bus, con, &halt, 0x80000000u, 0x80100000u), 0);
	mmio_attach_blk(&bus, &fx->dev);
	assert_int_equal(mmio_access_word(&bus, 0x10008008u, false, 0xf, 0, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(mmio_access_word(&bus, 0x10007008u, false, 0xf, 0, &v), 0);
	assert_int_equal(v, 0);
	drv_init(fx);
	build_req(fx, 0, VBLK_T_IN, 0, 512, true);
	submit(fx, 0);
	assert_int_equal(mmio_access_word(&bus, 0x10008050u, true, 0xf, 0, &v), 0);
	mmio_tick(&bus, 5000);
	assert_int_equal(bus.irq_lines & (1u << 8), 0);
	mmio_tick(&bus, 5000 + 100 + 512 - 1);
	assert_int_equal(bus.irq_lines & (1u << 8), 0);
	mmio_tick(&bus, 5000 + 100 + 512);
	assert_int_equal(bus.irq_lines, 1u << 8);
	assert_int_equal(mmio_check(&bus), 0);
	assert_int_equal(mmio_access_word(&bus, 0x10008064u, true, 0xf, 1, &v), 0);
	assert_int_equal(bus.irq_lines, 0);
	assert_int_equal(mmio_check(&bus), 0);
	fclose(con);
}

/* case 12: a reset drops requests in service; NO_INTERRUPT suppresses the used interrupt. */
static void test_reset_inflight(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx);
	int i;

	drv_init(fx);
	assert_int_equal(mem_fill_bytes(&fx->ram, DATA, 0x77, 512), 0);
	build_req(fx, 0, VBLK_T_OUT, 0, 512, false);
	submit(fx, 0);
	notify(fx);
	assert_true(fx->dev.next_event != VBLK_NO_EVENT);
	wr(fx, VBLK_REG_STATUS, 0);   /* 12.1 reset before the completion */
	assert_int_equal(fx->dev.next_event, VBLK_NO_EVENT);
	for (i = 0; i < 5000; i++)
		virtio_blk_tick(&fx->dev, fx->now++);
	assert_int_equal(get16(fx, USED + 2), 0);
	assert_int_equal(get8(fx, STATS), 0xee);
	assert_false(virtio_blk_irq_level(&fx->dev));
	assert_true(image_hash(fx) == h0);
	/* 12.2 NO_INTERRUPT: the used element arrives, the line stays low */
	drv_init(fx);
	put16(fx, AVAIL, VBLK_AVAIL_F_NO_INTERRUPT);
	build_req(fx, 0, VBLK_T_IN, 0, 512, true);
	submit(fx, 0);
	notify(fx);
	for (i = 0; i < 5000; i++)
		virtio_blk_tick(&fx->dev, fx->now++);
	assert_int_equal(get16(fx, USED + 2), 1);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_OK);
	assert_false(virtio_blk_irq_level(&fx->dev));
	/* 12.3 a queue size that is not a power of two is refused at QueueReady */
	wr(fx, VBLK_REG_STATUS, 0);
	wr(fx, VBLK_REG_QUEUE_NUM, 12);
	wr(fx, VBLK_REG_QUEUE_DESC_LOW, DESC);
	wr(fx, VBLK_REG_QUEUE_DRIVER_LOW, AVAIL);
	wr(fx, VBLK_REG_QUEUE_DEVICE_LOW, USED);
	wr(fx, VBLK_REG_QUEUE_READY, 1);
	assert_int_equal(rd(fx, VBLK_REG_QUEUE_READY), 0);
	assert_true(rd(fx, VBLK_REG_STATUS) & VBLK_S_DEVICE_NEEDS_RESET);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
}

static uint32_t fuzz_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return (uint32_t)(*x >> 11);
}

/* An address that is in RAM most of the time, near its edges or outside otherwise. */
static uint64_t fuzz_addr(uint64_t *x)
{
	switch (fuzz_rand(x) % 6) {
	case 0:
		return RAM_END - fuzz_rand(x) % 64;
	case 1:
		return fuzz_rand(x);
	case 2:
		return ((uint64_t)fuzz_rand(x) << 32) | DATA;
	default:
		return DATA + fuzz_rand(x) % 0x40000;
	}
}

/* case 13: random rings and registers on a read-only image: no crash, sane state, image intact. */
static void test_fuzz(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx), x = 0x9e3779b97f4a7c15ull;
	uint32_t round, i, v;
	uint8_t hdr[1];

	virtio_blk_close(&fx->dev);
	assert_int_equal(open_dev(fx, true, &exact, 7), 0);
	for (round = 0; round < 3000; round++) {
		if (round % 50 == 0 || (rd(fx, VBLK_REG_STATUS) & VBLK_S_DEVICE_NEEDS_RESET))
			drv_init(fx);
		/* four plausible requests, then a few random mutations */
		for (i = 0; i < QNUM; i += 4) {
			static const uint32_t types[] = { VBLK_T_IN, VBLK_T_OUT, VBLK_T_FLUSH,
							  VBLK_T_GET_ID, 3 };
			uint32_t type = types[fuzz_rand(&x) % 5];
			uint32_t len = (fuzz_rand(&x) % 4) ? 512u * (fuzz_rand(&x) % 9) :
							     fuzz_rand(&x) % 5000;

			if (type == VBLK_T_FLUSH)
				len = 0;
			build_req(fx, i, type, (fuzz_rand(&x) % 2) ? fuzz_rand(&x) % IMG_SECTORS :
						IMG_SECTORS - fuzz_rand(&x) % 4, len,
				  type != VBLK_T_OUT);
		}
		for (i = fuzz_rand(&x) % 3; i; i--) {
			v = fuzz_rand(&x) % QNUM;
			switch (fuzz_rand(&x) % 4) {
			case 0:
				set_desc(fx, v, fuzz_addr(&x), fuzz_rand(&x) % 600, (uint16_t)(fuzz_rand(&x) % 8),
					 (uint16_t)(fuzz_rand(&x) % (QNUM + 2)));
				break;
			case 1:
				hdr[0] = (uint8_t)fuzz_rand(&x);
				assert_int_equal(mem_write_bytes(&fx->ram, HDRS + 16u * v, hdr, 1), 0);
				break;
			case 2:
				set_desc(fx, v, DATA, fuzz_rand(&x), VBLK_DESC_F_WRITE, 0);
				break;
			default:
				set_desc(fx, v, fuzz_addr(&x), 512, VBLK_DESC_F_NEXT | VBLK_DESC_F_WRITE,
					 (uint16_t)((v + 1) % QNUM));
				break;
			}
		}
		for (i = 0; i < 3; i++)
			submit(fx, (uint16_t)((fuzz_rand(&x) % 16) ? 4u * (fuzz_rand(&x) % 4) :
					       fuzz_rand(&x) % (QNUM + 1)));
		if (fuzz_rand(&x) % 8 == 0)
			wr(fx, (fuzz_rand(&x) % 0x80u) * 4u, fuzz_rand(&x));   /* any register */
		notify(fx);
		for (i = 0; i < 400; i++)
			virtio_blk_tick(&fx->dev, fx->now++);
		fx->now += fuzz_rand(&x) % 20000;
		virtio_blk_tick(&fx->dev, fx->now);
		wr(fx, VBLK_REG_INTERRUPT_ACK, 3);
		assert_int_equal(virtio_blk_check(&fx->dev), 0);
	}
	assert_true(image_hash(fx) == h0);
	/* the device still works */
	drv_init(fx);
	assert_int_equal(do_req(fx, VBLK_T_IN, 1, 512, true), VBLK_STATUS_OK);
	assert_int_equal(get8(fx, DATA), img_byte(512));
	print_message("fuzz: %llu requests, %llu completions, %llu resets, %llu ioerr, %llu unsupp\n",
		      (unsigned long long)fx->dev.st.requests,
		      (unsigned long long)fx->dev.st.completions,
		      (unsigned long long)fx->dev.st.resets, (unsigned long long)fx->dev.st.ioerr,
		      (unsigned long long)fx->dev.st.unsupp);
}

/* case 14: a full queue: QNUM/2 two-descriptor requests at once all complete; one more is refused. */
static void test_full_queue(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx);
	struct virtio_blk_latency lat;
	uint32_t k, id, len, seen = 0;

	drv_init(fx);
	/* 14.1 QNUM/2 FLUSH requests (header + status) fill every descriptor, depth 4 < 8 */
	for (k = 0; k < QNUM; k += 2) {
		build_req(fx, k, VBLK_T_FLUSH, 0, 0, false);
		submit(fx, (uint16_t)k);
	}
	notify(fx);
	assert_int_equal(fx->dev.ninflight, exact.qdepth);
	assert_int_equal(fx->dev.npending, QNUM / 2 - exact.qdepth);
	for (k = 0; k < 1000; k++)
		virtio_blk_tick(&fx->dev, fx->now++);
	assert_int_equal(get16(fx, USED + 2), QNUM / 2);
	for (k = 0; k < QNUM / 2; k++) {
		id = get32(fx, USED + 4 + 8 * k);
		len = get32(fx, USED + 8 + 8 * k);
		assert_int_equal(id % 2, 0);
		assert_int_equal(len, 1);
		seen |= 1u << id;
		assert_int_equal(get8(fx, STATS + id), VBLK_STATUS_OK);
	}
	fx->used_seen = QNUM / 2;
	assert_int_equal(seen, 0x5555);
	assert_int_equal(fx->fsyncs, QNUM / 2);
	/* 14.2 latency figures: FLUSH costs latency (100) each, one after another in fours */
	virtio_blk_latency_summary(&fx->dev, &lat);
	assert_int_equal(lat.n, QNUM / 2);
	assert_int_equal(lat.min, 100);
	assert_int_equal(lat.max, 200);
	assert_int_equal(lat.sum, 4 * 100 + 4 * 200);
	assert_int_equal(lat.bucket[7], 4);   /* 100: 64..127 */
	assert_int_equal(lat.bucket[8], 4);   /* 200: 128..255 */
	/* 14.3 the driver makes QNUM + 1 requests available while QNUM are outstanding: reset */
	for (k = 0; k < QNUM; k += 2)
		submit(fx, (uint16_t)k);
	notify(fx);
	assert_int_equal(fx->dev.ninflight + fx->dev.npending, QNUM / 2);
	for (k = 0; k < QNUM / 2 + 1; k++)
		submit(fx, 0);
	notify(fx);
	assert_true(rd(fx, VBLK_REG_STATUS) & VBLK_S_DEVICE_NEEDS_RESET);
	assert_int_equal(fx->dev.ninflight + fx->dev.npending, 0);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
	assert_true(image_hash(fx) == h0);
	/* 14.4 and the device comes back after a reset */
	drv_init(fx);
	assert_int_equal(do_req(fx, VBLK_T_IN, 2, 512, true), VBLK_STATUS_OK);
}

/* case 15: chains too short: header and status in one writable descriptor, header only readable + 0-byte status. */
static void test_short_chains(void **state)
{
	struct fixture *fx = *state;
	uint64_t h0 = image_hash(fx);
	uint8_t hdr[16] = { 0 };
	uint32_t type = VBLK_T_OUT;

	drv_init(fx);
	/* 15.1 one descriptor, writable: no readable header at all -> IOERR in its last byte */
	memcpy(hdr, &type, 4);
	assert_int_equal(mem_write_bytes(&fx->ram, HDRS, hdr, 16), 0);
	set_desc(fx, 0, HDRS, 16, VBLK_DESC_F_WRITE, 0);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, HDRS + 15), VBLK_STATUS_IOERR);
	/* 15.2 header + status, OUT with no data: 0 sectors at 0 is a legal empty write */
	assert_int_equal(do_req(fx, VBLK_T_OUT, 0, 0, false), VBLK_STATUS_OK);
	/* 15.3 a header split over two descriptors (8 + 8 bytes) is fine */
	build_req(fx, 0, VBLK_T_IN, 5, 512, true);
	set_desc(fx, 0, HDRS, 8, VBLK_DESC_F_NEXT, 3);
	set_desc(fx, 3, HDRS + 8, 8, VBLK_DESC_F_NEXT, 1);
	submit(fx, 0);
	notify(fx);
	wait_used(fx);
	assert_int_equal(get8(fx, STATS), VBLK_STATUS_OK);
	assert_int_equal(get8(fx, DATA + 7), img_byte(5 * 512 + 7));
	/* 15.4 an IN whose only writable descriptor is the status byte: 0 sectors, OK, nothing moved */
	assert_int_equal(do_req(fx, VBLK_T_IN, 0, 0, true), VBLK_STATUS_OK);
	assert_int_equal(rd(fx, VBLK_REG_STATUS), 0x0f);
	assert_true(image_hash(fx) == h0);
	assert_int_equal(virtio_blk_check(&fx->dev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_in, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scatter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_getid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_needs_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timing_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jitter_seed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_slot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_inflight, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_chains, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
