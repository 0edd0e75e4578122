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
