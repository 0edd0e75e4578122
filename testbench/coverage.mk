# testbench/coverage.mk: make coverage: a coverage build of the co-simulator (build/cov/umbra:
# Verilator line, toggle and user coverage plus the cover points of testbench/umbra_cover.sv),
# run over the quick test set, merged into build/cov/html/index.html and build/cov/summary.{json,md}.

COV_MDIR := $(BUILD)/cov/verilator
COV_BIN  := $(BUILD)/cov/umbra

# As build/umbra (same C harness and models), without tracing, with coverage.
COV_FLAGS := --cc --exe --build -j $(JOBS) -O3 --x-assign fast --x-initial fast \
             --assert +define+UMBRA_ASSERT --coverage-line --coverage-toggle --coverage-user \
             -Irtl --top-module $(RTL_TOP) --Mdir $(COV_MDIR) -o $(abspath $(COV_BIN)) \
             -CFLAGS "$(VL_CFLAGS)" \
             -MAKEFLAGS "OPT_FAST=-O1 OPT_GLOBAL=-O1" \
             -LDFLAGS "$(abspath $(TB_SIM_OBJ)) $(abspath $(MODEL_LIB)) $(MODEL_LIBS)"

$(COV_BIN): $(RTL_SRCS) testbench/umbra_cover.sv testbench/umbra_main.cpp testbench/sim.h \
            $(TB_SIM_OBJ) $(MODEL_LIB) testbench/coverage.mk
	@mkdir -p $(@D)
	@rm -f $@
	$(VERILATOR) $(COV_FLAGS) $(RTL_SRCS) testbench/umbra_cover.sv $(abspath testbench/umbra_main.cpp)

.PHONY: coverage
coverage: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build $(COV_BIN)
	python3 tools/coverage.py --sim $(COV_BIN) --jobs $(JOBS)
