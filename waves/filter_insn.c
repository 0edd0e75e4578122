/* filter_insn.c: gtkwave translate filter process that shows instruction words as assembly text.
 *
 * gtkwave writes one value per line (the trace's hex text, e.g. "00a58593") and reads exactly one
 * line back for each. A value that is not 1..8 hex digits (x, z, a bus shown in binary) comes
 * back unchanged; 0 (an idle port or retirement slot; also the defined-illegal word) reads "-",
 * any other illegal word comes back red. Use it from a save file:
 *     @4022
 *     ^>1 build/waves/filter_insn
 *     umbra.umbra_soc.rvfi_insn_o[31:0]
 * Options: --no-aliases (addi zero, zero, 0 instead of nop, as objdump -M no-aliases).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"

/* Parses 1..8 hex digits (nothing else) into *v; returns 0, or -1 if s is anything else. */
static int parse_hex(const char *s, uint32_t *v)
{
	size_t n = strlen(s);
	char *end;

	if (n == 0 || n > 8 || strspn(s, "0123456789abcdefABCDEF") != n)
		return -1;
	*v = (uint32_t)strtoul(s, &end, 16);
	return 0;
}

int main(int argc, char **argv)
{
	char line[256], text[96];
	unsigned flags = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-aliases") == 0) {
			flags |= DISASM_NO_ALIASES;
		} else {
			fprintf(stderr, "filter_insn: error: unknown argument '%s' "
					"(usage: filter_insn [--no-aliases], values on stdin)\n", argv[i]);
			return 2;
		}
	}
	while (fgets(line, sizeof(line), stdin)) {
		uint32_t insn;

		line[strcspn(line, "\r\n")] = '\0';
		if (parse_hex(line, &insn) != 0)
			fputs(line, stdout);
		else if (insn == 0)
			fputs("-", stdout); /* idle ports and retirement slots read 0 */
		else if (disasm_format(insn, flags, text, sizeof(text)) < 0)
			printf("0x%08x", (unsigned)insn);
		else if (strncmp(text, "illegal", 7) == 0)
			printf("?red?%s", text);
		else
			fputs(text, stdout);
		putchar('\n');
		fflush(stdout); /* gtkwave waits for each line */
	}
	return 0;
}
