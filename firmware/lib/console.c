/* console.c: UART output, signatures and the SiFive test finisher. */
#include "test.h"

void uart_putc(char c)
{
	while (!(mmio_read8(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	mmio_write8(UART_BASE + UART_THR, (uint8_t)c);
}

void print(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void print_hex_digits(uint32_t v)
{
	for (int i = 28; i >= 0; i -= 4)
		uart_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

void print_hex(uint32_t v)
{
	print("0x");
	print_hex_digits(v);
}

void print_dec(uint32_t v)
{
	char buf[11];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		uart_putc(buf[--n]);
}

void sig(uint32_t case_no, uint32_t value)
{
	print("sig ");
	print_dec(case_no);
	uart_putc(' ');
	print_hex_digits(value);
	uart_putc('\n');
}

void test_pass(void)
{
	mmio_write32(FINISHER_BASE, FINISHER_PASS);
	for (;;)
		;
}

void test_fail(uint32_t code)
{
	code &= 0xffffu;
	if (code == 0)
		code = 1; /* 0 would read as a pass */
	mmio_write32(FINISHER_BASE, (code << 16) | FINISHER_FAIL);
	for (;;)
		;
}

void test_check_failed(uint32_t case_no, const char *expr, uint32_t got, uint32_t want,
		       const char *file, int line)
{
	print("FAIL case ");
	print_dec(case_no);
	print(": ");
	print(expr);
	print(" got ");
	print_hex(got);
	print(" want ");
	print_hex(want);
	print(" (");
	print(file);
	print(":");
	print_dec((uint32_t)line);
	print(")\n");
	test_fail(case_no);
}
