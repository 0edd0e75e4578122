# rtl/rtl.mk: RTL source list and lint.
RTL_PKG  := rtl/umbra_pkg.sv
RTL_SRCS := $(RTL_PKG) $(filter-out $(RTL_PKG),$(sort $(wildcard rtl/*.sv)))
RTL_TOP  := umbra_soc

# Both assertion configurations, each with the GWB (Gwb=1, the default) and without.
lint: deps
	for gwb in 1 0; do \
		verilator --lint-only -Wall --assert +define+UMBRA_ASSERT -GGwb="1'b$$gwb" -Irtl rtl/lint_waivers.vlt \
			$(RTL_SRCS) --top-module $(RTL_TOP) || exit 1; \
		verilator --lint-only -Wall -GGwb="1'b$$gwb" -Irtl rtl/lint_waivers.vlt \
			$(RTL_SRCS) --top-module $(RTL_TOP) || exit 1; \
	done
	@echo "lint: clean"

# yosys synthesis of the core with and without the GWB: cells and flops per block
# (tools/synth.py; the table is also in $(BUILD)/synth/report.txt and docs/gwb.md).
SYNTH_SRCS := $(RTL_PKG) $(filter-out $(RTL_PKG) rtl/umbra_soc.sv rtl/umbra_xbar.sv rtl/umbra_clint.sv \
                rtl/umbra_plic.sv,$(RTL_SRCS))

.PHONY: synth
synth: deps
	@python3 tools/synth.py --build $(BUILD) $(SYNTH_SRCS)
