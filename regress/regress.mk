# regress/regress.mk: make regress (regress/run.py over a list of regress/lists/), make
# regress-selftest, and the runner's fixtures (firmware/tests/fixtures/<name>.c -> build/fw/fixtures/<name>.elf).

LIST    ?= quick
SEEDS   ?=
SEED    ?=
WAVES   ?=

FIXTURE_SRCS := $(sort $(wildcard firmware/tests/fixtures/*.c))
FIXTURES     := $(patsubst firmware/tests/fixtures/%.c,$(FW_OUT)/fixtures/%.elf,$(FIXTURE_SRCS))

.PHONY: regress fixtures regress-selftest
fixtures: $(FIXTURES)
build: $(FIXTURES)

$(FW_OUT)/fixtures/%.elf: firmware/tests/fixtures/%.c $(FW_LIB) $(FW_LDSCRIPT) $(FW_LIB_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(FW_LDFLAGS) -o $@ $< $(FW_LIB) -lgcc

REGRESS_ARGS := --list $(LIST) --jobs $(JOBS) $(if $(SEEDS),--seeds $(SEEDS)) \
                $(if $(SEED),--seed $(SEED)) $(if $(filter-out 0,$(WAVES)),--waves)

regress:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@python3 regress/run.py $(REGRESS_ARGS)

# The runner's own tests: a failing fixture, JUnit, reproduce lines, Ctrl-C, waves, bad input.
regress-selftest: build
	python3 regress/selftest.py
