# testbench/testbench.mk: builds build/umbra, the Verilator co-simulator (RTL + C driver + C models).

VERILATOR    ?= verilator
VL_MDIR      := $(BUILD)/verilator
TB_SIM_OBJ   := $(BUILD)/tb/sim.o
UMBRA_BIN    := $(BUILD)/umbra

# The C harness stays C: compiled here with the host flags, linked by Verilator's make.
$(TB_SIM_OBJ): testbench/sim.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -iquote model -iquote testbench -c -o $@ $<

-include $(TB_SIM_OBJ:.o=.d)

# -O2 on the per-cycle code measured ~1.7x faster than Verilator's default -Os.
# Without gcc's alignment padding the per-cycle code is smaller: it no longer
# fits the host's 32 KiB L1i since the GWB, and this measured ~6% faster
# (cachegrind: I1 misses 10.7 M -> 2.3 M over 266 k cycles of bench.elf).
# RTL assertions are always on (--assert, UMBRA_ASSERT; ~11% of host
# instructions per cycle, measured with callgrind).
# vl_fatal/vl_finish come from umbra_main.cpp, so an RTL assertion still ends
# with the final line. VL_PRINTF (the RTL's $display and Verilator's own
# messages) goes to stderr: stdout carries only the guest's console.
VL_CFLAGS := -iquote $(abspath testbench) -DVL_USER_FATAL -DVL_USER_FINISH \
             '-DVL_PRINTF(...)=std::fprintf(stderr,__VA_ARGS__)'
VL_FLAGS := --cc --exe --build -j $(JOBS) -O3 --x-assign fast --x-initial fast --trace-fst --trace-threads 1 \
            --assert +define+UMBRA_ASSERT \
            -Irtl --top-module $(RTL_TOP) --Mdir $(VL_MDIR) -o $(abspath $(UMBRA_BIN)) \
            -CFLAGS "$(VL_CFLAGS)" \
            -MAKEFLAGS "OPT_FAST='-O2 -fno-align-jumps -fno-align-loops -fno-align-labels -freorder-blocks-and-partition' OPT_GLOBAL=-O2" \
            -LDFLAGS "$(abspath $(TB_SIM_OBJ)) $(abspath $(MODEL_LIB)) $(MODEL_LIBS)"

$(UMBRA_BIN): $(RTL_SRCS) testbench/umbra_main.cpp testbench/sim.h $(TB_SIM_OBJ) $(MODEL_LIB) \
              testbench/testbench.mk
	@# Verilator's make does not know the C libraries: remove the binary so it relinks.
	@rm -f $@
	$(VERILATOR) $(VL_FLAGS) $(RTL_SRCS) $(abspath testbench/umbra_main.cpp)

.PHONY: umbra tb-test
umbra: $(UMBRA_BIN)
build: $(UMBRA_BIN)

# The driver's port timing is unit-tested without the RTL.
$(BUILD)/unit/test_sim: $(TB_SIM_OBJ)

# Black-box checks of build/umbra's handling of bad input.
tb-test: $(UMBRA_BIN)
	bash testbench/test_cli.sh $(UMBRA_BIN)
