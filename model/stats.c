/* stats.c: JSON writer for the run statistics (one object, one key per line, escaped strings). */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void note_error(struct stats_writer *w)
{
	if (!w->err && (!w->f || ferror(w->f)))
		w->err = -EIO;
}

int stats_open_file(struct stats_writer *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	w->f = fopen(path, "w");
	if (!w->f) {
		w->err = -errno;
		return w->err;
	}
	w->owned = true;
	fputs("{", w->f);
	return 0;
}

void stats_attach_file(struct stats_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	if (f)
		fputs("{", f);
	else
		w->err = -EINVAL;
}

/* Length of the valid UTF-8 sequence at s, or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1fu;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0fu;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0u) != 0x80u)
			return 0;   /* also stops at the terminating NUL */
		cp = (cp << 6) | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;   /* overlong, out of range or a surrogate */
	return n;
}

void stats_write_json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	fputc('"', f);
	while (*p) {
		if (*p == '"' || *p == '\\') {
			fputc('\\', f);
			fputc(*p++, f);
		} else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else if (*p == '\t') {
			fputs("\\t", f);
			p++;
		} else if (*p == '\r') {
			fputs("\\r", f);
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if ((n = utf8_len(p)) == 0) {
			fputs("\\ufffd", f);
			p++;
		} else {
			fwrite(p, 1, n, f);
			p += n;
		}
	}
	fputc('"', f);
}

static void put_key(struct stats_writer *w, const char *key)
{
	fputs(w->nkeys++ ? ",\n  " : "\n  ", w->f);
	stats_write_json_string(w->f, key);
	fputs(": ", w->f);
}

void stats_put_string(struct stats_writer *w, const char *key, const char *val)
{
	if (!w->f)
		return;
	put_key(w, key);
	stats_write_json_string(w->f, val);
	note_error(w);
}

void stats_put_u64(struct stats_writer *w, const char *key, uint64_t val)
{
	if (!w->f)
		return;
	put_key(w, key);
	fprintf(w->f, "%llu", (unsigned long long)val);
	note_error(w);
}

void stats_put_double(struct stats_writer *w, const char *key, double val)
{
	if (!w->f)
		return;
	put_key(w, key);
	/* JSON has no NaN or infinity. */
	fprintf(w->f, "%.6f", isfinite(val) ? val : 0.0);
	note_error(w);
}

int stats_close_file(struct stats_writer *w)
{
	int rc;

	if (!w->f)
		return w->err ? w->err : -EINVAL;
	fputs(w->nkeys ? "\n}\n" : "}\n", w->f);
	note_error(w);
	if (!w->owned) {
		if (fflush(w->f) && !w->err)
			w->err = -errno;
	} else if (fclose(w->f) && !w->err) {
		w->err = -errno;
	}
	w->f = NULL;
	rc = w->err;
	return rc;
}

void stats_put_run(struct stats_writer *w, const struct stats_run *r)
{
	double cps = r->wall_seconds > 0 ? (double)r->cycles / r->wall_seconds : 0.0;

	stats_put_string(w, "result", r->result);
	stats_put_u64(w, "exit_code", r->exit_code);
	stats_put_string(w, "elf", r->elf);
	stats_put_string(w, "bootargs", r->bootargs);
	stats_put_u64(w, "seed", r->seed);
	stats_put_u64(w, "cycles", r->cycles);
	stats_put_u64(w, "instret", r->instret);
	stats_put_double(w, "wall_seconds", r->wall_seconds);
	stats_put_double(w, "cycles_per_second", cps);
	stats_put_u64(w, "mem_latency", r->mem_latency);
	stats_put_u64(w, "ram_mb", r->ram_mb);
	stats_put_u64(w, "mtime_div", r->mtime_div);
	stats_put_u64(w, "max_cycles", r->max_cycles);
	stats_put_u64(w, "itlb_misses", r->itlb_misses);
	stats_put_u64(w, "dtlb_misses", r->dtlb_misses);
	stats_put_u64(w, "walker_cycles", r->walker_cycles);
	stats_put_u64(w, "uart_tx_bytes", r->uart_tx_bytes);
	stats_put_u64(w, "mmio_accesses", r->mmio_accesses);
	stats_put_u64(w, "mmio_errors", r->mmio_errors);
}
