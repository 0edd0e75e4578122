/* hello.c: the `make run` demo: shows the boot contract (hart id, FDT,
 * bootargs), runs the compute kernels and prints what it cost. */
#include "fdt_chosen.h"
#include "kernels.h"
#include "test.h"


static uint32_t arg_rounds(const char *args)
{
	/* "rounds=N" anywhere in the bootargs; default 4 */
	for (const char *p = args; p && *p; p++) {
		const char *k = "rounds=";
		const char *q = p;
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
	return 4;
}

int main(void)
{
	const char *args = fdt_chosen_string((const void *)boot_fdt, "bootargs");
	uint32_t rounds = arg_rounds(args);

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
