# rtl/rtl.mk: RTL source list and lint.
RTL_PKG  := rtl/umbra_pkg.sv
RTL_SRCS := $(RTL_PKG) $(filter-out $(RTL_PKG),$(sort $(wildcard rtl/*.sv)))
RTL_TOP  := umbra_soc

lint: deps
	verilator --lint-only -Wall --assert +define+UMBRA_ASSERT -Irtl rtl/lint_waivers.vlt \
		$(RTL_SRCS) --top-module $(RTL_TOP)
	verilator --lint-only -Wall -Irtl rtl/lint_waivers.vlt $(RTL_SRCS) --top-module $(RTL_TOP)
	@echo "lint: clean"
