# model/model.mk: builds the C models into $(BUILD)/libumbra_model.a and their cmocka unit tests.

HOST_CC     ?= gcc
HOST_CFLAGS := -O2 -g -std=c11 -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes \
               -Wmissing-prototypes -Werror -MMD -MP

MODEL_SRCS := $(filter-out model/iss_main.c,$(sort $(wildcard model/*.c)))
MODEL_OBJS := $(patsubst model/%.c,$(BUILD)/model/%.o,$(MODEL_SRCS))
MODEL_LIB  := $(BUILD)/libumbra_model.a
MODEL_LIBS := -lfdt

UNIT_SRCS  := $(sort $(wildcard model/test/test_*.c))
UNIT_BINS  := $(patsubst model/test/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
UNIT_LIBS  := -lcmocka $(MODEL_LIBS)

.PHONY: model unit-test

model: $(MODEL_LIB)

$(BUILD)/model/%.o: model/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -iquote model -c -o $@ $<

$(MODEL_LIB): $(MODEL_OBJS)
	@rm -f $@
	ar rcs $@ $^

# A test may need objects from elsewhere (e.g. the harness's sim.o): other
# fragments add them as extra prerequisites; they link before the library.
$(BUILD)/unit/%: model/test/%.c $(MODEL_LIB)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Wno-missing-prototypes -iquote model -iquote testbench \
		-o $@ $(filter %.c %.o,$^) $(filter %.a,$^) $(UNIT_LIBS)

# Counts cmocka test cases (not programs); a program that fails without
# cmocka's summary (a crash) counts as one failed case.
unit-test: $(UNIT_BINS)
	@pass=0; fail=0; \
	for t in $(UNIT_BINS); do \
		( cd $(BUILD)/unit && ./$$(basename $$t) ) >$$t.log 2>&1; rc=$$?; \
		p=$$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' $$t.log | tail -n1); \
		f=$$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' $$t.log | tail -n1); \
		p=$${p:-0}; f=$${f:-0}; \
		if [ $$rc -ne 0 ] && [ $$f -eq 0 ]; then f=1; fi; \
		pass=$$((pass + p)); fail=$$((fail + f)); \
		if [ $$rc -eq 0 ]; then \
			echo "PASS unit/$$(basename $$t) ($$p cases)"; \
		else \
			echo "FAIL unit/$$(basename $$t) (log: $$t.log)"; \
			tail -n 20 $$t.log | sed 's/^/    /'; \
		fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	test $$fail -eq 0

-include $(MODEL_OBJS:.o=.d) $(UNIT_BINS:=.d)
