/* finisher.c: SiFive test finisher at 0x0010_0000: pass, fail with a code, or reset (= fail here). */
#include "mmio.h"

int finisher_access_word(struct finisher *f, uint32_t off, bool we, uint32_t be,
			 uint32_t wdata, uint32_t *rdata)
{
	uint32_t cmd, code;

	*rdata = 0;   /* QEMU's sifive_test reads as zero */
	if (off >= FINISHER_SIZE)
		return -EFAULT;
	if (!we || off != 0)
		return 0;
	if ((be & 0xfu) != 0xfu) {
		/* QEMU only decodes 32-bit writes; a partial one does nothing there either. */
		return 0;
	}
	cmd = wdata & 0xffffu;
	code = wdata >> 16;
	switch (cmd) {
	case FINISHER_PASS:
		mmio_set_halt(f->halt, MMIO_HALT_PASS, 0, NULL);
		break;
	case FINISHER_FAIL:
		if (code == 0)
			mmio_set_halt(f->halt, MMIO_HALT_FAIL, 1,
				      "guest signalled failure with code 0 (0x00003333); reporting exit 1");
		else
			mmio_set_halt(f->halt, MMIO_HALT_FAIL, code, NULL);
		break;
	case FINISHER_RESET:
		mmio_set_halt(f->halt, MMIO_HALT_FAIL, 1,
			      "guest asked for a reset through the test finisher (0x%08x); "
			      "umbra does not reset, so this counts as a failure", wdata);
		break;
	default:
		/* QEMU logs a guest error and carries on; so does umbra. */
		break;
	}
	return 0;
}
