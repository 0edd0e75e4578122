/* elf.c: ELF32 RISC-V executable loader: validates every header field before touching RAM. */
#define _POSIX_C_SOURCE 200809L
#include "elf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Rules:
 *  1. Every offset and size read from the file is checked against the file
 *     size in 64-bit arithmetic before use: garbage input yields a message,
 *     never a crash.
 *  2. Segments go to their physical address (p_paddr), as QEMU loads them.
 *  3. RAM is written only after all headers passed: a refused file leaves
 *     RAM as it was.
 */

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static const char *type_name(unsigned type)
{
	switch (type) {
	case ET_NONE: return "ET_NONE";
	case ET_REL:  return "ET_REL, an object file";
	case ET_DYN:  return "ET_DYN, a shared object or PIE";
	case ET_CORE: return "ET_CORE, a core dump";
	default:      return "unknown";
	}
}

static int check_ident(const char *name, const uint8_t *buf, size_t size, char *err,
		       size_t errlen)
{
	if (size < SELFMAG || memcmp(buf, ELFMAG, SELFMAG) != 0)
		return fail(err, errlen, -ENOEXEC, "%s: not an ELF file", name);
	if (size < EI_NIDENT)
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF header (%zu bytes)", name, size);
	if (buf[EI_CLASS] == ELFCLASS64)
		return fail(err, errlen, -ENOEXEC,
			    "%s: ELF64 file, umbra runs RV32 (ELFCLASS32) programs", name);
	if (buf[EI_CLASS] != ELFCLASS32)
		return fail(err, errlen, -ENOEXEC, "%s: invalid ELF class %u", name, buf[EI_CLASS]);
	if (buf[EI_DATA] == ELFDATA2MSB)
		return fail(err, errlen, -ENOEXEC,
			    "%s: big-endian ELF file, umbra runs little-endian RV32 programs", name);
	if (buf[EI_DATA] != ELFDATA2LSB)
		return fail(err, errlen, -ENOEXEC, "%s: invalid ELF data encoding %u", name,
			    buf[EI_DATA]);
	if (buf[EI_VERSION] != EV_CURRENT)
		return fail(err, errlen, -ENOEXEC, "%s: unsupported ELF version %u", name,
			    buf[EI_VERSION]);
	if (size < sizeof(Elf32_Ehdr))
		return fail(err, errlen, -ENOEXEC, "%s: truncated ELF header (%zu of %zu bytes)",
			    name, size, sizeof(Elf32_Ehdr));
	return 0;
}

static int check_ehdr(const char *name, const Elf32_Ehdr *eh, size_t size, char *err,
		      size_t errlen)
{
	uint64_t ph_end;

	if (eh->e_machine != EM_RISCV)
		return fail(err, errlen, -ENOEXEC, "%s: ELF is for machine %u, not RISC-V (%u)", name,
			    eh->e_machine, EM_RISCV);
	if (eh->e_type != ET_EXEC)
		return fail(err, errlen, -ENOEXEC,
			    "%s: ELF type %u (%s), umbra runs statically linked executables (ET_EXEC)",
			    name, eh->e_type, type_name(eh->e_type));
	if (eh->e_phnum == 0 || eh->e_phoff == 0)
		return fail(err, errlen, -ENOEXEC, "%s: no program headers", name);
	if (eh->e_phnum == PN_XNUM)
		return fail(err, errlen, -ENOEXEC, "%s: extended program header count is not supported",
			    name);
	if (eh->e_phentsize != sizeof(Elf32_Phdr))
		return fail(err, errlen, -ENOEXEC, "%s: program header size %u, expected %zu", name,
			    eh->e_phentsize, sizeof(Elf32_Phdr));
	ph_end = (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr);
	if (ph_end > size)
		return fail(err, errlen, -ENOEXEC,
			    "%s: truncated: program headers end at byte %llu, the file has %zu", name,
			    (unsigned long long)ph_end, size);
	return 0;
}

static void read_phdr(const uint8_t *buf, const Elf32_Ehdr *eh, unsigned i, Elf32_Phdr *ph)
{
	memcpy(ph, buf + eh->e_phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

static int check_segments(const char *name, const uint8_t *buf, size_t size,
			  const Elf32_Ehdr *eh, const struct mem *ram, struct elf_image *img,
			  char *err, size_t errlen)
{
	uint64_t ram_end = (uint64_t)ram->base + ram->size, seg_end;
	Elf32_Phdr ph;
	unsigned i;

	img->nload = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		read_phdr(buf, eh, i, &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz)
			return fail(err, errlen, -ENOEXEC,
				    "%s: segment %u has filesz 0x%x larger than memsz 0x%x", name, i,
				    ph.p_filesz, ph.p_memsz);
		if ((uint64_t)ph.p_offset + ph.p_filesz > size)
			return fail(err, errlen, -ENOEXEC,
				    "%s: truncated: segment %u data ends at byte %llu, the file has %zu",
				    name, i, (unsigned long long)ph.p_offset + ph.p_filesz, size);
		if (ph.p_memsz == 0)
			continue;
		seg_end = (uint64_t)ph.p_paddr + ph.p_memsz;
		if (ph.p_paddr < ram->base || seg_end > ram_end)
			return fail(err, errlen, -ERANGE,
				    "%s: segment 0x%08x-0x%08llx is outside RAM 0x%08x-0x%08llx%s", name,
				    ph.p_paddr, (unsigned long long)(seg_end - 1), ram->base,
				    (unsigned long long)(ram_end - 1),
				    ph.p_offset == 0 && ph.p_paddr < ram->base && seg_end > ram->base ?
				    " (it maps the ELF headers below the text: link with -Wl,-N or a linker script)" : "");
		if (img->nload == ELF_MAX_LOAD)
			return fail(err, errlen, -ENOEXEC, "%s: more than %u loadable segments", name,
				    ELF_MAX_LOAD);
		img->load[img->nload].start = ph.p_paddr;
		img->load[img->nload].end = (uint32_t)seg_end;
		img->nload++;
	}
	if (img->nload == 0)
		return fail(err, errlen, -ENOEXEC, "%s: no loadable segment", name);
	if (eh->e_entry < ram->base || eh->e_entry >= ram_end)
		return fail(err, errlen, -ERANGE, "%s: entry point 0x%08x is outside RAM 0x%08x-0x%08llx",
			    name, eh->e_entry, ram->base, (unsigned long long)(ram_end - 1));
	img->entry = eh->e_entry;
	return 0;
}

/* A symbol's value is a virtual address: map it through the segment that holds it. */
static uint32_t vaddr_to_paddr(const uint8_t *buf, const Elf32_Ehdr *eh, uint32_t va)
{
	Elf32_Phdr ph;
	unsigned i;

	for (i = 0; i < eh->e_phnum; i++) {
		read_phdr(buf, eh, i, &ph);
		if (ph.p_type == PT_LOAD && va >= ph.p_vaddr && (uint64_t)va < (uint64_t)ph.p_vaddr + ph.p_memsz)
			return ph.p_paddr + (va - ph.p_vaddr);
	}
	return va;
}

static int read_shdr(const char *name, const uint8_t *buf, size_t size, const Elf32_Ehdr *eh,
		     unsigned i, Elf32_Shdr *sh, char *err, size_t errlen)
{
	memcpy(sh, buf + eh->e_shoff + (size_t)i * sizeof(*sh), sizeof(*sh));
	if (sh->sh_type != SHT_NOBITS && (uint64_t)sh->sh_offset + sh->sh_size > size)
		return fail(err, errlen, -ENOEXEC,
			    "%s: truncated: section %u ends at byte %llu, the file has %zu", name, i,
			    (unsigned long long)sh->sh_offset + sh->sh_size, size);
	return 0;
}

static int find_symbols(const char *name, const uint8_t *buf, size_t size, const Elf32_Ehdr *eh,
			struct elf_image *img, char *err, size_t errlen)
{
	Elf32_Shdr sh, strsh;
	Elf32_Sym sym;
	uint64_t sh_end;
	const char *strtab, *sname;
	unsigned i, j, nsym;
	int rc;

	img->has_tohost = img->has_fromhost = img->has_stats = img->has_iolog = false;
	if (eh->e_shoff == 0 || eh->e_shnum == 0)
		return 0;   /* stripped: no symbols, no HTIF */
	if (eh->e_shentsize != sizeof(Elf32_Shdr))
		return fail(err, errlen, -ENOEXEC, "%s: section header size %u, expected %zu", name,
			    eh->e_shentsize, sizeof(Elf32_Shdr));
	sh_end = (uint64_t)eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf32_Shdr);
	if (sh_end > size)
		return fail(err, errlen, -ENOEXEC,
			    "%s: truncated: section headers end at byte %llu, the file has %zu", name,
			    (unsigned long long)sh_end, size);
	for (i = 0; i < eh->e_shnum; i++) {
		rc = read_shdr(name, buf, size, eh, i, &sh, err, errlen);
		if (rc)
			return rc;
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		if (sh.sh_entsize != sizeof(Elf32_Sym))
			return fail(err, errlen, -ENOEXEC, "%s: symbol size %u, expected %zu", name,
				    sh.sh_entsize, sizeof(Elf32_Sym));
		if (sh.sh_link >= eh->e_shnum)
			return fail(err, errlen, -ENOEXEC, "%s: symbol table links to section %u of %u",
				    name, sh.sh_link, eh->e_shnum);
		rc = read_shdr(name, buf, size, eh, sh.sh_link, &strsh, err, errlen);
		if (rc)
			return rc;
		if (strsh.sh_type != SHT_STRTAB)
			return fail(err, errlen, -ENOEXEC, "%s: symbol names are not in a string table",
				    name);
		strtab = (const char *)buf + strsh.sh_offset;
		nsym = sh.sh_size / sizeof(Elf32_Sym);
		for (j = 1; j < nsym; j++) {
			memcpy(&sym, buf + sh.sh_offset + (size_t)j * sizeof(sym), sizeof(sym));
			if (sym.st_shndx == SHN_UNDEF || sym.st_name >= strsh.sh_size)
				continue;
			sname = strtab + sym.st_name;
			if (!memchr(sname, '\0', strsh.sh_size - sym.st_name))
				continue;   /* unterminated name: not one of ours */
			if (strcmp(sname, "tohost") == 0) {
				img->has_tohost = true;
				img->tohost = vaddr_to_paddr(buf, eh, sym.st_value);
			} else if (strcmp(sname, "umbra_stats") == 0) {
				img->has_stats = true;
				img->stats = vaddr_to_paddr(buf, eh, sym.st_value);
			} else if (strcmp(sname, "umbra_iolog") == 0) {
				img->has_iolog = true;
				img->iolog = vaddr_to_paddr(buf, eh, sym.st_value);
			} else if (strcmp(sname, "fromhost") == 0) {
				img->has_fromhost = true;
				img->fromhost = vaddr_to_paddr(buf, eh, sym.st_value);
			}
		}
	}
	return 0;
}

static void copy_segments(const uint8_t *buf, const Elf32_Ehdr *eh, struct mem *ram)
{
	Elf32_Phdr ph;
	unsigned i;

	for (i = 0; i < eh->e_phnum; i++) {
		read_phdr(buf, eh, i, &ph);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		/* check_segments() proved both ranges lie in RAM and in the file. */
		mem_write_bytes(ram, ph.p_paddr, buf + ph.p_offset, ph.p_filesz);
		mem_fill_bytes(ram, ph.p_paddr + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
}

int elf_load_buffer(const char *name, const uint8_t *buf, size_t size, struct mem *ram,
		    struct elf_image *img, char *err, size_t errlen)
{
	Elf32_Ehdr eh;
	int rc;

	memset(img, 0, sizeof(*img));
	rc = check_ident(name, buf, size, err, errlen);
	if (rc)
		return rc;
	memcpy(&eh, buf, sizeof(eh));
	rc = check_ehdr(name, &eh, size, err, errlen);
	if (rc)
		return rc;
	rc = check_segments(name, buf, size, &eh, ram, img, err, errlen);
	if (rc)
		return rc;
	rc = find_symbols(name, buf, size, &eh, img, err, errlen);
	if (rc)
		return rc;
	copy_segments(buf, &eh, ram);
	return 0;
}

static int read_file(const char *path, uint8_t **bufp, size_t *sizep, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		e = errno;
		return fail(err, errlen, -e, "cannot open %s: %s", path, strerror(e));
	}
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		return fail(err, errlen, -e, "cannot read %s: %s", path, strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(err, errlen, -EISDIR, "cannot read %s: %s", path, strerror(EISDIR));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return fail(err, errlen, -EINVAL, "cannot read %s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > ELF_MAX_FILE_SIZE) {
		close(fd);
		return fail(err, errlen, -EFBIG, "%s: file is %lld bytes, more than umbra's RAM can hold",
			    path, (long long)st.st_size);
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return fail(err, errlen, -ENOMEM, "cannot read %s: out of memory", path);
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			free(buf);
			close(fd);
			return fail(err, errlen, -e, "cannot read %s: %s", path, strerror(e));
		}
		if (n == 0)
			break;   /* the file shrank: parse what is there */
		got += (size_t)n;
	}
	close(fd);
	*bufp = buf;
	*sizep = got;
	return 0;
}

int elf_load_file(const char *path, struct mem *ram, struct elf_image *img, char *err,
		  size_t errlen)
{
	uint8_t *buf = NULL;
	size_t size = 0;
	int rc;

	rc = read_file(path, &buf, &size, err, errlen);
	if (rc)
		return rc;
	rc = elf_load_buffer(path, buf, size, ram, img, err, errlen);
	free(buf);
	return rc;
}

bool elf_overlaps_range(const struct elf_image *img, uint64_t start, uint64_t end)
{
	unsigned i;

	for (i = 0; i < img->nload; i++)
		if (img->load[i].start < end && start < img->load[i].end)
			return true;
	return false;
}

int elf_check_image(const struct elf_image *img, const struct mem *ram)
{
	unsigned i;

	if (img->nload == 0 || img->nload > ELF_MAX_LOAD)
		return -EINVAL;
	for (i = 0; i < img->nload; i++)
		if (img->load[i].start >= img->load[i].end ||
		    !mem_contains(ram, img->load[i].start, img->load[i].end - img->load[i].start))
			return -EINVAL;
	if (!mem_contains(ram, img->entry, 4))
		return -EINVAL;
	return 0;
}
