/* hello.c: the `make run` demo: shows the boot contract (hart id, FDT,
 * bootargs), runs the compute kernels and prints what it cost. */
#include "fdt_lite.h"
#include "kernels.h"
#include "test.h"



int main(void)
{
	const char *args = fdt_lite_bootargs((const void *)boot_fdt);
	uint32_t rounds = kernels_rounds(args, 4);

	print("umbra demo: hart ");
	print_dec(boot_hartid);
	print(", device tree at ");
	print_hex(boot_fdt);
	print("\n  bootargs: \"");
	print(args ? args : "(none)");
	print("\"\n  running ");
	print_dec(rounds);
	print(" rounds of matmul + crc32 + sort + divide...\n");

	uint32_t c0 = csr_read(mcycle), i0 = csr_read(minstret);
	uint32_t sum = 0;
	for (uint32_t r = 0; r < rounds; r++)
		sum ^= kernels_round(r * 7919u);
	uint32_t c1 = csr_read(mcycle), i1 = csr_read(minstret);

	print("  checksum ");
	print_hex(sum);
	print("\n  ");
	print_dec(i1 - i0);
	print(" instructions in ");
	print_dec(c1 - c0);
	print(" cycles\n");
	return 0;
}
