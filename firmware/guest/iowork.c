/* iowork.c: the disk workloads of docs/io.md §6 (diskseq, diskrand, legacy, diskbad): every byte written is read back and checked. */
#include "kernel.h"

/*
 * A request moves `sectors` sectors between the disk and one buffer in kernel memory,
 * guarded by a page on each side that no request may touch. Sector lba holds
 * disk_pattern(lba, i, dseed) for its word i once written; a read-back is checked word by
 * word, so is the guard around the buffer after every request.
 */

#define MAX_SECTORS 128u
#define SECTOR_WORDS 128u
#define GUARD_WORDS 1024u
#define GUARD 0x6a6a6a6au
#define JUNK 0xa5a5a5a5u

static struct {
	uint32_t pre[GUARD_WORDS];
	uint32_t buf[MAX_SECTORS * SECTOR_WORDS];
	uint32_t post[GUARD_WORDS];
} io __attribute__((aligned(4096)));

static uint32_t pick[4096]; /* diskrand: each request's LBA */

uint32_t disk_pattern(uint32_t lba, uint32_t i, uint32_t dseed)
{
	return (lba * 0x9E3779B1u + i * 0x85EBCA77u) ^ 0xD15C0000u ^ dseed;
}

static void guards_set(void)
{
	for (uint32_t i = 0; i < GUARD_WORDS; i++)
		io.pre[i] = io.post[i] = GUARD;
}

/* The guard words nearest the buffer (a request running over its ends hits them first); all with words = GUARD_WORDS. */
static int guards_near_ok(uint32_t words)
{
	for (uint32_t i = 0; i < words; i++)
		if (io.pre[GUARD_WORDS - 1 - i] != GUARD || io.post[i] != GUARD)
			return 0;
	return 1;
}

static int guards_ok(void)
{
	return guards_near_ok(GUARD_WORDS);
}

/* pattern() word by word as a running sum: the workloads measure the disk, not a multiplier */
static void fill(uint32_t lba, uint32_t sectors, uint32_t dseed)
{
	const uint32_t c = 0xD15C0000u ^ dseed;
	uint32_t *p = io.buf;

	for (uint32_t s = 0; s < sectors; s++, p += SECTOR_WORDS) {
		uint32_t acc = (lba + s) * 0x9E3779B1u;

		for (uint32_t i = 0; i < SECTOR_WORDS; i++, acc += 0x85EBCA77u)
			p[i] = acc ^ c;
	}
}

/* The first word that differs from the pattern, as 1 + its index; 0 if all match. */
static uint32_t verify(uint32_t lba, uint32_t sectors, uint32_t dseed)
{
	const uint32_t c = 0xD15C0000u ^ dseed;
	const uint32_t *p = io.buf;

	for (uint32_t s = 0; s < sectors; s++, p += SECTOR_WORDS) {
		uint32_t acc = (lba + s) * 0x9E3779B1u;

		for (uint32_t i = 0; i < SECTOR_WORDS; i++, acc += 0x85EBCA77u)
			if (p[i] != (acc ^ c))
				return 1 + s * SECTOR_WORDS + i;
	}
	return 0;
}

static void junk(uint32_t sectors)
{
	for (uint32_t i = 0; i < sectors * SECTOR_WORDS; i++)
		io.buf[i] = JUNK;
}

/* xorshift32 from dseed (docs/io.md §6): diskrand's request-aligned LBAs. */
static void draw_lbas(const struct disk_params *p)
{
	uint32_t x = p->dseed ^ 0x2545F491u, slots = disk_capacity / p->sectors;

	if (!x)
		x = 1;
	for (uint32_t k = 0; k < p->n; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		pick[k] = (x % slots) * p->sectors;
	}
}

static uint32_t lba_of(uint32_t work_id, const struct disk_params *p, uint32_t k)
{
	return work_id == WORK_DISKRAND ? pick[k] : k * p->sectors;
}

static uint32_t request(uint32_t work_id, const struct disk_params *p, uint32_t cmd, uint32_t lba, uint32_t *lost)
{
	uint32_t err, st;
	int l = 0;

	if (work_id == WORK_LEGACY) {
		st = disk_io_legacy(cmd, lba, p->sectors, (uint32_t)io.buf, p->window, &err, &l);
		*lost += (uint32_t)l;
	} else {
		st = disk_io(cmd, lba, p->sectors, (uint32_t)io.buf, &err);
	}
	if (st != DISK_ST_DONE) {
		kputs("guest: disk request ended with STATUS ");
		kputdec(st);
		kputs(" ERROR ");
		kputdec(err);
		kputs("\n");
		return 1;
	}
	return guards_near_ok(32) ? 0 : 2; /* the whole guard pages at the end of the run */
}

static int disk_bad(void);

int work_disk(uint32_t work_id, const struct disk_params *p, uint64_t *cycles)
{
	uint32_t lost = 0, irqs0, err, ops = 0;
	uint64_t t0, bytes;

	if (disk_init())
		kpanic("no legacy disk at 0x1000f000 (MAGIC)", disk_reg(DISK_MAGIC));
	if (work_id == WORK_DISKBAD) {
		int r;

		t0 = rdcycle64();
		r = disk_bad();
		*cycles = rdcycle64() - t0;
		return r;
	}
	if (disk_capacity < p->sectors || (work_id != WORK_DISKRAND && disk_capacity / p->sectors < p->n))
		kpanic("the requests do not fit on the disk: capacity in sectors", disk_capacity);
	if (work_id == WORK_DISKRAND)
		draw_lbas(p);
	/* the running sums of fill() and verify() are docs/io.md's pattern() */
	fill(0x12345u, 1, p->dseed);
	for (uint32_t i = 0; i < SECTOR_WORDS; i++)
		if (io.buf[i] != disk_pattern(0x12345u, i, p->dseed))
			kpanic("fill() disagrees with pattern(), word", i);
	guards_set();
	irqs0 = disk_irqs;
	t0 = rdcycle64();
	for (uint32_t k = 0; k < p->n; k++) {
		uint32_t lba = lba_of(work_id, p, k);

		fill(lba, p->sectors, p->dseed);
		if (request(work_id, p, DISK_WRITE, lba, &lost))
			return 30;
		ops++;
	}
	if (disk_io(DISK_FLUSH, 0, 0, 0, &err) != DISK_ST_DONE)
		return 31;
	for (uint32_t k = 0; k < p->n; k++) {
		uint32_t lba = lba_of(work_id, p, k), bad;

		junk(p->sectors);
		if (request(work_id, p, DISK_READ, lba, &lost))
			return 32;
		ops++;
		bad = verify(lba, p->sectors, p->dseed);
		if (bad) {
			kputs("guest: read-back differs at LBA ");
			kputdec(lba + (bad - 1) / SECTOR_WORDS);
			kputs(" word ");
			kputdec((bad - 1) % SECTOR_WORDS);
			kputs("\n");
			return 33;
		}
	}
	*cycles = rdcycle64() - t0;
	if (!guards_ok())
		return 35;
	bytes = (uint64_t)ops * p->sectors * 512u;
	kstat("work.ops", ops);
	kstat("work.bytes", bytes);
	kstat("work.ops_per_sec", *cycles ? (uint64_t)ops * 100000000ull / *cycles : 0);
	kstat("work.irqs", disk_irqs - irqs0);
	kstat("work.lost_completions", lost);
	kstat("work.sectors", p->sectors);
	kstat("work.window", p->window);
	kstat("io.lost_completions", lost);
	kputs("guest: ");
	kputdec(ops);
	kputs(" requests, ");
	kputdec(lost);
	kputs(" lost completions\n");
	if (lost != disk_lost)
		return 34; /* every lost completion is one the driver noticed */
	return 0;
}

/* ---- the bad-command self-test (work=diskbad) ---- */

static uint32_t bad_case;

static int fail_case(const char *what, uint32_t v)
{
	kputs("guest: diskbad: case ");
	kputdec(bad_case);
	kputs(": ");
	kputs(what);
	kputs(" (");
	kputdec(v);
	kputs(")\n");
	return 40;
}

/* One refused command: STATUS ERROR with code want, SEQ one up, no interrupt, nothing touched. */
static int refused(uint32_t cmd, uint32_t lba, uint32_t count, uint32_t dma, uint32_t want)
{
	uint32_t seq = disk_reg(DISK_SEQ), irqs = disk_irqs, st, err;

	bad_case++;
	for (uint32_t i = 0; i < 16 * SECTOR_WORDS; i++)
		io.buf[i] = JUNK ^ i;
	disk_reg_write(DISK_LBA, lba);
	disk_reg_write(DISK_COUNT, count);
	disk_reg_write(DISK_DMA, dma);
	disk_reg_write(DISK_COMMAND, cmd);
	st = disk_reg(DISK_STATUS);
	err = disk_reg(DISK_ERROR);
	if (st != DISK_ST_ERROR)
		return fail_case("STATUS is not ERROR after a bad command", st);
	if (err != want)
		return fail_case("wrong ERROR code", err);
	if (disk_reg(DISK_SEQ) != seq + 1)
		return fail_case("SEQ did not count the refused request", disk_reg(DISK_SEQ));
	for (uint32_t t0 = rdcycle32(); rdcycle32() - t0 < 20000;)
		;
	if (disk_irqs != irqs || (kcsr_read(sip) & MIP_SEIP))
		return fail_case("a refused command raised an interrupt", disk_irqs - irqs);
	for (uint32_t i = 0; i < 16 * SECTOR_WORDS; i++)
		if (io.buf[i] != (JUNK ^ i))
			return fail_case("a refused command touched guest memory, word", i);
	if (!guards_ok())
		return fail_case("a refused command touched the guard pages", 0);
	disk_reg_write(DISK_ACK, 1);
	if (disk_reg(DISK_STATUS) != DISK_ST_IDLE)
		return fail_case("ACK did not return STATUS to IDLE", disk_reg(DISK_STATUS));
	return 0;
}

static int disk_bad(void)
{
	const uint32_t cap = disk_capacity, seed = 0xbad;
	uint32_t buf = (uint32_t)io.buf, err, st, last[SECTOR_WORDS];
	int r;

	guards_set();
	bad_case = 1;
	if (cap < 64)
		return fail_case("CAPACITY too small for the test", cap);
	/* known data in sectors 0..7, and what the last sector holds now */
	fill(0, 8, seed);
	if (disk_io(DISK_WRITE, 0, 8, buf, &err) != DISK_ST_DONE)
		return fail_case("the good WRITE failed, ERROR", err);
	if (disk_io(DISK_READ, cap - 1, 1, buf, &err) != DISK_ST_DONE)
		return fail_case("the good READ of the last sector failed, ERROR", err);
	for (uint32_t i = 0; i < SECTOR_WORDS; i++)
		last[i] = io.buf[i];

	if ((r = refused(DISK_READ, cap, 1, buf, 1)) ||           /* 2: LBA at the end */
	    (r = refused(DISK_WRITE, cap - 1, 2, buf, 1)) ||      /* 3: the range runs past the end */
	    (r = refused(DISK_WRITE, 0xffffffffu, 2, buf, 1)) ||  /* 4: LBA + COUNT wraps */
	    (r = refused(DISK_READ, 0, 0, buf, 2)) ||             /* 5: COUNT 0 */
	    (r = refused(DISK_READ, 0, 129, buf, 2)) ||           /* 6: COUNT 129 */
	    (r = refused(DISK_READ, 0, 1, 0x10000000u, 3)) ||     /* 7: DMA at the UART, outside RAM */
	    (r = refused(DISK_READ, 0, 2, 0x80fffe00u, 3)) ||     /* 8: the buffer runs off guest RAM */
	    (r = refused(DISK_READ, 0, 1, 0xfffffe00u, 3)) ||     /* 9: DMA near 4 GiB */
	    (r = refused(DISK_READ, 0, 1, buf + 2, 3)) ||         /* 10: misaligned DMA */
	    (r = refused(DISK_READ, 0, 8, 0x80000000u, 3)) ||     /* 11: the hypervisor's region */
	    (r = refused(DISK_READ, 0, 1, 0x801efe00u, 3)) ||     /* 12: just below the guest's window */
	    (r = refused(7, 0, 1, buf, 5)) ||                     /* 13: unknown command */
	    (r = refused(0, 0, 1, buf, 5)))                       /* 14: command 0 */
		return r;

	/* 15: a COMMAND while a completion is not acknowledged: refused with ERROR 4, ACK clears both */
	bad_case++;
	kcsr_clear(sie, MIP_SEIP);
	junk(8);
	disk_reg_write(DISK_LBA, 0);
	disk_reg_write(DISK_COUNT, 8);
	disk_reg_write(DISK_DMA, buf);
	disk_reg_write(DISK_COMMAND, DISK_READ);
	while ((st = disk_reg(DISK_STATUS)) == DISK_ST_BUSY)
		;
	if (st != DISK_ST_DONE)
		return fail_case("the polled READ did not end DONE", st);
	if (verify(0, 8, seed))
		return fail_case("the polled READ returned wrong data", verify(0, 8, seed));
	if (!(kcsr_read(sip) & MIP_SEIP))
		return fail_case("a delivered completion did not raise the S external interrupt", 0);
	disk_reg_write(DISK_LBA, 8);
	disk_reg_write(DISK_COUNT, 1);
	disk_reg_write(DISK_COMMAND, DISK_WRITE);
	if (disk_reg(DISK_STATUS) != DISK_ST_ERROR || disk_reg(DISK_ERROR) != 4)
		return fail_case("COMMAND before ACK not refused with ERROR 4, ERROR", disk_reg(DISK_ERROR));
	disk_reg_write(DISK_ACK, 1);
	if (disk_reg(DISK_STATUS) != DISK_ST_IDLE || (kcsr_read(sip) & MIP_SEIP))
		return fail_case("ACK did not clear STATUS and the interrupt", disk_reg(DISK_STATUS));
	kcsr_set(sie, MIP_SEIP);

	/* 16: a COMMAND while busy: refused, the request in flight completes as if nothing happened */
	bad_case++;
	junk(8);
	{
		uint32_t seq = disk_reg(DISK_SEQ), e2;
		int early;

		kcsr_clear(sstatus, MSTATUS_SIE);
		disk_start(DISK_READ, 0, 8, buf, 0, 0);
		disk_reg_write(DISK_LBA, 16);
		disk_reg_write(DISK_COUNT, 1);
		disk_reg_write(DISK_COMMAND, DISK_WRITE);
		st = disk_reg(DISK_STATUS);
		e2 = disk_reg(DISK_ERROR);
		if (disk_reg(DISK_SEQ) != seq + 2)
			return fail_case("SEQ did not count both requests", disk_reg(DISK_SEQ) - seq);
		/* umbra: refused at once; on a faster host the read may have been delivered already */
		if (!(st == DISK_ST_ERROR && e2 == 4) && st != DISK_ST_DONE)
			return fail_case("COMMAND while busy not refused with ERROR 4, STATUS", st);
		early = (kcsr_read(sip) & MIP_SEIP) != 0;
		st = disk_wait(&err);
		/*
		 * the read ends DONE; only if it had been delivered before the refused COMMAND
		 * (possible on a fast host, never on umbra's timed disk) does the refusal's
		 * ERROR 4 replace its DONE, as case 15 shows
		 */
		if (st != DISK_ST_DONE && !(early && st == DISK_ST_ERROR && err == 4))
			return fail_case("the READ in flight did not end DONE, ERROR", err);
	}
	/* 17: and it read what it should */
	bad_case++;
	if (verify(0, 8, seed))
		return fail_case("the READ in flight returned wrong data", verify(0, 8, seed));

	/* 18: the image around is unchanged: sectors 0..7, sector 16, and the last sector */
	bad_case++;
	junk(8);
	if (disk_io(DISK_READ, 0, 8, buf, &err) != DISK_ST_DONE || verify(0, 8, seed))
		return fail_case("sectors 0..7 changed", err);
	if (disk_io(DISK_READ, cap - 1, 1, buf, &err) != DISK_ST_DONE)
		return fail_case("reading the last sector failed", err);
	for (uint32_t i = 0; i < SECTOR_WORDS; i++)
		if (io.buf[i] != last[i])
			return fail_case("a refused command changed the last sector, word", i);
	if (!guards_ok())
		return fail_case("the guard pages changed", 0);
	kstat("work.ops", disk_reg(DISK_SEQ));
	kstat("work.irqs", disk_irqs);
	kputs("guest: diskbad: ");
	kputdec(bad_case);
	kputs(" cases passed\n");
	return 0;
}
