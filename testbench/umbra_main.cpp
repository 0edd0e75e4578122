// umbra_main.cpp: Verilator main: clocks Vumbra_soc, moves its ports to and from the C driver (sim.c), writes the FST.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <verilated.h>
#if VM_TRACE_FST
#include <verilated_fst_c.h>
#else
class VerilatedFstC;  // built without --trace-fst: --trace is refused at start
#endif

#include "Vumbra_soc.h"
#include "Vumbra_soc___024root.h"
#include "sim.h"

#if VM_COVERAGE
#include <string>
#include <unistd.h>
#include <verilated_cov.h>
#endif

namespace {

constexpr uint64_t kHalfPeriodNs = 5;  // 100 MHz nominal clock

// The run, reachable from Verilator's vl_fatal()/vl_finish() hooks below.
struct Harness {
    struct sim *sim = nullptr;
    Vumbra_soc *top = nullptr;
    VerilatedFstC *fst = nullptr;
    uint64_t time_ns = 0;
};

Harness g_run;

#if VM_TRACE_FST
void trace_open(Harness &h, const char *path) {
    h.fst = new VerilatedFstC;
    h.fst->set_time_unit("1ns");
    h.fst->set_time_resolution("1ns");
    h.top->trace(h.fst, 99);
    h.fst->open(path);
}

inline void trace_dump(Harness &h) {
    if (h.fst) h.fst->dump(h.time_ns);
}

void trace_close(Harness &h) {
    if (!h.fst) return;
    h.fst->close();
    delete h.fst;
    h.fst = nullptr;
}
#else
void trace_open(Harness &, const char *) {}
inline void trace_dump(Harness &) {}
void trace_close(Harness &) {}
#endif

// The falling edge. Verilator 5.006 finds a rising edge by comparing clk_i
// with the value its last eval() saw, and no input of the SoC reaches logic
// before the edge, so without a waveform to sample (full = false) the
// falling-edge eval only has to record clk_i = 0: this does it directly and
// saves the eval's fixed cost, about 4% of build/umbra's time per cycle.
// Other Verilator versions name that state differently, and the coverage
// build must see clk_i toggle: they keep the eval.
inline void clock_low(Vumbra_soc *top, bool full) {
    top->clk_i = 0;
#if VERILATOR_VERSION_INTEGER == 5006000 && !VM_COVERAGE
    if (!full) {
        top->rootp->__Vtrigrprev__TOP__clk_i = 0;
        return;
    }
#endif
    top->eval();
}

inline void apply_inputs(Vumbra_soc___024root *top, const sim_in &in) {
    top->rst_ni = in.rst_n;
    top->imem_req_ready_i = in.imem_req_ready;
    top->imem_rsp_valid_i = in.imem_rsp_valid;
    top->imem_rsp_rdata_i = in.imem_rsp_rdata;
    top->imem_rsp_err_i = in.imem_rsp_err;
    top->dmem_req_ready_i = in.dmem_req_ready;
    top->dmem_rsp_valid_i = in.dmem_rsp_valid;
    top->dmem_rsp_rdata_i = in.dmem_rsp_rdata;
    top->dmem_rsp_err_i = in.dmem_rsp_err;
    top->mmio_req_ready_i = in.mmio_req_ready;
    top->mmio_rsp_valid_i = in.mmio_rsp_valid;
    top->mmio_rsp_rdata_i = in.mmio_rsp_rdata;
    top->mmio_rsp_err_i = in.mmio_rsp_err;
    top->irq_src_i = in.irq_src;
    top->mtime_div_i = in.mtime_div;
    top->fault_kind_i = in.fault_kind;
    top->fault_order_i = in.fault_order;
}

inline void sample_outputs(const Vumbra_soc___024root *top, sim_out &out) {
    out.imem_req_valid = top->imem_req_valid_o;
    out.imem_req_addr = top->imem_req_addr_o;
    out.dmem_req_valid = top->dmem_req_valid_o;
    out.dmem_req_we = top->dmem_req_we_o;
    out.dmem_req_be = top->dmem_req_be_o;
    out.dmem_req_addr = top->dmem_req_addr_o;
    out.dmem_req_wdata = top->dmem_req_wdata_o;
    out.mmio_req_valid = top->mmio_req_valid_o;
    out.mmio_req_we = top->mmio_req_we_o;
    out.mmio_req_be = top->mmio_req_be_o;
    out.mmio_req_addr = top->mmio_req_addr_o;
    out.mmio_req_wdata = top->mmio_req_wdata_o;
    out.perf_event = top->perf_event_o;
    out.rvfi_valid = top->rvfi_valid_o;
    if (!out.rvfi_valid) return;
    out.rvfi_order = top->rvfi_order_o;
    out.rvfi_insn = top->rvfi_insn_o;
    out.rvfi_trap = top->rvfi_trap_o;
    out.rvfi_intr = top->rvfi_intr_o;
    out.rvfi_trap_cause = top->rvfi_trap_cause_o;
    out.rvfi_mode = top->rvfi_mode_o;
    out.rvfi_rs1_addr = top->rvfi_rs1_addr_o;
    out.rvfi_rs2_addr = top->rvfi_rs2_addr_o;
    out.rvfi_rs1_rdata = top->rvfi_rs1_rdata_o;
    out.rvfi_rs2_rdata = top->rvfi_rs2_rdata_o;
    out.rvfi_rd_addr = top->rvfi_rd_addr_o;
    out.rvfi_rd_wdata = top->rvfi_rd_wdata_o;
    out.rvfi_pc_rdata = top->rvfi_pc_rdata_o;
    out.rvfi_pc_wdata = top->rvfi_pc_wdata_o;
    out.rvfi_mem_addr = top->rvfi_mem_addr_o;
    out.rvfi_mem_rmask = top->rvfi_mem_rmask_o;
    out.rvfi_mem_wmask = top->rvfi_mem_wmask_o;
    out.rvfi_mem_rdata = top->rvfi_mem_rdata_o;
    out.rvfi_mem_wdata = top->rvfi_mem_wdata_o;
    out.rvfi_gwb_valid = top->rvfi_gwb_valid_o;
    out.rvfi_gwb_addr = top->rvfi_gwb_addr_o;
    out.rvfi_gwb_word0 = top->rvfi_gwb_word0_o;
    out.rvfi_gwb_word1 = top->rvfi_gwb_word1_o;
}

}  // namespace

// A failed assertion, $fatal or $stop ends here (VL_USER_FATAL): keep the
// waveform up to this point and end with the usual final line.
void vl_fatal(const char *filename, int linenum, const char *hier, const char *msg) {
    (void)hier;
    Verilated::threadContextp()->gotFinish(true);
    trace_dump(g_run);
    trace_close(g_run);
    if (!g_run.sim) std::exit(1);
    char why[512];
    std::snprintf(why, sizeof(why), "%s:%d: %s", filename ? filename : "?", linenum,
                  msg ? msg : "fatal error");
    sim_fail_rtl(g_run.sim, why);
    std::exit(sim_close(g_run.sim));
}

// $finish in the RTL (VL_USER_FINISH): the SoC must stop through the finisher, so it is a failure.
void vl_finish(const char *filename, int linenum, const char *hier) {
    (void)hier;
    Verilated::threadContextp()->gotFinish(true);
    char why[512];
    std::snprintf(why, sizeof(why), "%s:%d: $finish", filename ? filename : "?", linenum);
    if (g_run.sim) sim_fail_rtl(g_run.sim, why);
}

int main(int argc, char **argv) {
    int rc = sim_open(&g_run.sim, argc, argv);
    if (rc == SIM_OPEN_DONE) return 0;
    if (rc < 0) return SIM_EXIT_BAD_INPUT;

    const char *trace_path = sim_trace_path(g_run.sim);
#if !VM_TRACE_FST
    if (trace_path) {
        std::fprintf(stderr, "umbra: error: this build has no waveform support (verilated without --trace-fst)\n");
        return SIM_EXIT_BAD_INPUT;
    }
#endif
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->fatalOnError(true);
    if (trace_path) ctx->traceEverOn(true);
    auto top = std::make_unique<Vumbra_soc>(ctx.get(), "umbra");
    g_run.top = top.get();

    // The SoC registers all its inputs at the rising edge and no input reaches
    // an output combinationally (rtl/umbra_soc.sv), so a cycle is: sample the
    // outputs (settled by the last edge), let the C side decide the inputs for
    // this edge, then clock. The falling edge arms Verilator's edge detection
    // (with every input registered it has no logic to run; clock_low()) and
    // keeps the waveform readable.
    // Waveform time is 10 ns x cycle: cycle N of the final line starts at
    // N*10 ns; the reset cycles before cycle 0 are neither counted nor traced.
    sim_in in{};
    sim_out out{};
    bool trace_done = false;
    // The ports as the model's root holds them: Vumbra_soc's own port members
    // are references to these, each one more pointer load per access.
    Vumbra_soc___024root *const ports = g_run.top->rootp;
    for (;;) {
        sample_outputs(ports, out);
        const int done = sim_step(g_run.sim, &out, &in);
        apply_inputs(ports, in);
        clock_low(g_run.top, in.trace || g_run.fst || !in.rst_n);
        if (in.trace && !g_run.fst && !trace_done) {
            trace_open(g_run, trace_path);
        } else if (!in.trace && g_run.fst) {
            trace_close(g_run);
            trace_done = true;
        }
        trace_dump(g_run);
        if (in.rst_n) g_run.time_ns += kHalfPeriodNs;

        g_run.top->clk_i = 1;
        g_run.top->eval();
        trace_dump(g_run);
        if (in.rst_n) g_run.time_ns += kHalfPeriodNs;
        if (done) break;
    }
    trace_dump(g_run);  // one more sample so the last edge's effects show
    trace_close(g_run);
    g_run.top->final();
#if VM_COVERAGE
    // The coverage build (make coverage) leaves one file per run in
    // $UMBRA_COVERAGE_DIR (default: the current directory).
    const char *dir = std::getenv("UMBRA_COVERAGE_DIR");
    std::string path = std::string(dir && *dir ? dir : ".") + "/umbra-" +
                       std::to_string(static_cast<long>(getpid())) + ".dat";
    ctx->coveragep()->write(path.c_str());
#endif
    g_run.top = nullptr;
    struct sim *s = g_run.sim;
    g_run.sim = nullptr;
    return sim_close(s);
}
