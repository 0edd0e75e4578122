/* hv_csr.h: CSR access by name for the hypervisor (target only). */
#ifndef HV_CSR_H
#define HV_CSR_H

#include <stdint.h>

#define csr_read(csr)                                                                              \
	({                                                                                         \
		uint32_t csr_v_;                                                                   \
		__asm__ volatile("csrr %0, " #csr : "=r"(csr_v_) : : "memory");                    \
		csr_v_;                                                                            \
	})
#define csr_write(csr, val) ({ __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })
#define csr_set(csr, val) ({ __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })
#define csr_clear(csr, val) ({ __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(val)) : "memory"); })

#endif
