/* uart.c: NS16550A model (transmit side, QEMU-compatible registers and THR-empty interrupt). */
#include "mmio.h"

#include <string.h>

/*
 * Rules:
 *  1. Transmission is instantaneous: LSR always reads THRE|TEMT, so the THR is
 *     empty again right after each write.
 *  2. The THR-empty interrupt is pending after a THR write or after IER.ETBEI
 *     goes 0->1, and is cleared by a THR write or by an IIR read that reports
 *     it (16550 datasheet, QEMU hw/char/serial.c). The IRQ line is
 *     IER.ETBEI && thr_ipending; there is no receiver, so nothing else raises it.
 *  3. Registers are byte wide; a word access touches each enabled byte lane
 *     as the register at that offset, lowest lane first.
 */

#define UART_RBR_THR_DLL  0u
#define UART_IER_DLM      1u
#define UART_IIR_FCR      2u
#define UART_LCR          3u
#define UART_MCR          4u
#define UART_LSR          5u
#define UART_MSR          6u
#define UART_SCR          7u

#define UART_IER_ETBEI    0x02u
#define UART_IER_MASK     0x0fu
#define UART_IIR_NO_INT   0x01u
#define UART_IIR_THRI     0x02u
#define UART_IIR_FIFO     0xc0u
#define UART_FCR_FIFO_EN  0x01u
#define UART_LCR_DLAB     0x80u
#define UART_LSR_THRE     0x20u
#define UART_LSR_TEMT     0x40u
#define UART_MCR_MASK     0x1fu
#define UART_MSR_IDLE     0xb0u   /* DCD | DSR | CTS, as QEMU reports without loopback */

_Static_assert((UART_LSR_THRE & UART_LSR_TEMT) == 0, "LSR bits overlap");
_Static_assert((UART_IIR_FIFO & (UART_IIR_THRI | UART_IIR_NO_INT)) == 0, "IIR bits overlap");

void uart_init(struct uart *u, FILE *console)
{
	memset(u, 0, sizeof(*u));
	u->console = console;
}

int uart_check(const struct uart *u)
{
	if (!u->console)
		return -EINVAL;
	if (u->ier & ~UART_IER_MASK)
		return -EINVAL;
	if (u->mcr & ~UART_MCR_MASK)
		return -EINVAL;
	return 0;
}

bool uart_irq_level(const struct uart *u)
{
	return (u->ier & UART_IER_ETBEI) && u->thr_ipending;
}

static uint8_t uart_iir(const struct uart *u)
{
	uint8_t fifo = (u->fcr & UART_FCR_FIFO_EN) ? UART_IIR_FIFO : 0u;

	return (uint8_t)(fifo | (uart_irq_level(u) ? UART_IIR_THRI : UART_IIR_NO_INT));
}

uint8_t uart_read_reg(struct uart *u, uint32_t off)
{
	uint8_t iir;

	switch (off) {
	case UART_RBR_THR_DLL:
		return (u->lcr & UART_LCR_DLAB) ? u->dll : 0u;  /* no receiver: RBR reads 0 */
	case UART_IER_DLM:
		return (u->lcr & UART_LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR_FCR:
		iir = uart_iir(u);
		if ((iir & 0x0fu) == UART_IIR_THRI)
			u->thr_ipending = false;
		return iir;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return UART_LSR_THRE | UART_LSR_TEMT;
	case UART_MSR:
		return UART_MSR_IDLE;
	case UART_SCR:
		return u->scr;
	default:
		return 0u;
	}
}

void uart_write_reg(struct uart *u, uint32_t off, uint8_t val)
{
	uint8_t old_ier;

	switch (off) {
	case UART_RBR_THR_DLL:
		if (u->lcr & UART_LCR_DLAB) {
			u->dll = val;
			break;
		}
		putc(val, u->console);
		u->tx_bytes++;
		u->thr_ipending = true;   /* the byte left at once: THR empty again */
		break;
	case UART_IER_DLM:
		if (u->lcr & UART_LCR_DLAB) {
			u->dlm = val;
			break;
		}
		old_ier = u->ier;
		u->ier = val & UART_IER_MASK;
		if (!(old_ier & UART_IER_ETBEI) && (u->ier & UART_IER_ETBEI))
			u->thr_ipending = true;
		break;
	case UART_IIR_FCR:
		u->fcr = val;
		break;
	case UART_LCR:
		u->lcr = val;
		break;
	case UART_MCR:
		u->mcr = val & UART_MCR_MASK;
		break;
	case UART_SCR:
		u->scr = val;
		break;
	default:   /* LSR and MSR are read-only */
		break;
	}
}

int uart_access_word(struct uart *u, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata)
{
	uint32_t lane, val = 0;

	if (off >= UART_SIZE || (off & 3u))
		return -EFAULT;
	for (lane = 0; lane < 4u; lane++) {
		if (!(be & (1u << lane)))
			continue;
		if (we)
			uart_write_reg(u, off + lane, (uint8_t)(wdata >> (8u * lane)));
		else
			val |= (uint32_t)uart_read_reg(u, off + lane) << (8u * lane);
	}
	*rdata = val;
	return 0;
}
