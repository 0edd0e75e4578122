/* iss_fixture.h: the little machine the ISS unit tests run on: 4 MiB of RAM at 0x80000000, a bus whose console goes nowhere, one hart. */
#ifndef UMBRA_ISS_FIXTURE_H
#define UMBRA_ISS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "iss.h"

struct iss_machine {
	FILE *console;
	struct mmio_halt halt;
	struct mmio bus;
	struct mem ram;
};

struct iss_fixture {
	struct iss_machine m;
	struct iss s;
};

/* RAM and bus (boot ROM jumping to entry); 0 or -1. */
static inline int iss_machine_init(struct iss_machine *m, uint32_t entry)
{
	if (mem_init_ram(&m->ram, MEM_RAM_BASE, 4 * MEM_MIB))
		return -1;
	m->console = fopen("/dev/null", "w");
	if (!m->console || mmio_init(&m->bus, m->console, &m->halt, entry, 0))
		return -1;
	return 0;
}

static inline void iss_machine_free(struct iss_machine *m)
{
	if (m->console)
		fclose(m->console);
	mem_free_ram(&m->ram);
}

/* A fixture with the hart at reset (mtime_div 10); NULL on failure. */
static inline struct iss_fixture *iss_fixture_new(void)
{
	struct iss_fixture *fx = calloc(1, sizeof(*fx));

	if (!fx || iss_machine_init(&fx->m, MEM_RAM_BASE)) {
		free(fx);
		return NULL;
	}
	iss_init(&fx->s, &fx->m.ram, &fx->m.bus, NULL, 10);
	return fx;
}

/* cmocka teardown for a fixture in *state. */
static inline int iss_fixture_teardown(void **state)
{
	struct iss_fixture *fx = *state;

	iss_machine_free(&fx->m);
	free(fx);
	return 0;
}

/* Word access to the fixture's RAM behind the hart's back (as a loader or DMA would). */
#define FX_PUT(fx, addr, val) assert_int_equal(mem_write_word(&(fx)->m.ram, (addr), 0xf, (val)), 0)

static inline uint32_t fx_get(struct iss_fixture *fx, uint32_t addr)
{
	uint32_t v = 0;

	if (mem_read_word(&fx->m.ram, addr, &v))
		return 0xdeadbeefu;
	return v;
}

#endif /* UMBRA_ISS_FIXTURE_H */
