/* htif.c: the riscv-tests HTIF convention: tohost exit codes and proxied write syscalls. */
#include "mmio.h"

#include <string.h>

/*
 * Rules:
 *  1. Only a RAM write landing on the low word of tohost is looked at; the
 *     value examined is that whole word after the write.
 *  2. Odd value v: the run ends with exit code v >> 1 (0 = pass).
 *  3. Even non-zero value p: p points at magic_mem, 8 x uint64
 *     {which, arg0, arg1, arg2, ...}. The result goes to magic_mem[0], tohost
 *     is cleared and fromhost set to 1, as riscv-fesvr does.
 *  4. A syscall umbra cannot serve ends the run as a failure, with a message.
 */

#define HTIF_MAGIC_WORDS 8u
#define HTIF_EBADF       9u

int htif_init(struct htif *h, struct mem *ram, FILE *console, struct mmio_halt *halt,
	      bool has_tohost, uint32_t tohost, bool has_fromhost, uint32_t fromhost)
{
	memset(h, 0, sizeof(*h));
	h->tohost = HTIF_NO_ADDR;
	h->fromhost = HTIF_NO_ADDR;
	h->ram = ram;
	h->console = console;
	h->halt = halt;
	if (!ram || !console || !halt)
		return -EINVAL;
	if (has_tohost) {
		if ((tohost & 3u) || !mem_contains(ram, tohost, 4))
			return -ERANGE;
		h->tohost = tohost;
	}
	if (has_fromhost && has_tohost) {
		if ((fromhost & 3u) || !mem_contains(ram, fromhost, 4))
			return -ERANGE;
		h->fromhost = fromhost;
	}
	return 0;
}

int htif_check(const struct htif *h)
{
	if (!h->ram || !h->console || !h->halt)
		return -EINVAL;
	if (h->tohost != HTIF_NO_ADDR && ((h->tohost & 3u) || !mem_contains(h->ram, h->tohost, 4)))
		return -EINVAL;
	if (h->fromhost != HTIF_NO_ADDR &&
	    (h->tohost == HTIF_NO_ADDR || (h->fromhost & 3u) || !mem_contains(h->ram, h->fromhost, 4)))
		return -EINVAL;
	return 0;
}

/* Store a 64-bit HTIF slot; a 32-bit symbol at the very end of RAM gets its low word only. */
static void htif_write_slot(struct htif *h, uint32_t addr, uint64_t val)
{
	size_t len = mem_contains(h->ram, addr, 8) ? 8 : 4;

	mem_write_bytes(h->ram, addr, &val, len);
}

static int htif_sys_write(struct htif *h, const uint64_t *mm, uint64_t *ret)
{
	uint64_t fd = mm[1], buf = mm[2], len = mm[3];

	if (fd != 1 && fd != 2) {
		*ret = (uint64_t)-(int64_t)HTIF_EBADF;
		return 0;
	}
	if (buf > UINT32_MAX || !mem_contains(h->ram, (uint32_t)buf, len)) {
		mmio_set_halt(h->halt, MMIO_HALT_FAIL, 1,
			      "HTIF write(fd %llu, 0x%llx, %llu): buffer is outside RAM",
			      (unsigned long long)fd, (unsigned long long)buf,
			      (unsigned long long)len);
		return -EFAULT;
	}
	/* Guest stdout and stderr are both guest console output: umbra's stdout. */
	fwrite(h->ram->data + ((uint32_t)buf - h->ram->base), 1, (size_t)len, h->console);
	*ret = len;
	return 0;
}

void htif_handle_write(struct htif *h, uint32_t addr)
{
	uint64_t mm[HTIF_MAGIC_WORDS], ret = 0;
	uint32_t val;

	if (addr != h->tohost || mem_read_word(h->ram, addr, &val))
		return;
	if (val == 0)
		return;
	if (val & 1u) {
		if (val >> 1)
			mmio_set_halt(h->halt, MMIO_HALT_FAIL, val >> 1, NULL);
		else
			mmio_set_halt(h->halt, MMIO_HALT_PASS, 0, NULL);
		return;
	}
	h->syscalls++;
	if (mem_read_bytes(h->ram, val, mm, sizeof(mm))) {
		mmio_set_halt(h->halt, MMIO_HALT_FAIL, 1,
			      "HTIF: tohost 0x%08x points outside RAM (no magic_mem there)", val);
		return;
	}
	switch (mm[0]) {
	case HTIF_SYS_WRITE:
		if (htif_sys_write(h, mm, &ret))
			return;
		break;
	case HTIF_SYS_EXIT:
		if (mm[1])
			mmio_set_halt(h->halt, MMIO_HALT_FAIL, (uint32_t)mm[1] ? (uint32_t)mm[1] : 1u, NULL);
		else
			mmio_set_halt(h->halt, MMIO_HALT_PASS, 0, NULL);
		return;
	default:
		mmio_set_halt(h->halt, MMIO_HALT_FAIL, 1,
			      "HTIF: unsupported syscall %llu (magic_mem at 0x%08x); umbra serves write (64) and exit (93)",
			      (unsigned long long)mm[0], val);
		return;
	}
	/* Answer like riscv-fesvr: result into magic_mem[0], clear tohost, fromhost = 1. */
	htif_write_slot(h, val, ret);
	htif_write_slot(h, h->tohost, 0);
	if (h->fromhost != HTIF_NO_ADDR)
		htif_write_slot(h, h->fromhost, 1);
}
