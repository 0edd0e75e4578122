# testbench/block/block.mk: block-level RTL benches, each run under Verilator and Icarus.
#
# `make block-test` builds every testbench/block/tb_<module>.sv against
# rtl/<module>.sv into $(BUILD)/block/ and prints one PASS/FAIL line per
# (bench, simulator); it fails if any run failed or any assertion fired
# (Icarus reports a failed assertion and carries on). Assertions are on
# (-DUMBRA_ASSERT) under both simulators.

BUILD ?= build

BLOCK_DIR     := $(BUILD)/block
BLOCK_BENCHES := $(patsubst testbench/block/%.sv,%,$(sort $(wildcard testbench/block/tb_*.sv)))
BLOCK_VL_BINS := $(foreach b,$(BLOCK_BENCHES),$(BLOCK_DIR)/verilator/$(b)/sim)
BLOCK_IV_BINS := $(foreach b,$(BLOCK_BENCHES),$(BLOCK_DIR)/icarus/$(b).vvp)

BLOCK_VL_FLAGS := --binary --timing --assert -DUMBRA_ASSERT -Irtl -Wno-fatal
BLOCK_IV_FLAGS := -g2012 -DUMBRA_ASSERT -Irtl

.PHONY: block-test block-build assert-test

# tb_<module>.sv tests rtl/<module>.sv.
$(BLOCK_DIR)/verilator/tb_%/sim: testbench/block/tb_%.sv rtl/%.sv
	@mkdir -p $(dir $@)
	verilator $(BLOCK_VL_FLAGS) -Mdir $(dir $@) -o sim --top-module tb_$* \
		rtl/$*.sv $< > $(dir $@)build.log 2>&1 || { cat $(dir $@)build.log; exit 1; }

$(BLOCK_DIR)/icarus/tb_%.vvp: testbench/block/tb_%.sv rtl/%.sv
	@mkdir -p $(dir $@)
	iverilog $(BLOCK_IV_FLAGS) -s tb_$* -o $@ rtl/$*.sv $<

# tb_umbra_gwb tests the MMU/store path with the GWB through umbra_core, so it
# needs the whole core; under Icarus it uses the always_comb-free copies of
# testbench/icarus.mk and, as there, no -DUMBRA_ASSERT.
BLOCK_IV_RTL := $(patsubst rtl/%,$(BUILD)/icarus/rtl/%,$(RTL_SRCS))

$(BLOCK_DIR)/verilator/tb_umbra_gwb/sim: testbench/block/tb_umbra_gwb.sv $(RTL_SRCS)
	@mkdir -p $(dir $@)
	verilator $(BLOCK_VL_FLAGS) -Mdir $(dir $@) -o sim --top-module tb_umbra_gwb \
		$(RTL_SRCS) $< > $(dir $@)build.log 2>&1 || { cat $(dir $@)build.log; exit 1; }

$(BLOCK_DIR)/icarus/tb_umbra_gwb.vvp: testbench/block/tb_umbra_gwb.sv $(BLOCK_IV_RTL)
	@mkdir -p $(dir $@)
	iverilog -g2012 -I$(BUILD)/icarus/rtl -s tb_umbra_gwb -o $@ $(BLOCK_IV_RTL) $< 2>&1 | \
		{ grep -v "constant selects in always_\* processes\|unique/unique0 qualities are ignored" || true; }; \
		test $${PIPESTATUS[0]} -eq 0 || { rm -f $@; exit 1; }

block-build: $(BLOCK_VL_BINS) $(BLOCK_IV_BINS)

# One line per (bench, simulator); a failure prints the command that reproduces
# it; the last line is the count.
block-test: block-build
	@fail=0; pass=0; \
	for b in $(BLOCK_BENCHES); do \
		for sim in verilator icarus; do \
			if [ $$sim = verilator ]; then cmd="$(BLOCK_DIR)/verilator/$$b/sim"; \
			else cmd="vvp -n $(BLOCK_DIR)/icarus/$$b.vvp"; fi; \
			log="$(BLOCK_DIR)/$$sim/$$b.log"; \
			if $$cmd > $$log 2>&1 && grep -q "^PASS $$b\$$" $$log && \
			   ! grep -q "^ERROR\|^%Error" $$log; then \
				echo "PASS $$b $$sim"; pass=$$((pass+1)); \
			else \
				echo "FAIL $$b $$sim: $$(grep -m1 '^FAIL\|^ERROR\|^%Error' $$log || tail -n1 $$log)"; \
				echo "  reproduce: $$cmd"; \
				fail=$$((fail+1)); \
			fi; \
		done; \
	done; \
	echo "block: $$pass passed, $$fail failed"; \
	test $$fail -eq 0

# The assertions fire: assert_fire.sv drives one block at a time against its
# protocol (+case=<assertion name>); test_assert_fire.sh checks that the named
# assertion stops the run (Verilator only, as build/umbra).
ASSERT_FIRE_RTL := $(RTL_PKG) rtl/umbra_ptw.sv rtl/umbra_ifetch.sv rtl/umbra_muldiv.sv \
                   rtl/umbra_tlb.sv rtl/umbra_lsu.sv rtl/umbra_csr.sv

$(BLOCK_DIR)/verilator/assert_fire/sim: testbench/block/assert_fire.sv $(ASSERT_FIRE_RTL)
	@mkdir -p $(dir $@)
	verilator $(BLOCK_VL_FLAGS) -Mdir $(dir $@) -o sim --top-module assert_fire \
		$(ASSERT_FIRE_RTL) $< > $(dir $@)build.log 2>&1 || { cat $(dir $@)build.log; exit 1; }

assert-test: $(BLOCK_DIR)/verilator/assert_fire/sim
	@bash testbench/block/test_assert_fire.sh $<
