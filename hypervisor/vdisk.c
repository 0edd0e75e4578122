/* vdisk.c: the guest's virtual legacy disk (docs/io.md §1), served by the host virtio-blk, with the delivery policies irq= and safepoint=. */
#include "vdisk.h"

#include "csr_bits.h"
#include "hv.h"
#include "hv_csr.h"
#include "matq.h"
#include "platform.h"
#include "virtio_blk.h"

/*
 * Rules (vdisk_check):
 *  1. One request at a time: stage NONE (no request, or the last one acknowledged), HOST
 *     (the host disk has it), QUEUED (the host finished it; it waits in the maturity queue)
 *     or DELIVERED (mip.SEIP raised, waiting for ACK). The queue holds an entry of this
 *     device exactly in stage QUEUED, and the host driver has a request in flight exactly
 *     in stage HOST.
 *  2. STATUS reads BUSY in stages HOST and QUEUED (unless a refused COMMAND set it to
 *     ERROR since), DONE or ERROR 6 from delivery to ACK; mip.SEIP is raised by the
 *     delivery only, cleared by ACK only.
 *  3. Delivery is never before the host completion; under irq=nominal never before
 *     maturity; under irq=mature at maturity or at the first safepoint after the host
 *     completion; under irq=immediate at the host completion.
 *  4. Every request gets one event-log record, written whole before head moves: at
 *     delivery, or at issue if refused. A refused request touches neither memory nor image.
 *  5. DMA goes only to [dma_lo, dma_hi) of guest RAM, through its hpa, and only for a
 *     request that passed every check.
 */

#define HOST_TAG 0x1d5cu
#define DEV_ID 0u /* this device's id in the maturity queue */

enum stage { ST_NONE, ST_HOST, ST_QUEUED, ST_DELIVERED };

struct umbra_iolog umbra_iolog = { .magic = UMBRA_IOLOG_MAGIC, .cap = UMBRA_IOLOG_CAP };

static struct vblk host __attribute__((aligned(16)));
static struct matq mq;
static struct vdisk_cfg cfg;
static struct {
	int has_host;
	uint32_t capacity; /* sectors */
	uint32_t lba, count, dma, status, error, seq;
	uint32_t dma_lo, dma_hi, guest_offset;
	uint32_t req_dma; /* DMA of the request in progress */
	uint64_t prev_end; /* the nominal disk's head: end of the previous request */
	enum stage stage;
	struct umbra_io_event req; /* the request in progress */
	uint8_t host_status;
} d;

enum {
	IS_REQUESTS, IS_COMPLETIONS, IS_REJECTED, IS_IMMEDIATE, IS_MATURE, IS_SAFEPOINT, IS_SP_IDLE,
	IS_SP_POLL, IS_LOST, IS_HOST_ERRORS, IS_BYTES_READ, IS_BYTES_WRITTEN, IS_COUNT
};
static const char *const io_names[IS_COUNT] = {
	"io.requests", "io.completions", "io.rejected", "io.delivered_immediate", "io.delivered_mature",
	"io.delivered_safepoint", "io.delivered_safepoint_idle", "io.delivered_safepoint_poll",
	"io.lost_completions", "io.host_errors", "io.bytes_read", "io.bytes_written",
};
static uint64_t *io_slot[IS_COUNT], io_dummy;
static uint64_t *hist_slot[65];

static void count(int i, uint64_t v)
{
	*io_slot[i] += v;
}

void vdisk_init(const struct vdisk_cfg *c, uint32_t dma_lo, uint32_t dma_hi, uint32_t guest_offset)
{
	int slot;

	cfg = *c;
	d.dma_lo = dma_lo;
	d.dma_hi = dma_hi;
	d.guest_offset = guest_offset;
	matq_init(&mq);
	umbra_iolog.magic = UMBRA_IOLOG_MAGIC;
	umbra_iolog.cap = UMBRA_IOLOG_CAP;
	umbra_iolog.policy = (uint32_t)cfg.policy;
	umbra_iolog.safepoints = cfg.safepoints;
	umbra_iolog.head = 0;
	for (int i = 0; i < IS_COUNT; i++) {
		io_slot[i] = hv_stats_add(io_names[i]);
		if (!io_slot[i])
			io_slot[i] = &io_dummy;
	}
	slot = vblk_find();
	if (slot < 0 || vblk_init(&host, VIRTIO_MMIO_BASE(slot)) || host.capacity >> 32) {
		hv_console_puts("hv: no host virtio-blk disk: the guest's legacy disk has capacity 0\n");
		return;
	}
	d.has_host = 1;
	d.capacity = (uint32_t)host.capacity;
	plic_set_priority(1u + (uint32_t)slot, 1);
	plic_set_threshold(PLIC_CTX_M, 0);
	plic_set_enable(PLIC_CTX_M, 1u + (uint32_t)slot, 1);
	csr_set(mie, MIP_MEIP);
}

/* ---- the event log and the accounting ---- */

static void log_event(const struct umbra_io_event *ev)
{
	umbra_iolog.e[umbra_iolog.head % UMBRA_IOLOG_CAP] = *ev;
	__asm__ volatile("fence rw, rw" ::: "memory");
	umbra_iolog.head++;
}

static void latency_hist(uint64_t lat)
{
	static const char digits[] = "0123456789";
	char name[56] = "io.latency_hist.";
	uint32_t k = 0, n = 16;
	uint64_t lo, hi, parts[2];

	while (k < 64 && (lat >> k))
		k++;
	if (!hist_slot[k]) {
		lo = k ? 1ull << (k - 1) : 0;
		hi = k ? (k == 64 ? ~0ull : (1ull << k) - 1) : 0;
		parts[0] = lo;
		parts[1] = hi;
		for (int p = 0; p < 2; p++) {
			char b[21];
			int m = 20;

			b[m] = 0;
			do {
				b[--m] = digits[parts[p] % 10u];
				parts[p] /= 10u;
			} while (parts[p]);
			while (b[m] && n + 2 < sizeof(name))
				name[n++] = b[m++];
			if (p == 0)
				name[n++] = '_';
		}
		name[n] = 0;
		hist_slot[k] = hv_stats_add(name);
		if (!hist_slot[k])
			hist_slot[k] = &io_dummy;
	}
	*hist_slot[k] += 1;
}

/* ---- delivery ---- */

/* The completion reaches the guest: STATUS, then mip.SEIP; 'delivered' is the cycle SEIP is raised. */
static void deliver(enum io_reason why)
{
	d.req.reason = (uint8_t)why;
	d.req.error = d.host_status == VBLK_ST_OK ? 0 : VDISK_ERR_HOST;
	d.status = d.req.error ? VDISK_ST_ERROR : VDISK_ST_DONE;
	d.error = d.req.error;
	d.stage = ST_DELIVERED;
	d.req.delivered = hv_mcycle();
	csr_set(mip, MIP_SEIP);
	log_event(&d.req);
	count(IS_COMPLETIONS, 1);
	count(why == IO_IMMEDIATE ? IS_IMMEDIATE : why == IO_MATURITY ? IS_MATURE :
	      why == IO_SAFEPOINT_IDLE ? IS_SP_IDLE : IS_SP_POLL, 1);
	if (why == IO_SAFEPOINT_IDLE || why == IO_SAFEPOINT_POLL)
		count(IS_SAFEPOINT, 1);
	if (d.req.error)
		count(IS_HOST_ERRORS, 1);
	latency_hist(d.req.delivered - d.req.issue);
	HV_TRACE("vdisk: delivered seq", d.req.seq);
	if (hv.audit && vdisk_check())
		hv_fail("audit: the legacy disk or its maturity queue broke a rule (vdisk_check)", 5);
}

/* A read landed in guest memory behind the shadow's back: page tables among its frames are re-read. */
static void track_dma(void)
{
	uint32_t gpa = d.req_dma, end;

	if (hv.mode == PT_NATIVE || d.req.cmd != VDISK_CMD_READ || d.host_status != VBLK_ST_OK)
		return;
	end = gpa + d.req.count * VBLK_SECTOR_BYTES;
	for (uint32_t pg = gpa & ~0xfffu; pg < end; pg += 0x1000u) {
		uint32_t gfn = pg >> 12, lo = pg < gpa ? gpa : pg, hi = pg + 0x1000u < end ? pg + 0x1000u : end;

		if (!shadow_find(&hv.sh, gfn, 0) && !shadow_find(&hv.sh, gfn, 1))
			continue;
		for (uint32_t a = lo; a < hi; a += 4)
			track_write(&hv.sh, a, shadow_read_gword(&hv.sh, a), 4);
	}
}

/* The host finished the request in progress at 'seen'. */
static void host_completed(uint64_t seen, int idle)
{
	d.req.host_done = seen;
	track_dma();
	if (cfg.policy == IO_POL_IMMEDIATE) {
		deliver(IO_IMMEDIATE);
		return;
	}
	if (seen >= d.req.maturity) {
		deliver(IO_MATURITY);
		return;
	}
	if (cfg.policy == IO_POL_MATURE && idle && (cfg.safepoints & IO_SP_IDLE)) {
		deliver(IO_SAFEPOINT_IDLE);
		return;
	}
	if (matq_push(&mq, DEV_ID, d.req.seq, d.req.maturity, seen))
		hv_fail("the maturity queue refused a completion (MATQ_CAP)", 10);
	d.stage = ST_QUEUED;
	hv_timer_rearm(); /* whoever queues arms the wake-up: found by a STATUS read, no timer would */
}

void vdisk_host_service(uint64_t seen, int idle)
{
	struct vblk_done done;
	uint32_t irq;
	int rc;

	if (!d.has_host)
		return;
	irq = plic_claim(PLIC_CTX_M);
	if (irq)
		vblk_ack_irq(&host);
	while ((rc = vblk_reap(&host, &done)) == 1) {
		if (d.stage != ST_HOST || done.tag != HOST_TAG)
			hv_fail("the host disk completed a request the legacy disk did not issue", 10);
		d.host_status = done.status;
		host_completed(seen ? seen : hv_mcycle(), idle);
	}
	if (rc < 0)
		hv_fail("the host disk wrote a used-ring element that names no request", 10);
	if (irq)
		plic_complete(PLIC_CTX_M, irq);
}

static void take_queued(enum io_reason why)
{
	struct matq_entry e;

	if (matq_pop_dev(&mq, DEV_ID, &e))
		deliver(why);
}

void vdisk_idle(void)
{
	if (cfg.policy == IO_POL_MATURE && (cfg.safepoints & IO_SP_IDLE) && d.stage == ST_QUEUED)
		take_queued(IO_SAFEPOINT_IDLE);
}

void vdisk_timer(uint64_t now)
{
	struct matq_entry e;

	while (matq_pop_mature(&mq, now, &e)) {
		if (e.dev != DEV_ID || d.stage != ST_QUEUED)
			hv_fail("the maturity queue held a completion of no request", 10);
		deliver(IO_MATURITY);
	}
}

uint64_t vdisk_next_maturity(void)
{
	return matq_earliest(&mq);
}

/* ---- the registers ---- */

static uint64_t nominal_latency(void)
{
	uint64_t dist = d.lba > d.prev_end ? d.lba - d.prev_end : d.prev_end - d.lba, seek = 0;

	if (d.capacity)
		seek = (uint64_t)cfg.dseek * dist / d.capacity;
	return seek + cfg.drot / 2u + (uint64_t)(d.req.cmd == VDISK_CMD_FLUSH ? 0 : d.count) * cfg.dxfer;
}

static uint32_t check_command(uint32_t cmd)
{
	if (d.stage != ST_NONE)
		return VDISK_ERR_BUSY;
	if (cmd < VDISK_CMD_READ || cmd > VDISK_CMD_FLUSH)
		return VDISK_ERR_CMD;
	if (!d.has_host)
		return cmd == VDISK_CMD_FLUSH ? VDISK_ERR_HOST : VDISK_ERR_LBA;
	if (cmd == VDISK_CMD_FLUSH)
		return 0;
	if (d.count == 0 || d.count > VDISK_MAX_COUNT)
		return VDISK_ERR_COUNT;
	if (d.lba >= d.capacity || d.count > d.capacity - d.lba)
		return VDISK_ERR_LBA;
	if ((d.dma & 3u) || d.dma < d.dma_lo || d.dma >= d.dma_hi ||
	    d.count * VBLK_SECTOR_BYTES > d.dma_hi - d.dma)
		return VDISK_ERR_DMA;
	return 0;
}

static void command(uint32_t cmd, uint64_t now)
{
	uint32_t err = check_command(cmd), type, len;
	struct umbra_io_event ev = { .seq = ++d.seq, .lba = d.lba, .count = d.count, .cmd = (uint8_t)cmd,
				     .issue = now };

	if (err) {
		/* refused at issue (rule 4): a record, no interrupt, no I/O */
		ev.error = (uint8_t)err;
		ev.reason = IO_REJECTED;
		ev.delivered = now;
		log_event(&ev);
		d.status = VDISK_ST_ERROR;
		d.error = err;
		count(IS_REJECTED, 1);
		return;
	}
	d.req = ev;
	d.req_dma = d.dma;
	d.req.maturity = now + nominal_latency();
	if (cmd == VDISK_CMD_FLUSH) {
		d.req.count = 0;
	} else {
		d.prev_end = (uint64_t)d.lba + d.count;
	}
	type = cmd == VDISK_CMD_READ ? VBLK_REQ_IN : cmd == VDISK_CMD_WRITE ? VBLK_REQ_OUT : VBLK_REQ_FLUSH;
	len = cmd == VDISK_CMD_FLUSH ? 0 : d.count * VBLK_SECTOR_BYTES;
	if (vblk_submit(&host, type, d.lba, (void *)(d.dma + d.guest_offset), len, HOST_TAG))
		hv_fail("the host disk driver refused a checked request", 10);
	vblk_notify(&host);
	d.stage = ST_HOST;
	d.status = VDISK_ST_BUSY;
	d.error = 0;
	count(IS_REQUESTS, 1);
	if (cmd == VDISK_CMD_READ)
		count(IS_BYTES_READ, len);
	else if (cmd == VDISK_CMD_WRITE)
		count(IS_BYTES_WRITTEN, len);
}

static void ack(void)
{
	csr_clear(mip, MIP_SEIP);
	if (d.stage == ST_DELIVERED)
		d.stage = ST_NONE;
	if (d.status == VDISK_ST_DONE || (d.status == VDISK_ST_ERROR && d.stage == ST_NONE)) {
		d.status = VDISK_ST_IDLE;
		d.error = 0;
	}
}

void vdisk_mmio(uint32_t off, int store, uint32_t *val, uint64_t now)
{
	if (store) {
		switch (off) {
		case VDISK_LBA: d.lba = *val; break;
		case VDISK_COUNT: d.count = *val; break;
		case VDISK_DMA: d.dma = *val; break;
		case VDISK_COMMAND: command(*val, now); break;
		case VDISK_ACK: ack(); break;
		default: break; /* read-only and unused offsets ignore writes */
		}
		return;
	}
	switch (off) {
	case VDISK_MAGIC: *val = VDISK_MAGIC_VALUE; break;
	case VDISK_CAPACITY: *val = d.capacity; break;
	case VDISK_LBA: *val = d.lba; break;
	case VDISK_COUNT: *val = d.count; break;
	case VDISK_DMA: *val = d.dma; break;
	case VDISK_STATUS:
		/* the poll safepoint: what the host has finished, then what waits for this device */
		vdisk_host_service(0, 0);
		if (cfg.policy == IO_POL_MATURE && (cfg.safepoints & IO_SP_POLL) && d.stage == ST_QUEUED)
			take_queued(IO_SAFEPOINT_POLL);
		*val = d.status;
		break;
	case VDISK_ERROR: *val = d.error; break;
	case VDISK_SEQ: *val = d.seq; break;
	default: *val = 0; break;
	}
}

void vdisk_summary(void)
{
	static const int show[] = { IS_REQUESTS, IS_COMPLETIONS, IS_IMMEDIATE, IS_MATURE, IS_SP_IDLE, IS_SP_POLL,
				    IS_REJECTED, IS_LOST };
	static const char *const label[] = { " requests=", " completions=", " immediate=", " at_maturity=",
					     " safepoint_idle=", " safepoint_poll=", " rejected=", " lost=" };

	if (!*io_slot[IS_REQUESTS] && !*io_slot[IS_REJECTED])
		return;
	hv_console_puts("hv: summary: legacy disk irq=");
	hv_console_puts(cfg.policy == IO_POL_IMMEDIATE ? "immediate" : cfg.policy == IO_POL_NOMINAL ? "nominal" : "mature");
	for (uint32_t i = 0; i < sizeof(show) / sizeof(show[0]); i++) {
		hv_console_puts(label[i]);
		hv_console_dec(*io_slot[show[i]]);
	}
	hv_console_puts("\n");
}

int vdisk_check(void)
{
	uint32_t queued = 0;

	if (matq_check(&mq))
		return -1;
	for (uint32_t i = 0; i < matq_len(&mq); i++)
		queued += mq.e[i].dev == DEV_ID;
	if (queued != (d.stage == ST_QUEUED))
		return -2;
	if (d.has_host && (host.inflight != 0) != (d.stage == ST_HOST))
		return -3;
	if (d.has_host && vblk_check(&host))
		return -4;
	if (d.stage == ST_DELIVERED && d.status != VDISK_ST_DONE && d.status != VDISK_ST_ERROR)
		return -5;
	if (umbra_iolog.magic != UMBRA_IOLOG_MAGIC || umbra_iolog.cap != UMBRA_IOLOG_CAP)
		return -6;
	if (umbra_iolog.head) {
		/* rule 3 on the newest record */
		const struct umbra_io_event *e = &umbra_iolog.e[(umbra_iolog.head - 1) % UMBRA_IOLOG_CAP];

		if (e->reason != IO_REJECTED &&
		    (e->host_done < e->issue || e->delivered < e->host_done ||
		     (cfg.policy == IO_POL_NOMINAL && e->delivered < e->maturity) ||
		     (e->reason == IO_IMMEDIATE) != (cfg.policy == IO_POL_IMMEDIATE) ||
		     ((e->reason == IO_SAFEPOINT_IDLE || e->reason == IO_SAFEPOINT_POLL) &&
		      cfg.policy != IO_POL_MATURE)))
			return -7;
	}
	return 0;
}
