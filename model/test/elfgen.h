/* elfgen.h: builds small ELF32 RISC-V images in memory and writes them to files, for the unit tests. */
#ifndef UMBRA_TEST_ELFGEN_H
#define UMBRA_TEST_ELFGEN_H

#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Layout of a generated image:
 *   0x000 Elf32_Ehdr
 *   0x034 one Elf32_Phdr (PT_LOAD)
 *   0x060 code/data (EG_CODE_MAX bytes)
 *   0x100 .symtab (3 symbols: null, tohost, fromhost)
 *   0x130 .strtab
 *   0x150 section headers: null, .symtab, .strtab
 */
#define EG_CODE_OFF   0x60u
#define EG_CODE_MAX   0xa0u
#define EG_SYMTAB_OFF 0x100u
#define EG_STRTAB_OFF 0x130u
#define EG_SHDR_OFF   0x150u
#define EG_SIZE       (EG_SHDR_OFF + 3u * sizeof(Elf32_Shdr))

struct elfgen {
	uint8_t buf[EG_SIZE];
	size_t size;
};

static inline Elf32_Ehdr *eg_ehdr(struct elfgen *g) { return (Elf32_Ehdr *)(void *)g->buf; }
static inline Elf32_Phdr *eg_phdr(struct elfgen *g) { return (Elf32_Phdr *)(void *)(g->buf + sizeof(Elf32_Ehdr)); }

/* A valid executable: code (n 32-bit words) loaded at paddr, memsz = filesz + bss. */
static inline void eg_init(struct elfgen *g, uint32_t paddr, const uint32_t *code, unsigned n,
			   uint32_t bss, uint32_t tohost, uint32_t fromhost)
{
	static const char strtab[] = "\0tohost\0fromhost";
	Elf32_Ehdr *eh = eg_ehdr(g);
	Elf32_Phdr *ph = eg_phdr(g);
	Elf32_Sym *sym = (Elf32_Sym *)(void *)(g->buf + EG_SYMTAB_OFF);
	Elf32_Shdr *sh = (Elf32_Shdr *)(void *)(g->buf + EG_SHDR_OFF);

	memset(g, 0, sizeof(*g));
	g->size = EG_SIZE;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = 243;
	eh->e_version = EV_CURRENT;
	eh->e_entry = paddr;
	eh->e_phoff = sizeof(Elf32_Ehdr);
	eh->e_shoff = EG_SHDR_OFF;
	eh->e_ehsize = sizeof(Elf32_Ehdr);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 1;
	eh->e_shentsize = sizeof(Elf32_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 0;

	if (n * 4u > EG_CODE_MAX)
		n = EG_CODE_MAX / 4u;
	memcpy(g->buf + EG_CODE_OFF, code, n * 4u);
	ph->p_type = PT_LOAD;
	ph->p_offset = EG_CODE_OFF;
	ph->p_vaddr = paddr;
	ph->p_paddr = paddr;
	ph->p_filesz = n * 4u;
	ph->p_memsz = n * 4u + bss;
	ph->p_flags = PF_R | PF_W | PF_X;
	ph->p_align = 4;

	memcpy(g->buf + EG_STRTAB_OFF, strtab, sizeof(strtab));
	sym[1].st_name = 1;
	sym[1].st_value = tohost;
	sym[1].st_size = 8;
	sym[1].st_info = ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT);
	sym[1].st_shndx = tohost ? 1 : SHN_UNDEF;
	sym[2].st_name = 8;
	sym[2].st_value = fromhost;
	sym[2].st_size = 8;
	sym[2].st_info = ELF32_ST_INFO(STB_GLOBAL, STT_OBJECT);
	sym[2].st_shndx = fromhost ? 1 : SHN_UNDEF;

	sh[1].sh_type = SHT_SYMTAB;
	sh[1].sh_offset = EG_SYMTAB_OFF;
	sh[1].sh_size = 3 * sizeof(Elf32_Sym);
	sh[1].sh_link = 2;
	sh[1].sh_entsize = sizeof(Elf32_Sym);
	sh[2].sh_type = SHT_STRTAB;
	sh[2].sh_offset = EG_STRTAB_OFF;
	sh[2].sh_size = sizeof(strtab);
}

/* Write the first size bytes of g to dir/name; returns the path (static buffer) or NULL. */
static inline const char *eg_write(const struct elfgen *g, size_t size, const char *dir,
				   const char *name)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return NULL;
	if (size && fwrite(g->buf, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	return path;
}

/* A fresh temporary directory for one test program (left for the OS to clean with its files). */
static inline const char *eg_tempdir(void)
{
	static char dir[256];
	const char *base = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/umbra-unit-XXXXXX", base && *base ? base : "/tmp");
	return mkdtemp(dir);
}

#endif /* UMBRA_TEST_ELFGEN_H */
