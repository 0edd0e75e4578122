# waves/waves.mk: the gtkwave instruction filter (build/waves/filter_insn) and its unit test,
# make waves TEST=<name> (an FST of one directed test) and make waves-check (every save file
# opened in gtkwave under Xvfb against a fresh FST, with a screenshot).

WAVES_OUT    := $(BUILD)/waves
FILTER_INSN  := $(WAVES_OUT)/filter_insn

.PHONY: waves waves-check filter-insn
filter-insn: $(FILTER_INSN)
build: $(FILTER_INSN)

$(WAVES_OUT)/obj/%.o: waves/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -iquote model -c -o $@ $<

# The disassembler (model/disasm.c, shared with the lockstep report) is in the model library.
$(FILTER_INSN): $(WAVES_OUT)/obj/filter_insn.o $(MODEL_LIB)
	$(HOST_CC) -o $@ $^

-include $(wildcard $(WAVES_OUT)/obj/*.d)

# make waves TEST=isa_alu [TRACE_START=N TRACE_END=M]: build/waves/isa_alu.fst of one directed
# test (any firmware/tests/<name>.c), then the gtkwave command that opens it.
TRACE_START ?=
TRACE_END   ?=
waves:
	@if [ -z "$(TEST)" ]; then \
		echo "umbra: error: make waves needs TEST=<name> of a directed test (firmware/tests/<name>.c), e.g. make waves TEST=isa_alu" >&2; exit 2; fi
	@if [ ! -f "firmware/tests/$(TEST).c" ]; then \
		echo "umbra: error: make waves TEST=$(TEST): there is no firmware/tests/$(TEST).c" >&2; exit 2; fi
	@$(MAKE) --no-print-directory -j$(JOBS) $(UMBRA_BIN) $(FILTER_INSN) $(FW_OUT)/tests/$(TEST).elf
	@mkdir -p $(WAVES_OUT)
	@rm -f $(WAVES_OUT)/$(TEST).fst
	@$(UMBRA_BIN) --quiet --trace $(WAVES_OUT)/$(TEST).fst \
		$(if $(TRACE_START),--trace-start $(TRACE_START)) $(if $(TRACE_END),--trace-end $(TRACE_END)) \
		$(FW_OUT)/tests/$(TEST).elf >$(WAVES_OUT)/$(TEST).console; rc=$$?; \
	echo "waves: $(WAVES_OUT)/$(TEST).fst (console: $(WAVES_OUT)/$(TEST).console)"; \
	echo "gtkwave: gtkwave $(WAVES_OUT)/$(TEST).fst waves/pipeline.gtkw   (also waves/mmu.gtkw, waves/irq.gtkw, waves/disk.gtkw)"; \
	exit $$rc

waves-check: $(UMBRA_BIN) $(FILTER_INSN) fw-tests rvtests
	python3 waves/check.py
