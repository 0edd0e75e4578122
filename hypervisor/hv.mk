# hypervisor/hv.mk: the guest kernel (firmware/guest) and the boot image build/boot.elf (hypervisor + guest),
# and the host cmocka tests of the hypervisor's data-structure logic.

HV_OUT      := $(BUILD)/hv
GUEST_OUT   := $(BUILD)/fw/guest
BOOT_ELF    := $(BUILD)/boot.elf
HV_INC      := -Ihypervisor -Ifirmware/lib
HV_HDRS     := $(wildcard hypervisor/*.h) $(FW_LIB_HDRS)

GUEST_SRCS  := $(sort $(wildcard firmware/guest/*.c firmware/guest/*.S))
GUEST_OBJS  := $(patsubst firmware/guest/%,$(GUEST_OUT)/%.o,$(filter-out %/user.c,$(GUEST_SRCS))) \
               $(GUEST_OUT)/user.o
GUEST_ELF   := $(GUEST_OUT)/guest.elf
GUEST_BIN   := $(GUEST_OUT)/guest.bin

HV_SRCS     := $(sort $(wildcard hypervisor/*.c hypervisor/*.S))
HV_OBJS     := $(patsubst hypervisor/%,$(HV_OUT)/%.o,$(HV_SRCS))

.PHONY: boot guest
boot: $(BOOT_ELF)
guest: $(GUEST_ELF)
build: $(BOOT_ELF)

$(GUEST_OUT)/%.c.o: firmware/guest/%.c $(HV_HDRS) firmware/guest/kernel.h
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(HV_INC) -c -o $@ $<

$(GUEST_OUT)/%.S.o: firmware/guest/%.S $(HV_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(HV_INC) -c -o $@ $<

# U-mode code: no jump tables or library calls, which would live in kernel-only pages.
$(GUEST_OUT)/user.o: firmware/guest/user.c $(HV_HDRS) firmware/guest/kernel.h
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(HV_INC) -fno-jump-tables -fno-tree-loop-distribute-patterns -c -o $@ $<

$(GUEST_ELF): $(GUEST_OBJS) firmware/guest/link.ld $(FW_LIB)
	$(FW_CC) $(FW_CFLAGS) -T firmware/guest/link.ld -Wl,--no-warn-rwx-segments -o $@ $(GUEST_OBJS) $(FW_LIB) $(FW_LIBGCC)
	@if $(FW_CROSS)nm $@ | grep -q ' U '; then echo "guest.elf: undefined symbols"; exit 1; fi

$(GUEST_BIN): $(GUEST_ELF)
	$(FW_CROSS)objcopy -O binary $< $@

$(HV_OUT)/%.c.o: hypervisor/%.c $(HV_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(HV_INC) -c -o $@ $<

$(HV_OUT)/hv_entry.S.o: hypervisor/hv_entry.S $(GUEST_BIN) $(HV_HDRS)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) $(HV_INC) -DGUEST_BIN='"$(GUEST_BIN)"' -c -o $@ $<

$(BOOT_ELF): $(HV_OBJS) hypervisor/link.ld $(FW_LIB)
	$(FW_CC) $(FW_CFLAGS) -T hypervisor/link.ld -Wl,--no-warn-rwx-segments -o $@ $(HV_OBJS) $(FW_LIB) $(FW_LIBGCC)

# Host unit tests: the shadow MMU, the GWB log drain and the FDT/bootargs helpers, compiled for the host.
HV_UNIT_SRCS := $(sort $(wildcard hypervisor/test/test_*.c))
HV_UNIT_BINS := $(patsubst hypervisor/test/%.c,$(BUILD)/unit/%,$(HV_UNIT_SRCS))
HV_HOST_SRCS := hypervisor/shadow.c hypervisor/gwalk.c hypervisor/gwb_log.c hypervisor/matq.c firmware/lib/fdt_lite.c
UNIT_BINS    += $(HV_UNIT_BINS)
unit-test: $(HV_UNIT_BINS)

$(BUILD)/unit/test_hv_%: hypervisor/test/test_hv_%.c $(HV_HOST_SRCS) $(wildcard hypervisor/*.h) $(FW_LIB_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Wno-missing-prototypes -iquote hypervisor -iquote firmware/lib -o $@ $< $(HV_HOST_SRCS) -lcmocka -lfdt
