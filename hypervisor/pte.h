/* pte.h: Sv32 page-table entry layout, the shadow-only bits, and the gva/gpa field helpers. */
#ifndef HV_PTE_H
#define HV_PTE_H

#include <stdint.h>

/* Architectural Sv32 PTE bits (privileged spec 4.3.1). */
#define PTE_V 0x001u
#define PTE_R 0x002u
#define PTE_W 0x004u
#define PTE_X 0x008u
#define PTE_U 0x010u
#define PTE_G 0x020u
#define PTE_A 0x040u
#define PTE_D 0x080u
/* RSW bit 8 is T, the GWB traced bit, in sptes (SPEC §3); guests leave RSW alone. */
#define PTE_T 0x100u
/* RSW bit 9, shadow-only: the gpte behind this spte allows writes (W=1 and D=1). */
#define SPTE_GW 0x200u
#define PTE_PPN_MASK 0xfffffc00u
#define PTE_PPN_SHIFT 10
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_PERM (PTE_R | PTE_W | PTE_X | PTE_U)

_Static_assert((PTE_V & PTE_R & PTE_W & PTE_X & PTE_U & PTE_G & PTE_A & PTE_D) == 0, "PTE flags overlap");
_Static_assert(((PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D) & (PTE_T | SPTE_GW)) == 0,
	       "shadow bits overlap architectural flags");
_Static_assert(((PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_G | PTE_A | PTE_D | PTE_T | SPTE_GW) &
		PTE_PPN_MASK) == 0, "flags overlap the PPN");
_Static_assert((PTE_T & SPTE_GW) == 0, "T and GW overlap");

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096u
#define PTES_PER_TABLE 1024u
#define MEGA_PAGES 1024u /* 4 KiB pages in one 4 MiB megapage */

#define SATP_SV32 0x80000000u
#define SATP_PPN_MASK 0x003fffffu

static inline uint32_t va_vpn1(uint32_t va) { return va >> 22; }
static inline uint32_t va_vpn0(uint32_t va) { return (va >> 12) & 0x3ffu; }
static inline uint32_t pte_ppn(uint32_t pte) { return pte >> PTE_PPN_SHIFT; }
static inline uint32_t pte_from_ppn(uint32_t ppn) { return ppn << PTE_PPN_SHIFT; }
static inline int pte_is_leaf(uint32_t pte) { return (pte & PTE_RWX) != 0; }
/* Valid and not the reserved W-without-R encoding. */
static inline int pte_is_valid(uint32_t pte) { return (pte & PTE_V) && !((pte & PTE_W) && !(pte & PTE_R)); }

#endif
