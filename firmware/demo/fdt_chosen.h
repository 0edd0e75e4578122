/* fdt_chosen.h: read-only lookup of /chosen properties in a flattened device tree. */
#ifndef FDT_CHOSEN_H
#define FDT_CHOSEN_H
#include <stdint.h>

/* Returns the value of /chosen/<name> (a NUL-terminated string property) in
 * the FDT at fdt, or 0 if the blob is not an FDT or has no such property. */
const char *fdt_chosen_string(const void *fdt, const char *name);

#endif
