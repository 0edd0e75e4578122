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
# RTL assertions are always on (--assert, UMBRA_ASSERT).
# vl_fatal/vl_finish come from umbra_main.cpp, so an RTL assertion still ends
# with the final line. VL_PRINTF (the RTL's $display and Verilator's own
# messages) goes to stderr: stdout carries only the guest's console.
VL_CFLAGS := -iquote $(abspath testbench) -DVL_USER_FATAL -DVL_USER_FINISH \
             '-DVL_PRINTF(...)=std::fprintf(stderr,__VA_ARGS__)'
VL_OPT_FAST := -O2 -fno-align-jumps -fno-align-loops -fno-align-labels -freorder-blocks-and-partition
# vl_flags(extra OPT_FAST, extra LDFLAGS, binary)
vl_flags = --cc --exe --build -j $(JOBS) -O3 --x-assign fast --x-initial fast --trace-fst --trace-threads 1 \
           --assert +define+UMBRA_ASSERT \
           -Irtl --top-module $(RTL_TOP) --Mdir $(VL_MDIR) -o $(abspath $(3)) \
           -CFLAGS "$(VL_CFLAGS)" \
           -MAKEFLAGS "OPT_FAST='$(VL_OPT_FAST) $(1)' OPT_GLOBAL=-O2" \
           -LDFLAGS "$(abspath $(TB_SIM_OBJ)) $(abspath $(MODEL_LIB)) $(MODEL_LIBS) $(2)"

# Profile-guided optimisation (PGO=1, the default): the model and the harness
# main are compiled once with gcc's -fprofile-generate, that binary runs a
# short training set (bench.elf: no paging, no GWB traffic; the boot image
# with pt=gwb: paging and GWB appends; a traced run), and they are compiled
# again with the profile, which gives gcc the hot paths and block layout of
# the per-cycle code (~7% faster on bench.elf, docs/gwb.md). The training runs'
# own results do not matter, only their profile. PGO=0 compiles once.
PGO        ?= 1
PGO_TRAIN  := $(BUILD)/tb/umbra-train
PGO_ELFS   := $(BUILD)/fw/demo/bench.elf $(BUILD)/boot.elf
PGO_USE    := -fprofile-use -fprofile-correction -Wno-missing-profile

$(UMBRA_BIN): $(RTL_SRCS) testbench/umbra_main.cpp testbench/sim.h $(TB_SIM_OBJ) $(MODEL_LIB) \
              testbench/testbench.mk $(if $(filter 1,$(PGO)),$(PGO_ELFS))
	@# Verilator's make does not know the C libraries: remove the binary so it relinks.
	@rm -f $@ $(PGO_TRAIN) $(VL_MDIR)/*.gcda
ifeq ($(PGO),1)
	$(VERILATOR) $(call vl_flags,-fprofile-generate -fprofile-update=single,-fprofile-generate,$(PGO_TRAIN)) \
		$(RTL_SRCS) $(abspath testbench/umbra_main.cpp)
	$(PGO_TRAIN) --quiet --bootargs rounds=2 $(BUILD)/fw/demo/bench.elf > /dev/null 2>&1 || true
	$(PGO_TRAIN) --quiet --bootargs "pt=gwb work=ptemod n=200 batch=16" $(BUILD)/boot.elf > /dev/null 2>&1 || true
	$(PGO_TRAIN) --quiet --max-cycles 20000 --trace $(BUILD)/tb/train.fst $(BUILD)/fw/demo/bench.elf > /dev/null 2>&1 || true
	@rm -f $(PGO_TRAIN) $(BUILD)/tb/train.fst $(VL_MDIR)/*.o $(VL_MDIR)/*.a
	$(VERILATOR) $(call vl_flags,$(PGO_USE),,$@) $(RTL_SRCS) $(abspath testbench/umbra_main.cpp)
else
	$(VERILATOR) $(call vl_flags,,,$@) $(RTL_SRCS) $(abspath testbench/umbra_main.cpp)
endif

.PHONY: umbra tb-test
umbra: $(UMBRA_BIN)
build: $(UMBRA_BIN)

# The driver's port timing is unit-tested without the RTL.
$(BUILD)/unit/test_sim: $(TB_SIM_OBJ)

# Black-box checks of build/umbra's handling of bad input.
tb-test: $(UMBRA_BIN)
	bash testbench/test_cli.sh $(UMBRA_BIN)
