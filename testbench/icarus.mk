# testbench/icarus.mk: the whole SoC under Icarus Verilog, a 4-state cross-check of build/umbra.
#
#   make icarus                  $(BUILD)/icarus/umbra.vvp and the FDT tool
#   testbench/run_icarus.sh ELF  runs one program; exit status as build/umbra's
#   make icarus-fw-tests         every $(BUILD)/fw/tests/*.elf (make fw-tests first),
#                                cross-checked against build/umbra when it is built
#
# Icarus 11.0 (Debian 12) re-runs some always_comb blocks forever within one
# time step (iverilog issue #508, fixed after 11.0): the RTL is compiled from
# copies in $(BUILD)/icarus/rtl/ where always_comb reads `always @*`; line
# numbers are unchanged. No -DUMBRA_ASSERT: Verilator runs the assertions
# (all immediate now, once written as `assert property`, which Icarus 11
# lacks); the core's have not been tried under Icarus.

BUILD ?= build
SHELL := /bin/bash
ifndef RTL_SRCS
include rtl/rtl.mk
endif
ifndef MODEL_LIB
include model/model.mk
endif

ICARUS_DIR   := $(BUILD)/icarus
ICARUS_VVP   := $(ICARUS_DIR)/umbra.vvp
ICARUS_FDT   := $(ICARUS_DIR)/icarus_fdt
ICARUS_TB    := testbench/tb_icarus.sv
ICARUS_RTL   := $(patsubst rtl/%,$(ICARUS_DIR)/rtl/%,$(RTL_SRCS))
ICARUS_FLAGS := -g2012 -I$(ICARUS_DIR)/rtl -s tb_icarus

.PHONY: icarus icarus-fw-tests

icarus: $(ICARUS_VVP) $(ICARUS_FDT)

$(ICARUS_DIR)/rtl/%.sv: rtl/%.sv
	@mkdir -p $(@D)
	sed 's/\balways_comb\b/always @*/' $< > $@

# Dropped from the log: Icarus' "sorry" notes about correct code (constant
# selects in always_* sensitivity, unique case qualities).
$(ICARUS_VVP): $(ICARUS_RTL) $(ICARUS_TB)
	@mkdir -p $(@D)
	iverilog $(ICARUS_FLAGS) -o $@ $(ICARUS_RTL) $(ICARUS_TB) 2>&1 | \
		{ grep -v "constant selects in always_\* processes\|unique/unique0 qualities are ignored" || true; }; \
		test $${PIPESTATUS[0]} -eq 0 || { rm -f $@; exit 1; }

$(ICARUS_FDT): testbench/icarus_fdt.c $(MODEL_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -iquote model -o $@ $< $(MODEL_LIB) $(MODEL_LIBS)

# Every directed test, each cross-checked against build/umbra --ram-mb 4 when
# it exists (testbench/icarus_fw_tests.sh); ICARUS_WALL bounds each run's wall time.
ICARUS_WALL ?= 3600

# The disk_* tests need the virtio-blk disk in slot 7, which tb_icarus.sv does not model.
ICARUS_NO_DISK := $(BUILD)/fw/tests/disk_%.elf

icarus-fw-tests: icarus
	@BUILD=$(BUILD) ICARUS_WALL=$(ICARUS_WALL) testbench/icarus_fw_tests.sh \
		$(sort $(filter-out $(ICARUS_NO_DISK),$(wildcard $(BUILD)/fw/tests/*.elf)))
