/* fdt_lite.h: the few flattened-device-tree operations the hypervisor and the guest need (read a property, build a small tree). */
#ifndef HV_FDT_LITE_H
#define HV_FDT_LITE_H

#include <stdint.h>

/*
 * Returns the value of property prop of the first node whose name (up to '@') is node at
 * depth 1 ("chosen", "memory"), or 0; *len gets its length. fdt may be anything: the walk
 * stops at the first inconsistency.
 */
const void *fdt_lite_prop(const void *fdt, const char *node, const char *prop, uint32_t *len);

/* The string /chosen/bootargs, or 0. */
const char *fdt_lite_bootargs(const void *fdt);

/* The first /memory reg (1+1 or 2+2 cells, below 4 GiB) in *base, *size: 0, or -1. */
int fdt_lite_memory(const void *fdt, uint32_t *base, uint32_t *size);

/*
 * Builds the guest's device tree in buf (cap bytes): root (#address-cells = #size-cells = 1,
 * compatible "umbra,guest"), /chosen/bootargs, /memory@base reg. Returns its size, or 0 if
 * it does not fit.
 */
uint32_t fdt_lite_build(void *buf, uint32_t cap, const char *bootargs, uint32_t mem_base, uint32_t mem_size);

/* Bootargs: the value of key in "k1=v1 k2=v2 ..." copied to val (cap bytes): 0, -1 if absent, -2 if too long for cap. */
int bootarg_get(const char *args, const char *key, char *val, uint32_t cap);
/* The same as a decimal number: 0, -1 absent, -2 not a number. */
int bootarg_get_u32(const char *args, const char *key, uint32_t *val);

#endif
