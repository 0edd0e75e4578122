/* sim.h: extern "C" interface between the Verilator main (umbra_main.cpp) and the C co-simulation driver. */
#ifndef UMBRA_SIM_H
#define UMBRA_SIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Cycles with rst_ni = 0 before the first counted cycle. */
#define SIM_RESET_CYCLES 4u

/* Process exit statuses that are not the guest's own code. */
#define SIM_EXIT_BAD_INPUT 2
#define SIM_EXIT_TIMEOUT   124
#define SIM_EXIT_SIGNAL    130
#define SIM_EXIT_LOCKSTEP  125   /* the final line says FAIL ... reason=lockstep */
#define SIM_EXIT_IOCHECK   126   /* FAIL ... reason=iocheck (docs/io.md §4) */

/* sim_open() result besides 0 and negative errnos: nothing to simulate (--help), exit 0. */
#define SIM_OPEN_DONE 1

/*
 * Values driven onto the SoC's inputs before a rising edge (umbra_soc.sv
 * ports without _i). The SoC registers every input but rst_ni at that edge,
 * so they are what it sees during the next cycle.
 */
struct sim_in {
	uint8_t rst_n;
	uint8_t trace;            /* this cycle belongs to the waveform */

	uint8_t imem_req_ready;
	uint8_t imem_rsp_valid;
	uint8_t imem_rsp_err;
	uint32_t imem_rsp_rdata;

	uint8_t dmem_req_ready;
	uint8_t dmem_rsp_valid;
	uint8_t dmem_rsp_err;
	uint32_t dmem_rsp_rdata;

	uint8_t mmio_req_ready;
	uint8_t mmio_rsp_valid;
	uint8_t mmio_rsp_err;
	uint32_t mmio_rsp_rdata;

	uint32_t irq_src;
	uint16_t mtime_div;
	uint8_t fault_kind;       /* --inject-fault (OPTS_FAULT_*) */
	uint64_t fault_order;
};

/* The SoC's outputs during a cycle (ports without _o); they depend on its state only. */
struct sim_out {
	uint8_t imem_req_valid;
	uint32_t imem_req_addr;

	uint8_t dmem_req_valid;
	uint8_t dmem_req_we;
	uint8_t dmem_req_be;
	uint32_t dmem_req_addr;
	uint32_t dmem_req_wdata;

	uint8_t mmio_req_valid;
	uint8_t mmio_req_we;
	uint8_t mmio_req_be;
	uint32_t mmio_req_addr;
	uint32_t mmio_req_wdata;

	/* rvfi_* fields other than rvfi_valid are meaningful only when it is 1. */
	uint8_t rvfi_valid;
	uint8_t rvfi_trap;
	uint8_t rvfi_intr;
	uint8_t rvfi_mode;
	uint8_t rvfi_rs1_addr;
	uint8_t rvfi_rs2_addr;
	uint8_t rvfi_rd_addr;
	uint8_t rvfi_mem_rmask;
	uint8_t rvfi_mem_wmask;
	uint64_t rvfi_order;
	uint32_t rvfi_insn;
	uint32_t rvfi_trap_cause;
	uint32_t rvfi_rs1_rdata;
	uint32_t rvfi_rs2_rdata;
	uint32_t rvfi_rd_wdata;
	uint32_t rvfi_pc_rdata;
	uint32_t rvfi_pc_wdata;
	uint32_t rvfi_mem_addr;
	uint32_t rvfi_mem_rdata;
	uint32_t rvfi_mem_wdata;
	/* GWB append of this store (SPEC §3): meaningful when rvfi_valid && rvfi_gwb_valid. */
	uint8_t rvfi_gwb_valid;
	uint32_t rvfi_gwb_addr;  /* record physical address, mgwbbase + 8*mgwbidx */
	uint32_t rvfi_gwb_word0; /* store physical address, bits [1:0] = size */
	uint32_t rvfi_gwb_word1; /* store data truncated to its size */

	uint8_t perf_event;      /* bit 0 I-TLB miss, 1 D-TLB miss, 2 walker busy, 3 GWB append, 4 GWB full */
};

struct sim;

/*
 * Parse the command line, load the ELF, build the FDT and the devices.
 * Returns 0 when the run can start (*sp set), SIM_OPEN_DONE after --help,
 * or a negative errno after printing one "umbra: error: ..." line (exit
 * with SIM_EXIT_BAD_INPUT).
 */
int sim_open(struct sim **sp, int argc, char **argv);

/* Waveform file requested with --trace, or NULL. */
const char *sim_trace_path(const struct sim *s);

/*
 * One cycle: out holds the SoC's outputs during it (handshakes happen at its
 * rising edge); fills in with the inputs to drive before that edge. Returns 1
 * when the run is over (still clock that edge, then call sim_close), else 0.
 * During the SIM_RESET_CYCLES reset cycles out is ignored and in.rst_n is 0.
 */
int sim_step(struct sim *s, const struct sim_out *out, struct sim_in *in);

/* The RTL stopped the run ($finish, a failed assertion, $fatal): record it as a failure. */
void sim_fail_rtl(struct sim *s, const char *why);

/*
 * Print the final line, write the stats, free everything. Returns the
 * process exit status (guest code, 124 on timeout).
 */
int sim_close(struct sim *s);

#ifdef __cplusplus
}
#endif

#endif /* UMBRA_SIM_H */
