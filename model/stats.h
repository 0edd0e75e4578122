/* stats.h: writes a run's statistics as one JSON object (SPEC §6 keys). */
#ifndef UMBRA_STATS_H
#define UMBRA_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A flat JSON object written key by key; errors are sticky and reported by stats_close_file(). */
struct stats_writer {
	FILE *f;
	unsigned nkeys;
	bool owned; /* opened by stats_open_file(): closed by stats_close_file() */
	int err;    /* first negative errno seen, 0 if none */
};

int stats_open_file(struct stats_writer *w, const char *path);
/* Write to an open stream the caller keeps (and closes). */
void stats_attach_file(struct stats_writer *w, FILE *f);
void stats_put_string(struct stats_writer *w, const char *key, const char *val);
void stats_put_u64(struct stats_writer *w, const char *key, uint64_t val);
void stats_put_double(struct stats_writer *w, const char *key, double val);
/* Ends the object, closes the file if owned; 0 or the first negative errno. */
int stats_close_file(struct stats_writer *w);

/* Write the JSON string literal for s (UTF-8; invalid bytes become U+FFFD). */
void stats_write_json_string(FILE *f, const char *s);

/* The figures every run reports. */
struct stats_run {
	const char *result;       /* "pass", "fail" or "timeout" */
	uint32_t exit_code;       /* the process exit status */
	const char *elf;
	const char *bootargs;
	uint64_t seed;
	uint64_t cycles;
	uint64_t instret;
	double wall_seconds;
	uint32_t mem_latency;
	uint32_t ram_mb;
	uint32_t mtime_div;
	uint64_t max_cycles;
	uint64_t itlb_misses;
	uint64_t dtlb_misses;
	uint64_t walker_cycles;
	uint64_t uart_tx_bytes;
	uint64_t mmio_accesses;
	uint64_t mmio_errors;
};

/* Put every field of r into w (w stays open for more keys). */
void stats_put_run(struct stats_writer *w, const struct stats_run *r);

#endif /* UMBRA_STATS_H */
