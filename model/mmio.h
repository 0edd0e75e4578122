/* mmio.h: the C side of the umbra-virt bus: address map, device models and the run's halt request. */
#ifndef UMBRA_MMIO_H
#define UMBRA_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mem.h"
#include "virtio_blk.h"

/* Address map of the devices modelled in C (docs/interfaces.md, SPEC §1). */
#define BOOTROM_BASE     0x00001000u
#define BOOTROM_SIZE     0x0000f000u  /* QEMU virt's mrom: 0x1000..0xffff */
#define FINISHER_BASE    0x00100000u
#define FINISHER_SIZE    0x00001000u
#define UART_BASE        0x10000000u
#define UART_SIZE        0x00000008u  /* 8 byte registers; the FDT advertises 0x100 like QEMU */
#define UART_FDT_SIZE    0x00000100u
#define UART_IRQ         10u
#define UART_CLOCK_HZ    3686400u
#define VIRTIO_BASE      0x10001000u
#define VIRTIO_STRIDE    0x00001000u
#define VIRTIO_SLOTS     8u
#define VIRTIO_REG_SIZE  0x00000200u  /* QEMU decodes 0x200 bytes of each 0x1000 slot */
#define VIRTIO_IRQ(i)    (1u + (i))
#define VIRTIO_BLK_SLOT  7u           /* the timed disk (SPEC §4): 0x1000_8000, IRQ 8 */

/* Finisher command words (SiFive test device, low 16 bits of the written word). */
#define FINISHER_FAIL    0x3333u
#define FINISHER_PASS    0x5555u
#define FINISHER_RESET   0x7777u

/* virtio-mmio register offsets and identity values answered by empty slots. */
#define VIRTIO_MMIO_MAGIC_VALUE  0x000u
#define VIRTIO_MMIO_VERSION      0x004u
#define VIRTIO_MMIO_DEVICE_ID    0x008u
#define VIRTIO_MMIO_VENDOR_ID    0x00cu
#define VIRTIO_MAGIC             0x74726976u  /* "virt" */
#define VIRTIO_VERSION_MODERN    2u
#define VIRTIO_VENDOR_QEMU       0x554d4551u  /* "QEMU" */

/* Why and how the run must stop; the first request wins. */
enum mmio_halt_kind {
	MMIO_RUNNING = 0,
	MMIO_HALT_PASS,
	MMIO_HALT_FAIL,
};

struct mmio_halt {
	enum mmio_halt_kind kind;
	uint32_t code;      /* guest exit code (0 for pass) */
	char why[256];      /* one line for stderr, empty for an ordinary pass/fail */
	const char *reason; /* a failure not the guest's (e.g. "lockstep"): on the final line */
};

/* Ask the run to stop. Later requests are ignored. why may be NULL. */
void mmio_set_halt(struct mmio_halt *h, enum mmio_halt_kind kind, uint32_t code,
		   const char *why, ...) __attribute__((format(printf, 4, 5)));

/* NS16550A, registers at byte offsets 0..7 (reg-shift 0). */
struct uart {
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
	bool thr_ipending;   /* THR-empty interrupt pending (cleared by IIR read or THR write) */
	FILE *console;
	uint64_t tx_bytes;
};

void uart_init(struct uart *u, FILE *console);
int uart_check(const struct uart *u);
bool uart_irq_level(const struct uart *u);
uint8_t uart_read_reg(struct uart *u, uint32_t off);
void uart_write_reg(struct uart *u, uint32_t off, uint8_t val);

/* SiFive test finisher. */
struct finisher {
	struct mmio_halt *halt;
};

/* Boot ROM at 0x1000: QEMU-style reset vector, then data words entry and FDT address. */
#define BOOTROM_WORDS        8u
#define BOOTROM_ENTRY_OFF    0x14u
#define BOOTROM_FDT_OFF      0x18u

struct bootrom {
	uint32_t words[BOOTROM_WORDS];
};

void bootrom_init(struct bootrom *r, uint32_t entry, uint32_t fdt_addr);

/* Read the ROM word at addr (bits [1:0] ignored); -EFAULT outside the ROM region. */
static inline int bootrom_read_word(const struct bootrom *r, uint32_t addr, uint32_t *val)
{
	uint32_t off = (addr & ~3u) - BOOTROM_BASE;

	if (off >= BOOTROM_SIZE)
		return -EFAULT;
	*val = off / 4u < BOOTROM_WORDS ? r->words[off / 4u] : 0u;
	return 0;
}

/* HTIF tohost/fromhost, enabled when the ELF has a tohost symbol. */
#define HTIF_SYS_WRITE  64u
#define HTIF_SYS_EXIT   93u
#define HTIF_NO_ADDR    1u   /* never equals a word-aligned request address */

struct htif {
	uint32_t tohost;    /* word address of tohost, or HTIF_NO_ADDR */
	uint32_t fromhost;  /* word address of fromhost, or HTIF_NO_ADDR */
	struct mem *ram;
	FILE *console;
	struct mmio_halt *halt;
	uint64_t syscalls;
};

int htif_init(struct htif *h, struct mem *ram, FILE *console, struct mmio_halt *halt,
	      bool has_tohost, uint32_t tohost, bool has_fromhost, uint32_t fromhost);

int htif_check(const struct htif *h);

/* Handle a RAM write that has just landed at addr; cheap when addr is not tohost. */
void htif_handle_write(struct htif *h, uint32_t addr);

static inline void htif_notice_write(struct htif *h, uint32_t addr)
{
	if (addr == h->tohost)
		htif_handle_write(h, addr);
}

/* The bus behind the SoC's mmio port. */
struct mmio {
	struct uart uart;
	struct finisher finisher;
	struct bootrom rom;
	struct mmio_halt *halt;
	struct virtio_blk *blk;   /* the disk in slot VIRTIO_BLK_SLOT, or NULL (an empty slot) */
	uint32_t irq_lines;   /* level of each PLIC source, bit i = source i */
	uint64_t accesses;
	uint64_t errors;
};

int mmio_init(struct mmio *b, FILE *console, struct mmio_halt *halt, uint32_t entry,
	      uint32_t fdt_addr);
int mmio_check(const struct mmio *b);

/*
 * One word access from the mmio port: addr word aligned, be the byte lanes
 * (a read with be 0 reads all four). Returns 0, or -EFAULT when nothing
 * answers at addr (the core raises an access fault).
 */
int mmio_access_word(struct mmio *b, uint32_t addr, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata);

/* Put the disk (or NULL) in slot VIRTIO_BLK_SLOT; the caller keeps it. */
void mmio_attach_blk(struct mmio *b, struct virtio_blk *blk);

/* Slow path of mmio_tick: advance the disk and refresh its interrupt line. */
void mmio_advance_blk(struct mmio *b, uint64_t cycle);

/* Advance timed devices to cycle, after the cycle's mmio access; cheap when nothing is due. */
static inline void mmio_tick(struct mmio *b, uint64_t cycle)
{
	if (b->blk && cycle >= b->blk->next_event)
		mmio_advance_blk(b, cycle);
}

/* Per-device word handlers, called by mmio_access_word with the offset in the device. */
int uart_access_word(struct uart *u, uint32_t off, bool we, uint32_t be, uint32_t wdata,
		     uint32_t *rdata);
int finisher_access_word(struct finisher *f, uint32_t off, bool we, uint32_t be,
			 uint32_t wdata, uint32_t *rdata);
int bootrom_access_word(const struct bootrom *r, uint32_t off, bool we, uint32_t be,
			uint32_t wdata, uint32_t *rdata);
int virtio_empty_access_word(uint32_t slot, uint32_t off, bool we, uint32_t be,
			     uint32_t wdata, uint32_t *rdata);

#endif /* UMBRA_MMIO_H */
