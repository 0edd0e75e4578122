# firmware/firmware.mk: the bare-metal test library (build/fw/lib.a) and the directed
# tests (build/fw/tests/<name>.elf, from firmware/tests/<name>.c plus an optional <name>.S).

FW_CROSS   ?= riscv64-unknown-elf-
FW_CC      := $(FW_CROSS)gcc
FW_AR      := $(FW_CROSS)ar
FW_OUT     := $(BUILD)/fw
FW_ARCH    := -march=rv32im_zicsr_zifencei -mabi=ilp32
FW_CFLAGS  := $(FW_ARCH) -ffreestanding -nostdlib -nostartfiles -O2 -g \
              -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes -Werror \
              -Ifirmware/lib
FW_LDSCRIPT := firmware/lib/link.ld
FW_LDFLAGS := -T $(FW_LDSCRIPT) -Wl,--gc-sections -Wl,--no-warn-rwx-segments
# gcc's multilib match fails for rv32im_zicsr_zifencei and plain -lgcc would pick
# the rv64 default: name the rv32im/ilp32 libgcc (64-bit division, ctz, ...) itself.
FW_LIBGCC  := $(or $(shell $(FW_CC) -march=rv32im -mabi=ilp32 -print-libgcc-file-name 2>/dev/null),-lgcc)

FW_LIB_SRCS := $(sort $(wildcard firmware/lib/*.c firmware/lib/*.S))
FW_LIB_HDRS := $(wildcard firmware/lib/*.h)
FW_LIB_OBJS := $(patsubst firmware/lib/%,$(FW_OUT)/lib/%.o,$(FW_LIB_SRCS))
FW_LIB      := $(FW_OUT)/lib.a

FW_TEST_SRCS := $(sort $(wildcard firmware/tests/*.c))
FW_TESTS     := $(patsubst firmware/tests/%.c,$(FW_OUT)/tests/%.elf,$(FW_TEST_SRCS))

.PHONY: firmware fw-tests fw-qemu
firmware: $(FW_LIB)
fw-tests: $(FW_TESTS)
build: fw-tests

# Runs every directed test on QEMU alone (regress/directed.py compares with umbra).
fw-qemu: fw-tests
	python3 regress/directed.py --qemu-only $(FW_TESTS)

$(FW_OUT)/lib/%.c.o: firmware/lib/%.c $(FW_LIB_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -c -o $@ $<

$(FW_OUT)/lib/%.S.o: firmware/lib/%.S $(FW_LIB_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -c -o $@ $<

$(FW_LIB): $(FW_LIB_OBJS)
	@rm -f $@
	$(FW_AR) rcs $@ $^

$(FW_OUT)/tests/%.elf: firmware/tests/%.c $(FW_LIB) $(FW_LDSCRIPT) $(FW_LIB_HDRS) $(wildcard firmware/tests/common/*.h)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(FW_LDFLAGS) -o $@ $< $(wildcard firmware/tests/$*.S) $(FW_LIB) $(FW_LIBGCC)

# A test with a same-named .S also depends on it.
$(foreach s,$(wildcard firmware/tests/*.S),$(eval $(FW_OUT)/tests/$(basename $(notdir $(s))).elf: $(s)))

# umbra-only programs (build/fw/timing/<name>.elf from firmware/timing/<name>.c): their console
# carries umbra's cycle counts, so the directed suite does not run them; regress/disk_check.py does.
FW_TIMING := $(patsubst firmware/timing/%.c,$(FW_OUT)/timing/%.elf,$(sort $(wildcard firmware/timing/*.c)))
build: $(FW_TIMING)

$(FW_OUT)/timing/%.elf: firmware/timing/%.c $(FW_LIB) $(FW_LDSCRIPT) $(FW_LIB_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(FW_LDFLAGS) -o $@ $< $(FW_LIB) $(FW_LIBGCC)
