/* gwb_log.c: drains the guest write buffer log: every record becomes one track_write(). */
#include "gwb_log.h"

/*
 * Rules:
 *  1. Records are applied in log order; a record only says "this gpte was written", the
 *     value applied is the one in guest memory now (track_write() reads it back), so a
 *     log holding several writes to one gpte ends with the last one.
 *  2. The log never holds records past the index the hardware reported.
 */

int gwb_cap_valid(uint32_t cap)
{
	return cap >= 1 && cap <= MGWBCAP_MAX && (cap & (cap - 1u)) == 0;
}

int gwb_log_check(const struct gwb_log *log)
{
	if (!log->rec)
		return -1;
	if (!gwb_cap_valid(log->cap))
		return -2;
	if (log->hpa & (log->cap * (uint32_t)sizeof(struct gwb_record) - 1u))
		return -3; /* aligned to its size (SPEC §3): the hardware only adds */
	if (log->bad_records > log->appends)
		return -4;
	return 0;
}

int gwb_log_drain(struct gwb_log *log, struct shadow *s, uint32_t n)
{
	uint32_t offset = s->env.gram_hpa - s->env.gram_gpa;
	int applied = 0;

	if (n > log->cap)
		return -1;
	log->drains++;
	log->appends += n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t w0 = log->rec[i].word0, size = w0 & GWB_REC_SIZE_MASK;
		uint32_t gpa = (w0 & GWB_REC_ADDR_MASK) - offset;

		if (size > GWB_SIZE_WORD || !shadow_gpa_in_ram(s, gpa)) {
			log->bad_records++;
			continue;
		}
		/* the size code gives bits [1:0] of a sub-word address away: track_write takes words */
		track_write(s, gpa, log->rec[i].word1, 1u << size);
		applied++;
	}
	return applied;
}
