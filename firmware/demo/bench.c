/* bench.c: the long compute-bound program of `make bench`: kernel rounds
 * (bootarg rounds=N, default 200) with no page-table or I/O activity. */
#include "fdt_lite.h"
#include "kernels.h"
#include "test.h"


int main(void)
{
	uint32_t rounds = kernels_rounds(fdt_lite_bootargs((const void *)boot_fdt), 200);
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
