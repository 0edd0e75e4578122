# firmware/rvtest/rvtest.mk: programs written to the public RISC-V test-suite
# conventions (tohost symbol, start at 0x80000000 in M-mode).
RVT_SRCS := $(sort $(wildcard firmware/rvtest/*.S))
RVT_ELFS := $(patsubst firmware/rvtest/%.S,$(BUILD)/fw/rvtest/%.elf,$(RVT_SRCS))

.PHONY: rvtests
rvtests: $(RVT_ELFS)
build: rvtests

$(BUILD)/fw/rvtest/%.elf: firmware/rvtest/%.S firmware/rvtest/env.h firmware/rvtest/link.ld
	@mkdir -p $(@D)
	$(FW_CC) $(FW_ARCH) -nostdlib -nostartfiles -Ifirmware/rvtest -T firmware/rvtest/link.ld \
		-Wl,--no-warn-rwx-segments -o $@ $<
