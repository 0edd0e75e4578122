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

.PHONY: block-test block-build

# tb_<module>.sv tests rtl/<module>.sv.
$(BLOCK_DIR)/verilator/tb_%/sim: testbench/block/tb_%.sv rtl/%.sv
	@mkdir -p $(dir $@)
	verilator $(BLOCK_VL_FLAGS) -Mdir $(dir $@) -o sim --top-module tb_$* \
		rtl/$*.sv $< > $(dir $@)build.log 2>&1 || { cat $(dir $@)build.log; exit 1; }

$(BLOCK_DIR)/icarus/tb_%.vvp: testbench/block/tb_%.sv rtl/%.sv
	@mkdir -p $(dir $@)
	iverilog $(BLOCK_IV_FLAGS) -s tb_$* -o $@ rtl/$*.sv $<

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
