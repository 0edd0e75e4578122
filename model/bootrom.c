/* bootrom.c: the reset-vector ROM at 0x1000 (QEMU virt's role): a0 = hartid, a1 = FDT, jump to entry. */
#include "mmio.h"

#include <string.h>

#define RV_OP_AUIPC   0x17u
#define RV_OP_LOAD    0x03u
#define RV_OP_JALR    0x67u
#define RV_OP_SYSTEM  0x73u
#define RV_F3_LW      2u
#define RV_F3_CSRRS   2u
#define RV_CSR_MHARTID 0xf14u
#define RV_X0 0u
#define RV_T0 5u
#define RV_A0 10u
#define RV_A1 11u

static uint32_t rv_itype(uint32_t op, uint32_t rd, uint32_t f3, uint32_t rs1, uint32_t imm)
{
	return ((imm & 0xfffu) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t rv_utype(uint32_t op, uint32_t rd, uint32_t imm20)
{
	return (imm20 << 12) | (rd << 7) | op;
}

void bootrom_init(struct bootrom *r, uint32_t entry, uint32_t fdt_addr)
{
	memset(r, 0, sizeof(*r));
	r->words[0] = rv_utype(RV_OP_AUIPC, RV_T0, 0);                                /* auipc t0, 0 */
	r->words[1] = rv_itype(RV_OP_SYSTEM, RV_A0, RV_F3_CSRRS, RV_X0, RV_CSR_MHARTID); /* csrr a0, mhartid */
	r->words[2] = rv_itype(RV_OP_LOAD, RV_A1, RV_F3_LW, RV_T0, BOOTROM_FDT_OFF);   /* lw a1, fdt(t0) */
	r->words[3] = rv_itype(RV_OP_LOAD, RV_T0, RV_F3_LW, RV_T0, BOOTROM_ENTRY_OFF); /* lw t0, entry(t0) */
	r->words[4] = rv_itype(RV_OP_JALR, RV_X0, 0, RV_T0, 0);                       /* jr t0 */
	r->words[BOOTROM_ENTRY_OFF / 4u] = entry;
	r->words[BOOTROM_FDT_OFF / 4u] = fdt_addr;
}

int bootrom_access_word(const struct bootrom *r, uint32_t off, bool we, uint32_t be,
			uint32_t wdata, uint32_t *rdata)
{
	(void)be;
	(void)wdata;
	*rdata = 0;
	if (off >= BOOTROM_SIZE)
		return -EFAULT;
	if (we)
		return 0;   /* ROM: writes are dropped, as on QEMU */
	return bootrom_read_word(r, BOOTROM_BASE + off, rdata);
}
