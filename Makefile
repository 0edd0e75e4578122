# umbra: top-level build. Each directory contributes a fragment (*.mk).
# `make help` lists the targets.

BUILD    ?= build
JOBS     ?= 2
SHELL    := /bin/bash

.DEFAULT_GOAL := help
.PHONY: help deps build run test lint bench report clean results results-io

# What `make run` runs: the boot image on the RTL with the GWB, checked in lockstep. SPEC's
# default (work=mix pt=gwb irq=mature) needs the I/O-virtualization issue's workloads.
RUN_ELF  ?= $(BUILD)/boot.elf
RUN_ARGS ?= --lockstep --bootargs "pt=gwb audit=1 work=mix n=4 irq=mature"

help:
	@echo "umbra targets:"
	@echo "  make deps          install missing Debian packages (run/test/bench do it for you)"
	@echo "  make build         build build/umbra, the firmware and the test programs"
	@echo "  make run           build and run the boot image on the RTL (RUN_ELF=, RUN_ARGS= to change)"
	@echo "  make test          everything fast enough for CI; ends with 'N passed, N failed'"
	@echo "  make lint          verilator --lint-only -Wall on the RTL (with and without assertions)"
	@echo "  make bench         speed: umbra cycles/s, ratio to Icarus, cost of FST tracing"
	@echo "  make results       paging workloads x pt= modes and disk workloads x irq= policies on the RTL -> docs/results-paging.md, docs/results-io.md"
	@echo "  make results-io    disk workloads x irq= policies on the RTL -> docs/results-io.md"
	@echo "  make coverage      line/toggle/functional coverage of the RTL over the test programs (build/cov/html)"
	@echo "  make report        the design-review report (build/report/index.html) from measured data"
	@echo "  make regress       a regression list: LIST=quick|full JOBS=n SEEDS=n|SEED=n WAVES=1 (regress/README.md)"
	@echo "  make waves TEST=t  build/waves/t.fst of directed test t, and the gtkwave command to open it"
	@echo "  make waves-check   every waves/*.gtkw opened in gtkwave under Xvfb, with screenshots"
	@echo "  make synth         yosys: cells and flops per block of the core with and without the GWB"
	@echo "  make waves-gwb     FST of a GWB test (TEST=, default gwb_full) and waves/gwb.gtkw with markers on its events"
	@echo "  make clean         remove build/"
	@echo "single suites (python3 tools/testall.py --list shows them all):"
	@echo "  make unit-test     cmocka tests of the C models and the harness driver"
	@echo "  make block-test    CLINT/PLIC/GWB block benches on Verilator and Icarus"
	@echo "  make assert-test   the RTL assertions fire: a sample of blocks driven against their protocol"
	@echo "  make tb-test       build/umbra's bad-input handling"
	@echo "  make fw-qemu       the directed firmware tests on QEMU alone"
	@echo "  make icarus-fw-tests  the directed tests on the Icarus build, checked against umbra"
	@echo "  make regress-selftest the regression runner's own tests (failing fixtures, Ctrl-C, waves)"

deps:
	@sh tools/deps.sh

include rtl/rtl.mk
include model/model.mk
include model/iss.mk
include testbench/testbench.mk
include firmware/firmware.mk
include firmware/rvtest/rvtest.mk
include firmware/demo/demo.mk
include hypervisor/hv.mk
include testbench/block/block.mk
include testbench/icarus.mk
include testbench/coverage.mk
include regress/regress.mk
include waves/waves.mk

# run/test/bench install what is missing first, then build, then act: deps
# must finish before any compiler runs, so they are sequenced here.
run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	$(BUILD)/umbra $(RUN_ARGS) $(RUN_ELF)

test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@python3 tools/testall.py

bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@python3 tools/bench.py

results:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@python3 tools/results.py --jobs $(JOBS)
	@python3 tools/results_io.py --jobs $(JOBS)

results-io:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@python3 tools/results_io.py --jobs $(JOBS)

# The report gathers what the other targets measured; it runs the ones that take
# minutes or less itself (make bench and make regress LIST=full stay separate).
report:
	@$(MAKE) --no-print-directory coverage
	@$(MAKE) --no-print-directory synth results waves-check
	@$(MAKE) --no-print-directory regress LIST=quick
	@python3 tools/report.py --screenshot

clean:
	rm -rf $(BUILD)
