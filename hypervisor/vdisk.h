/* vdisk.h: the virtual legacy disk of docs/io.md §1 and its completion delivery (irq=, safepoint=). */
#ifndef HV_VDISK_H
#define HV_VDISK_H

#include <stdint.h>

#include "iolog.h"

#define VDISK_GPA 0x1000f000u
#define VDISK_SIZE 0x1000u

/* registers (byte offsets in the page) */
#define VDISK_MAGIC 0x00u
#define VDISK_CAPACITY 0x04u
#define VDISK_LBA 0x08u
#define VDISK_COUNT 0x0cu
#define VDISK_DMA 0x10u
#define VDISK_COMMAND 0x14u
#define VDISK_STATUS 0x18u
#define VDISK_ERROR 0x1cu
#define VDISK_ACK 0x20u
#define VDISK_SEQ 0x24u

#define VDISK_MAGIC_VALUE 0x4b53444cu /* "LDSK" */
#define VDISK_CMD_READ 1u
#define VDISK_CMD_WRITE 2u
#define VDISK_CMD_FLUSH 3u
#define VDISK_ST_IDLE 0u
#define VDISK_ST_BUSY 1u
#define VDISK_ST_DONE 2u
#define VDISK_ST_ERROR 3u
#define VDISK_ERR_LBA 1u
#define VDISK_ERR_COUNT 2u
#define VDISK_ERR_DMA 3u
#define VDISK_ERR_BUSY 4u
#define VDISK_ERR_CMD 5u
#define VDISK_ERR_HOST 6u
#define VDISK_MAX_COUNT 128u

/* The options of docs/io.md §2. */
struct vdisk_cfg {
	enum io_policy policy;
	uint32_t safepoints; /* IO_SP_IDLE | IO_SP_POLL */
	uint32_t dseek, drot, dxfer;
};

/* Finds the host virtio-blk (none: CAPACITY reads 0), enables its PLIC interrupt for M-mode. */
void vdisk_init(const struct vdisk_cfg *cfg, uint32_t dma_lo, uint32_t dma_hi, uint32_t guest_offset);
/* An aligned 32-bit guest access at offset off of the page: *val is read or written. */
void vdisk_mmio(uint32_t off, int store, uint32_t *val, uint64_t now);
/*
 * Services the host disk (claim, reap, deliver or queue); idle: the guest sits in WFI (a
 * safepoint). seen: the trap-entry cycle of the host interrupt, or 0 when polled inline
 * (then the cycle of the reap).
 */
void vdisk_host_service(uint64_t seen, int idle);
/* The guest is idle (WFI): with safepoint=idle under irq=mature, every queued completion goes now. */
void vdisk_idle(void);
/* Delivers what has matured by now (the maturity timer). */
void vdisk_timer(uint64_t now);
/* The earliest maturity still queued (mcycle), or MATQ_NONE. */
uint64_t vdisk_next_maturity(void);
/* One console line of the io.* figures (with the hypervisor's summary), if the disk was used. */
void vdisk_summary(void);
/* The device's and the queue's invariants: 0, or a negative case number. */
int vdisk_check(void);

extern struct umbra_iolog umbra_iolog;

#endif
