# firmware/demo/demo.mk: the `make run` demo and the `make bench` compute program.
DEMO_COMMON := firmware/demo/kernels.c
DEMO_ELFS   := $(FW_OUT)/demo/hello.elf $(FW_OUT)/demo/bench.elf

.PHONY: demo
demo: $(DEMO_ELFS)
build: demo

$(FW_OUT)/demo/%.elf: firmware/demo/%.c $(DEMO_COMMON) $(wildcard firmware/demo/*.h) $(FW_LIB) $(FW_LDSCRIPT)
	@mkdir -p $(@D)
	$(FW_CC) $(FW_CFLAGS) -Ifirmware/demo $(FW_LDFLAGS) -o $@ $< $(DEMO_COMMON) $(FW_LIB) $(FW_LIBGCC)
