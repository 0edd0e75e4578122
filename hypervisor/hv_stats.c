/* hv_stats.c: the umbra_stats block the harness reads (SPEC §6 keys) and the end-of-run summary on the console. */
#include "hv.h"

/*
 * Rules:
 *  1. umbra_stats.magic is set from the start (it is initialised data), count only grows,
 *     and every entry below count has a NUL-terminated name: the harness may read the
 *     block at any moment.
 *  2. Exit counters are the block's own value slots (always current); the shadow and GWB
 *     counters are copied in at every coherence point and at the end.
 */

struct umbra_stats_block umbra_stats = { .magic = UMBRA_STATS_MAGIC };

#define HV_EXIT_NAME(n) #n,
static const char *const exit_names[HV_EXIT_COUNT] = { HV_EXIT_LIST(HV_EXIT_NAME) };

enum {
	ST_GWB_APPENDS, ST_GWB_DRAINS, ST_GWB_FULL, ST_GWB_BAD, ST_HIDDEN, ST_TRUE, ST_EMUL, ST_TRACK,
	ST_RESYNCS, ST_UNSYNCS, ST_SP_CREATED, ST_SP_ZAPPED, ST_UNSHADOWED, ST_FLUSHES, ST_ROOT_SWITCHES,
	ST_ROOT_HITS, ST_WPROTECTS, ST_AUDITS, ST_HW_APPENDS, ST_HW_FULL, ST_COUNT
};
static const char *const stat_names[ST_COUNT] = {
	"hv.gwb.appends", "hv.gwb.drains", "hv.gwb.full", "hv.gwb.bad_records", "hv.hidden_faults",
	"hv.true_faults", "hv.pte_emulations", "hv.track_writes", "hv.resyncs", "hv.unsyncs",
	"hv.shadow_pages_created", "hv.shadow_pages_zapped", "hv.unshadowed_frames", "hv.tlb_flushes",
	"hv.root_switches", "hv.root_cache_hits", "hv.write_protects", "hv.audits",
	"hv.gwb.hw_appends", "hv.gwb.hw_full",
};
static uint64_t *stat_slot[ST_COUNT];

static void copy_name(char *d, const char *a, const char *b, const char *c)
{
	uint32_t n = 0;

	for (const char *parts[3] = { a, b, c }, **p = parts; p < parts + 3; p++)
		for (const char *s = *p; s && *s && n + 1 < UMBRA_STATS_NAME; s++)
			d[n++] = *s;
	d[n] = 0;
}

static uint64_t *add(const char *a, const char *b, const char *c)
{
	struct umbra_stat *e;

	if (umbra_stats.count >= UMBRA_STATS_MAX)
		return 0;
	e = &umbra_stats.e[umbra_stats.count];
	copy_name(e->name, a, b, c);
	e->value = 0;
	__asm__ volatile("" ::: "memory");
	umbra_stats.count++;
	return &e->value;
}

uint64_t *hv_stats_add(const char *name)
{
	/* a name given twice keeps one entry */
	for (uint32_t i = 0; i < umbra_stats.count; i++) {
		const char *a = umbra_stats.e[i].name, *b = name;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (*a == *b)
			return &umbra_stats.e[i].value;
	}
	return add(name, 0, 0);
}

void hv_stats_init(void)
{
	static uint64_t dummy[2];

	umbra_stats.magic = UMBRA_STATS_MAGIC;
	umbra_stats.count = 0;
	for (uint32_t i = 0; i < HV_EXIT_COUNT; i++) {
		hv.stat_exit_count[i] = add("hv.exits.", exit_names[i], ".count");
		hv.stat_exit_cycles[i] = add("hv.exits.", exit_names[i], ".cycles");
		if (!hv.stat_exit_count[i] || !hv.stat_exit_cycles[i]) {
			hv.stat_exit_count[i] = &dummy[0];
			hv.stat_exit_cycles[i] = &dummy[1];
		}
	}
	for (uint32_t i = 0; i < ST_COUNT; i++)
		stat_slot[i] = add(stat_names[i], 0, 0);
}

int hv_stats_check(void)
{
	if (umbra_stats.magic != UMBRA_STATS_MAGIC)
		return -1;
	if (umbra_stats.count > UMBRA_STATS_MAX)
		return -2;
	for (uint32_t i = 0; i < umbra_stats.count; i++) {
		uint32_t n = 0;

		while (n < UMBRA_STATS_NAME && umbra_stats.e[i].name[n])
			n++;
		if (n == 0 || n == UMBRA_STATS_NAME)
			return -3;
	}
	return 0;
}

static void put(int i, uint64_t v)
{
	if (stat_slot[i])
		*stat_slot[i] = v;
}

void hv_stats_update(void)
{
	const struct shadow_stats *st = &hv.sh.st;

	put(ST_GWB_APPENDS, hv.gwb.appends);
	put(ST_GWB_DRAINS, hv.gwb.drains);
	put(ST_GWB_FULL, hv.gwb.full);
	put(ST_GWB_BAD, hv.gwb.bad_records);
	put(ST_HIDDEN, st->hidden_faults);
	put(ST_TRUE, st->true_faults);
	put(ST_EMUL, st->pte_emulations);
	put(ST_TRACK, st->track_writes);
	put(ST_RESYNCS, st->resyncs);
	put(ST_UNSYNCS, st->unsyncs);
	put(ST_SP_CREATED, st->sp_created);
	put(ST_SP_ZAPPED, st->sp_zapped);
	put(ST_UNSHADOWED, st->unshadowed);
	put(ST_FLUSHES, st->tlb_flushes);
	put(ST_ROOT_SWITCHES, st->root_switches);
	put(ST_ROOT_HITS, st->root_hits);
	put(ST_WPROTECTS, st->write_protects);
	put(ST_AUDITS, st->audits);
	if (hv.mode == PT_GWB) {
		/* the hardware's own counts (mhpmcounter6/7), to hold against the drained records */
		uint32_t lo6, hi6, lo7, hi7;

		__asm__ volatile("csrr %0, 0xb06; csrr %1, 0xb86; csrr %2, 0xb07; csrr %3, 0xb87"
				 : "=r"(lo6), "=r"(hi6), "=r"(lo7), "=r"(hi7));
		put(ST_HW_APPENDS, ((uint64_t)hi6 << 32) | lo6);
		put(ST_HW_FULL, ((uint64_t)hi7 << 32) | lo7);
	}
}

void hv_summary(void)
{
	uint64_t total = 0, cycles = 0;

	hv_stats_update();
	hv_console_puts("hv: summary:");
	for (uint32_t i = 0; i < HV_EXIT_COUNT; i++) {
		total += *hv.stat_exit_count[i];
		cycles += *hv.stat_exit_cycles[i];
	}
	hv_console_puts(" exits ");
	hv_console_dec(total);
	hv_console_puts(" (");
	hv_console_dec(cycles);
	hv_console_puts(" cycles):");
	for (uint32_t i = 0; i < HV_EXIT_COUNT; i++) {
		if (!*hv.stat_exit_count[i])
			continue;
		hv_console_puts(" ");
		hv_console_puts(exit_names[i]);
		hv_console_puts("=");
		hv_console_dec(*hv.stat_exit_count[i]);
	}
	hv_console_puts("\nhv: summary: pte_emulations=");
	hv_console_dec(hv.sh.st.pte_emulations);
	hv_console_puts(" resyncs=");
	hv_console_dec(hv.sh.st.resyncs);
	hv_console_puts(" hidden_faults=");
	hv_console_dec(hv.sh.st.hidden_faults);
	hv_console_puts(" gwb appends=");
	hv_console_dec(hv.gwb.appends);
	hv_console_puts(" drains=");
	hv_console_dec(hv.gwb.drains);
	hv_console_puts(" full=");
	hv_console_dec(hv.gwb.full);
	hv_console_puts(" audits=");
	hv_console_dec(hv.sh.st.audits);
	hv_console_puts("\n");
	vdisk_summary();
}
