/* test_elf.c: cmocka tests of the ELF loader: a valid image and every kind of bad input. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf.h"
#include "elfgen.h"
#include "mem.h"

#define RAM_SIZE (128u * MEM_MIB)

struct fixture {
	struct mem ram;
	struct elf_image img;
	struct elfgen g;
	const char *dir;
	char err[512];
};

static const uint32_t prog[4] = { 0x00000297u, 0x0000006fu, 0xdeadbeefu, 0x12345678u };

static int setup(void **state)
{
	static struct fixture fx;
	static char dir[256];
	const char *d = eg_tempdir();

	if (!d)
		return -1;
	snprintf(dir, sizeof(dir), "%s", d);
	memset(&fx, 0, sizeof(fx));
	fx.dir = dir;
	if (mem_init_ram(&fx.ram, MEM_RAM_BASE, RAM_SIZE))
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	mem_free_ram(&fx->ram);
	rmdir(fx->dir);
	return 0;
}

/* Write size bytes of fx->g as name, load it, remove it; returns the loader's code. */
static int load(struct fixture *fx, const char *name, size_t size)
{
	const char *path = eg_write(&fx->g, size, fx->dir, name);
	int rc;

	assert_non_null(path);
	fx->err[0] = '\0';
	rc = elf_load_file(path, &fx->ram, &fx->img, fx->err, sizeof(fx->err));
	unlink(path);
	return rc;
}

static void assert_err_has(const struct fixture *fx, const char *needle)
{
	if (!strstr(fx->err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", fx->err, needle);
	assert_null(strchr(fx->err, '\n'));
}

/* case 1: a valid image loads, bss is zeroed, entry and HTIF symbols found. */
static void test_valid(void **state)
{
	struct fixture *fx = *state;
	uint32_t w;

	mem_fill_bytes(&fx->ram, MEM_RAM_BASE, 0xaa, 64);
	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 16, MEM_RAM_BASE + 0x1000, MEM_RAM_BASE + 0x1008);
	assert_int_equal(load(fx, "ok.elf", fx->g.size), 0);
	assert_int_equal(fx->img.entry, MEM_RAM_BASE);
	assert_int_equal(fx->img.nload, 1);
	assert_true(fx->img.has_tohost);
	assert_true(fx->img.has_fromhost);
	assert_int_equal(fx->img.tohost, MEM_RAM_BASE + 0x1000);
	assert_int_equal(fx->img.fromhost, MEM_RAM_BASE + 0x1008);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 8, &w), 0);
	assert_int_equal(w, 0xdeadbeefu);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 16, &w), 0);
	assert_int_equal(w, 0);   /* bss zeroed */
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 28, &w), 0);
	assert_int_equal(w, 0);
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE + 32, &w), 0);
	assert_int_equal(w, 0xaaaaaaaau);   /* past memsz: untouched */
	assert_true(elf_overlaps_range(&fx->img, MEM_RAM_BASE + 16, MEM_RAM_BASE + 40));
	assert_false(elf_overlaps_range(&fx->img, MEM_RAM_BASE + 32, MEM_RAM_BASE + 40));
}

/* case 2: no symbols (stripped) means no HTIF. */
static void test_stripped(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_shoff = 0;
	eg_ehdr(&fx->g)->e_shnum = 0;
	assert_int_equal(load(fx, "stripped.elf", EG_SHDR_OFF), 0);
	assert_false(fx->img.has_tohost);
	assert_false(fx->img.has_fromhost);
}

/* case 3: a file that is not ELF at all, and an empty one. */
static void test_not_elf(void **state)
{
	struct fixture *fx = *state;

	memset(&fx->g, 0, sizeof(fx->g));
	memcpy(fx->g.buf, "#!/bin/sh\necho hello\n", 21);
	assert_int_equal(load(fx, "script.elf", 21), -ENOEXEC);
	assert_err_has(fx, "script.elf: not an ELF file");
	assert_int_equal(load(fx, "empty.elf", 0), -ENOEXEC);
	assert_err_has(fx, "empty.elf: not an ELF file");
}

/* case 4: ELF64 is refused with the RV32 hint. */
static void test_elf64(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	fx->g.buf[EI_CLASS] = ELFCLASS64;
	assert_int_equal(load(fx, "prog64.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "prog64.elf: ELF64 file, umbra runs RV32 (ELFCLASS32) programs");
}

/* case 5: machine 62 (x86-64) with class 32. */
static void test_wrong_machine(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_machine = 62;
	assert_int_equal(load(fx, "x86.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "x86.elf: ELF is for machine 62, not RISC-V");
}

/* case 6: header cut short, at several lengths. */
static void test_truncated_header(void **state)
{
	struct fixture *fx = *state;
	size_t n;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	for (n = SELFMAG; n < sizeof(Elf32_Ehdr); n += 7) {
		assert_int_equal(load(fx, "short.elf", n), -ENOEXEC);
		assert_err_has(fx, "short.elf: truncated");
	}
}

/* case 7: program headers past the end of the file. */
static void test_phdr_past_eof(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_phoff = (uint32_t)fx->g.size - 8;
	assert_int_equal(load(fx, "phdr.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "phdr.elf: truncated: program headers end at byte");
	eg_ehdr(&fx->g)->e_phoff = 0xfffffff0u;   /* would wrap in 32 bits */
	assert_int_equal(load(fx, "phdr.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "truncated");
	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_phnum = 0x7fff;
	assert_int_equal(load(fx, "phnum.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "truncated");
}

/* case 8: segment data past the end of the file. */
static void test_segment_past_eof(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_phdr(&fx->g)->p_offset = 0xfffffff0u;
	assert_int_equal(load(fx, "seg.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "seg.elf: truncated: segment 0 data ends at byte");
	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	assert_int_equal(load(fx, "cut.elf", EG_CODE_OFF + 4), -ENOEXEC);
	assert_err_has(fx, "cut.elf: truncated");
}

/* case 9: segments outside RAM, below, above and straddling its end. */
static void test_segment_outside_ram(void **state)
{
	struct fixture *fx = *state;
	uint32_t w = 0x11111111u;

	mem_write_bytes(&fx->ram, MEM_RAM_BASE, &w, 4);
	eg_init(&fx->g, 0x1000, prog, 4, 0x1000 - 16, 0, 0);
	eg_ehdr(&fx->g)->e_entry = MEM_RAM_BASE;
	assert_int_equal(load(fx, "low.elf", fx->g.size), -ERANGE);
	assert_err_has(fx, "low.elf: segment 0x00001000-0x00001fff is outside RAM 0x80000000-0x87ffffff");

	eg_init(&fx->g, MEM_RAM_BASE + RAM_SIZE - 8, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_entry = MEM_RAM_BASE;
	assert_int_equal(load(fx, "end.elf", fx->g.size), -ERANGE);
	assert_err_has(fx, "segment 0x87fffff8-0x88000007 is outside RAM");

	eg_init(&fx->g, 0xfffffff0u, prog, 4, 0x100, 0, 0);
	eg_ehdr(&fx->g)->e_entry = MEM_RAM_BASE;
	assert_int_equal(load(fx, "wrap.elf", fx->g.size), -ERANGE);
	assert_err_has(fx, "is outside RAM");

	/* nothing was written */
	assert_int_equal(mem_read_word(&fx->ram, MEM_RAM_BASE, &w), 0);
	assert_int_equal(w, 0x11111111u);
}

/* case 10: the other header checks. */
static void test_other_headers(void **state)
{
	struct fixture *fx = *state;

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	fx->g.buf[EI_DATA] = ELFDATA2MSB;
	assert_int_equal(load(fx, "be.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "big-endian");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_type = ET_DYN;
	assert_int_equal(load(fx, "pie.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "ET_EXEC");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_phdr(&fx->g)->p_filesz = 0x100;
	assert_int_equal(load(fx, "fsz.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "larger than memsz");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_entry = 0x1000;
	assert_int_equal(load(fx, "entry.elf", fx->g.size), -ERANGE);
	assert_err_has(fx, "entry point 0x00001000 is outside RAM");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_phdr(&fx->g)->p_type = PT_NOTE;
	assert_int_equal(load(fx, "noload.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "no loadable segment");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_phentsize = 56;
	assert_int_equal(load(fx, "phsz.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "program header size 56");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, 0, 0);
	eg_ehdr(&fx->g)->e_shoff = 0xffffff00u;
	assert_int_equal(load(fx, "shoff.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "section headers end at byte");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, MEM_RAM_BASE, 0);
	((Elf32_Shdr *)(void *)(fx->g.buf + EG_SHDR_OFF))[1].sh_link = 9;
	assert_int_equal(load(fx, "link.elf", fx->g.size), -ENOEXEC);
	assert_err_has(fx, "symbol table links to section 9");

	eg_init(&fx->g, MEM_RAM_BASE, prog, 4, 0, MEM_RAM_BASE, 0);
	((Elf32_Sym *)(void *)(fx->g.buf + EG_SYMTAB_OFF))[1].st_name = 0x7fffffff;
	assert_int_equal(load(fx, "name.elf", fx->g.size), 0);   /* bad name: symbol ignored */
	assert_false(fx->img.has_tohost);
}

/* case 11: missing file, directory. */
static void test_unreadable(void **state)
{
	struct fixture *fx = *state;
	char path[512];

	snprintf(path, sizeof(path), "%s/missing.elf", fx->dir);
	assert_int_equal(elf_load_file(path, &fx->ram, &fx->img, fx->err, sizeof(fx->err)), -ENOENT);
	assert_true(strncmp(fx->err, "cannot open ", 12) == 0);
	assert_err_has(fx, "missing.elf: No such file or directory");
	assert_int_equal(elf_load_file(fx->dir, &fx->ram, &fx->img, fx->err, sizeof(fx->err)),
			 -EISDIR);
	assert_err_has(fx, "Is a directory");
}

/* case 12: random corruption of a valid image never crashes the loader. */
static void test_garbage(void **state)
{
	struct fixture *fx = *state;
	struct elfgen orig;
	uint32_t x = 12345;
	unsigned i, k;
	int rc;

	eg_init(&orig, MEM_RAM_BASE, prog, 4, 16, MEM_RAM_BASE + 0x100, MEM_RAM_BASE + 0x108);
	for (i = 0; i < 3000; i++) {
		fx->g = orig;
		for (k = 0; k < 1 + i % 6; k++) {
			x = x * 1103515245u + 12345u;
			fx->g.buf[(x >> 8) % EG_SIZE] = (uint8_t)(x >> 20);
		}
		rc = elf_load_buffer("fuzz.elf", fx->g.buf, EG_SIZE - (i % 3) * 40, &fx->ram,
				     &fx->img, fx->err, sizeof(fx->err));
		if (rc) {
			assert_true(rc < 0);
			assert_true(strncmp(fx->err, "fuzz.elf: ", 10) == 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_stripped),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_elf64),
		cmocka_unit_test(test_wrong_machine),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_phdr_past_eof),
		cmocka_unit_test(test_segment_past_eof),
		cmocka_unit_test(test_segment_outside_ram),
		cmocka_unit_test(test_other_headers),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests_name("elf", tests, setup, teardown);
}
