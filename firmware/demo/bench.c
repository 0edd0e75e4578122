/* bench.c: the long compute-bound program of `make bench`: kernel rounds
 * (bootarg rounds=N, default 200) with no page-table or I/O activity. */
#include "fdt_chosen.h"
#include "kernels.h"
#include "test.h"

static uint32_t parse_rounds(const char *args)
{
	for (const char *p = args; p && *p; p++) {
		if (p[0] == 'r' && p[1] == 'o' && p[2] == 'u' && p[3] == 'n' && p[4] == 'd' &&
		    p[5] == 's' && p[6] == '=') {
			uint32_t n = 0;
			for (p += 7; *p >= '0' && *p <= '9'; p++)
				n = n * 10 + (uint32_t)(*p - '0');
			return n ? n : 1;
		}
	}
	return 200;
}

int main(void)
{
	uint32_t rounds = parse_rounds(fdt_chosen_string((const void *)boot_fdt, "bootargs"));
	uint32_t sum = 0;
	for (uint32_t r = 0; r < rounds; r++)
		sum ^= kernels_round(r * 7919u);
	print("bench: ");
	print_dec(rounds);
	print(" rounds, checksum ");
	print_hex(sum);
	print("\n");
	return 0;
}
