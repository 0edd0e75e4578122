/* kernels.c: compute kernels for the demo and the speed benchmark. */
#include "kernels.h"

#define N 16

static int32_t ma[N][N], mb[N][N], mc[N][N];
static uint8_t crc_buf[1024];
static uint32_t sort_buf[64];

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s;
}

static uint32_t matmul(uint32_t seed)
{
	uint32_t s = seed, sum = 0;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			ma[i][j] = (int32_t)(lcg(&s) >> 20) - 2048;
			mb[i][j] = (int32_t)(lcg(&s) >> 20) - 2048;
		}
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int32_t acc = 0;
			for (int k = 0; k < N; k++)
				acc += ma[i][k] * mb[k][j];
			mc[i][j] = acc;
			sum = (sum << 1 | sum >> 31) ^ (uint32_t)acc;
		}
	return sum;
}

static uint32_t crc32(uint32_t seed)
{
	uint32_t s = seed, crc = 0xffffffffu;
	for (unsigned i = 0; i < sizeof crc_buf; i++)
		crc_buf[i] = (uint8_t)(lcg(&s) >> 24);
	for (unsigned i = 0; i < sizeof crc_buf; i++) {
		crc ^= crc_buf[i];
		for (int b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
	}
	return ~crc;
}

static uint32_t sort(uint32_t seed)
{
	uint32_t s = seed, sum = 0;
	for (int i = 0; i < 64; i++)
		sort_buf[i] = lcg(&s);
	for (int i = 1; i < 64; i++) {
		uint32_t v = sort_buf[i];
		int j = i - 1;
		while (j >= 0 && sort_buf[j] > v) {
			sort_buf[j + 1] = sort_buf[j];
			j--;
		}
		sort_buf[j + 1] = v;
	}
	for (int i = 0; i < 64; i++)
		sum = sum * 31u + sort_buf[i];
	return sum;
}

static uint32_t divide(uint32_t seed)
{
	uint32_t s = seed, sum = 0;
	for (int i = 0; i < 64; i++) {
		uint32_t a = lcg(&s), b = (lcg(&s) >> 16) | 1u;
		sum += a / b + a % b + (uint32_t)((int32_t)a / (int32_t)b);
	}
	return sum;
}

uint32_t kernels_round(uint32_t seed)
{
	return matmul(seed) ^ crc32(seed + 1) ^ sort(seed + 2) ^ divide(seed + 3);
}

uint32_t kernels_rounds(const char *args, uint32_t deflt)
{
	for (const char *p = args; p && *p; p++) {
		const char *k = "rounds=", *q = p;

		while (*k && *q == *k) {
			k++;
			q++;
		}
		if (!*k) {
			uint32_t n = 0;

			while (*q >= '0' && *q <= '9')
				n = n * 10 + (uint32_t)(*q++ - '0');
			return n ? n : 1;
		}
	}
	return deflt;
}
