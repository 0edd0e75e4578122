# model/iss.mk: links build/umbra-iss, the C instruction-set model, from iss_main.c and the model library.

ISS_BIN := $(BUILD)/umbra-iss

.PHONY: iss
iss: $(ISS_BIN)
build: $(ISS_BIN)

$(ISS_BIN): $(BUILD)/model/iss_main.o $(MODEL_LIB)
	$(HOST_CC) -o $@ $^ $(MODEL_LIBS)

-include $(BUILD)/model/iss_main.d
