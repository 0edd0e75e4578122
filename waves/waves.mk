# waves/waves.mk: `make waves TEST=<test>`: FST of a directed test on build/umbra and a gtkwave
# save file for it (tools/waves.py); `make waves-test`: checks of that flow, incl. bad input.

TEST ?= gwb_full

.PHONY: waves waves-test
waves: $(UMBRA_BIN) fw-tests
	@python3 tools/waves.py --umbra $(UMBRA_BIN) --save waves/gwb.gtkw --out $(BUILD)/waves \
		$(BUILD)/fw/tests/$(TEST).elf

waves-test: $(UMBRA_BIN) fw-tests
	@bash waves/test_waves.sh $(UMBRA_BIN) $(BUILD)
