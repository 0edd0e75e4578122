/* mmio.c: the mmio-port bus: decodes an address to a device model, answers err where nothing is. */
#include "mmio.h"

#include <stdarg.h>
#include <string.h>

/*
 * Rules:
 *  1. Device windows do not overlap; an address outside all of them answers err,
 *     exactly where QEMU's virt machine raises an access fault.
 *  2. irq_lines is recomputed after every access, so it always matches the
 *     devices' interrupt outputs.
 */

void mmio_set_halt(struct mmio_halt *h, enum mmio_halt_kind kind, uint32_t code,
		   const char *why, ...)
{
	va_list ap;

	if (h->kind != MMIO_RUNNING || kind == MMIO_RUNNING)
		return;
	h->kind = kind;
	h->code = code;
	h->why[0] = '\0';
	if (why) {
		va_start(ap, why);
		vsnprintf(h->why, sizeof(h->why), why, ap);
		va_end(ap);
	}
}

int mmio_init(struct mmio *b, FILE *console, struct mmio_halt *halt, uint32_t entry,
	      uint32_t fdt_addr)
{
	if (!console || !halt)
		return -EINVAL;
	memset(b, 0, sizeof(*b));
	b->halt = halt;
	uart_init(&b->uart, console);
	b->finisher.halt = halt;
	bootrom_init(&b->rom, entry, fdt_addr);
	return 0;
}

int mmio_check(const struct mmio *b)
{
	if (!b->halt || b->finisher.halt != b->halt)
		return -EINVAL;
	if (uart_check(&b->uart))
		return -EINVAL;
	if (b->irq_lines & 1u)   /* source 0 does not exist */
		return -EINVAL;
	if (((b->irq_lines >> UART_IRQ) & 1u) != (uart_irq_level(&b->uart) ? 1u : 0u))
		return -EINVAL;
	if (((b->irq_lines >> VIRTIO_IRQ(VIRTIO_BLK_SLOT)) & 1u) !=
	    (b->blk && virtio_blk_irq_level(b->blk) ? 1u : 0u))
		return -EINVAL;
	if (b->blk && virtio_blk_check(b->blk))
		return -EINVAL;
	return 0;
}

static void update_blk_irq(struct mmio *b)
{
	uint32_t bit = 1u << VIRTIO_IRQ(VIRTIO_BLK_SLOT);

	b->irq_lines = (b->irq_lines & ~bit) | (b->blk && virtio_blk_irq_level(b->blk) ? bit : 0u);
}

void mmio_attach_blk(struct mmio *b, struct virtio_blk *blk)
{
	b->blk = blk;
	update_blk_irq(b);
}

void mmio_advance_blk(struct mmio *b, uint64_t cycle)
{
	virtio_blk_advance(b->blk, cycle);
	update_blk_irq(b);
}

static int virtio_slot_of(uint32_t addr, uint32_t *slot, uint32_t *off)
{
	uint32_t rel = addr - VIRTIO_BASE;

	if (rel >= VIRTIO_SLOTS * VIRTIO_STRIDE)
		return -EFAULT;
	*slot = rel / VIRTIO_STRIDE;
	*off = rel % VIRTIO_STRIDE;
	return *off < VIRTIO_REG_SIZE ? 0 : -EFAULT;
}

int mmio_access_word(struct mmio *b, uint32_t addr, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata)
{
	uint32_t slot, off;
	int rc;

	*rdata = 0;
	addr &= ~3u;
	if (!we && (be & 0xfu) == 0)
		be = 0xfu;
	b->accesses++;

	if (addr - UART_BASE < UART_SIZE) {
		rc = uart_access_word(&b->uart, addr - UART_BASE, we, be, wdata, rdata);
		b->irq_lines = (b->irq_lines & ~(1u << UART_IRQ)) |
			       ((uart_irq_level(&b->uart) ? 1u : 0u) << UART_IRQ);
	} else if (virtio_slot_of(addr, &slot, &off) == 0) {
		if (slot == VIRTIO_BLK_SLOT && b->blk) {
			rc = virtio_blk_access_word(b->blk, off, we, be, wdata, rdata);
			update_blk_irq(b);
		} else {
			rc = virtio_empty_access_word(slot, off, we, be, wdata, rdata);
		}
	} else if (addr - FINISHER_BASE < FINISHER_SIZE) {
		rc = finisher_access_word(&b->finisher, addr - FINISHER_BASE, we, be, wdata, rdata);
	} else if (addr - BOOTROM_BASE < BOOTROM_SIZE) {
		rc = bootrom_access_word(&b->rom, addr - BOOTROM_BASE, we, be, wdata, rdata);
	} else {
		rc = -EFAULT;
	}
	if (rc)
		b->errors++;
	return rc;
}
