// SPDX-License-Identifier: GPL-2.0
/*
 * Loading the guest: the kernel image, the initrd and the boot data.
 *
 * The guest starts the way a PC's boot loader would start a 32-bit kernel
 * through the boot protocol's 32-bit entry: with %esi pointing at a
 * struct boot_params (at guest-physical 0; the host clears %esi) that
 * describes its memory, its command line and its initrd.  The one
 * lguest-specific part is hardware_subarch, which tells the kernel's
 * early code to go the paravirtual way.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <asm/bootparam.h>
#include "boot.h"
#include "util.h"

/* Where the boot protocol puts things. */
#define BOOT_PARAMS_GPA		0x0
#define CMDLINE_GPA		0x1000
#define CMDLINE_MAX		2048	/* x86's COMMAND_LINE_SIZE */
#define BZIMAGE_LOAD_GPA	0x100000

/* The guest reads the zero page with the 32-bit layout: ours must match. */
_Static_assert(sizeof(struct boot_params) == 4096, "struct boot_params is not the zero page");
_Static_assert(offsetof(struct boot_params, hdr) == 0x1f1, "struct setup_header is not at 0x1f1");

/* Read exactly len bytes at off, or say why not. */
static void read_exact(int fd, const char *path, void *buf, size_t len,
		       off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done,
				  off + done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die(EXIT_SETUP, "%s: %s", path, strerror(errno));
		if (r == 0)
			die(EXIT_SETUP, "%s: truncated (wanted %zu bytes at offset %lld); is it a complete kernel image?",
			    path, len, (long long)off);
		done += r;
	}
}

/* Guest memory for [gpa, gpa + len), or a message that names the fix. */
static void *place(const char *path, uint64_t gpa, uint64_t len)
{
	void *p = gpa_ptr(gpa, len);

	if (!p)
		die(EXIT_SETUP, "%s: needs guest memory up to %#llx, but the guest has %u MiB; give a larger MEM_MB",
		    path, (unsigned long long)(gpa + len), guest_ram >> 20);
	return p;
}

/*
 * An ELF vmlinux: copy each PT_LOAD segment to its physical address (the
 * guest's early code runs with paging off, at physical addresses).  Its
 * entry is startup_32's physical address on today's kernels; an entry
 * given as a virtual address is converted through the segment that
 * holds it.  Returns the end of the image.
 */
static uint32_t load_elf(int fd, const char *path, const Elf32_Ehdr *eh,
			 uint32_t *entry)
{
	Elf32_Phdr ph[64];
	uint32_t end = 0, i;
	bool entry_ok = false;

	if (eh->e_ident[EI_CLASS] != ELFCLASS32 || eh->e_type != ET_EXEC ||
	    eh->e_machine != EM_386 || eh->e_phentsize != sizeof(Elf32_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phnum > 64)
		die(EXIT_SETUP, "%s: an ELF file, but not a 32-bit x86 executable (ET_EXEC, EM_386); give an i386 vmlinux or bzImage",
		    path);

	read_exact(fd, path, ph, eh->e_phnum * sizeof(ph[0]), eh->e_phoff);
	*entry = eh->e_entry;
	for (i = 0; i < eh->e_phnum; i++) {
		uint8_t *dst;

		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz)
			die(EXIT_SETUP, "%s: segment %u has more file bytes than memory bytes: a corrupt vmlinux",
			    path, i);
		dst = place(path, ph[i].p_paddr, ph[i].p_memsz);
		trace("kernel segment %u: %#x bytes at guest-physical %#x",
		      i, ph[i].p_memsz, ph[i].p_paddr);
		read_exact(fd, path, dst, ph[i].p_filesz, ph[i].p_offset);
		memset(dst + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
		if (ph[i].p_paddr + ph[i].p_memsz > end)
			end = ph[i].p_paddr + ph[i].p_memsz;

		if (eh->e_entry - ph[i].p_paddr < ph[i].p_memsz) {
			entry_ok = true;
		} else if (!entry_ok && eh->e_entry - ph[i].p_vaddr < ph[i].p_memsz) {
			*entry = eh->e_entry - ph[i].p_vaddr + ph[i].p_paddr;
			entry_ok = true;
		}
	}
	if (!end)
		die(EXIT_SETUP, "%s: no loadable segment: not a kernel image", path);
	if (!entry_ok)
		die(EXIT_SETUP, "%s: entry point %#x is in no loadable segment: not a kernel image",
		    path, eh->e_entry);
	return end;
}

/*
 * A bzImage: the real-mode setup code comes first, (setup_sects + 1)
 * sectors of it; the rest is the protected-mode part, which goes to
 * 1 MiB and starts at code32_start.  It decompresses the kernel to
 * pref_address and needs init_size bytes there.
 */
static uint32_t load_bzimage(int fd, const char *path,
			     const struct setup_header *hdr, off_t size,
			     uint32_t *entry)
{
	unsigned int sects = hdr->setup_sects ? hdr->setup_sects : 4;
	off_t skip = (off_t)(sects + 1) * 512;
	uint32_t end;

	if (hdr->version < 0x0202)
		die(EXIT_SETUP, "%s: boot protocol %#x is too old (2.02 or later needed)",
		    path, hdr->version);
	if (size <= skip)
		die(EXIT_SETUP, "%s: truncated bzImage (no protected-mode part)", path);
	read_exact(fd, path, place(path, BZIMAGE_LOAD_GPA, size - skip),
		   size - skip, skip);
	end = BZIMAGE_LOAD_GPA + size - skip;
	*entry = hdr->code32_start;
	trace("bzImage: %#llx bytes at %#x, entry %#x, protocol %#x",
	      (long long)(size - skip), BZIMAGE_LOAD_GPA, *entry, hdr->version);

	/* Where the decompressed kernel will live must be RAM too. */
	if (hdr->version >= 0x020a && hdr->pref_address < 0x100000000ull) {
		place(path, hdr->pref_address, hdr->init_size);
		if (hdr->pref_address + hdr->init_size > end)
			end = hdr->pref_address + hdr->init_size;
	}
	return end;
}

/* Returns the end of the kernel's memory; fills b->entry. */
static uint32_t load_kernel(struct boot_setup *b)
{
	union {
		Elf32_Ehdr eh;
		uint8_t bytes[1024];
	} head;
	const struct setup_header *hdr;
	struct stat st;
	uint32_t end;
	int fd;

	fd = open(b->kernel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(EXIT_SETUP, "%s: %s; give the path of a vmlinux or bzImage",
		    b->kernel, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		die(EXIT_SETUP, "%s: not a regular file; give the path of a vmlinux or bzImage",
		    b->kernel);
	memset(&head, 0, sizeof(head));
	if (pread(fd, &head, sizeof(head), 0) < 0)
		die(EXIT_SETUP, "%s: %s", b->kernel, strerror(errno));

	hdr = (const struct setup_header *)(head.bytes + 0x1f1);
	if (!memcmp(head.eh.e_ident, ELFMAG, SELFMAG))
		end = load_elf(fd, b->kernel, &head.eh, &b->entry);
	else if (!memcmp(&hdr->header, "HdrS", 4))
		end = load_bzimage(fd, b->kernel, hdr, st.st_size, &b->entry);
	else
		die(EXIT_SETUP, "%s: not a kernel image (neither ELF nor a bzImage with \"HdrS\" at 0x202); give an i386 vmlinux or arch/x86/boot/bzImage",
		    b->kernel);
	close(fd);
	return end;
}

/* The initrd goes at the top of RAM, page-aligned, above the kernel. */
static void load_initrd(const char *path, uint32_t kernel_end,
			struct boot_params *bp)
{
	struct stat st;
	uint32_t len, gpa;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(EXIT_SETUP, "%s: %s; give a readable initrd with --initrd=FILE",
		    path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		die(EXIT_SETUP, "%s: not a regular file; give an initramfs image with --initrd=FILE",
		    path);
	if ((uint64_t)st.st_size + PAGE_SIZE - 1 > guest_ram ||
	    guest_ram - ((st.st_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) < kernel_end)
		die(EXIT_SETUP, "%s: %lld bytes do not fit between the kernel (ending at %#x) and the top of %u MiB of RAM; give a larger MEM_MB",
		    path, (long long)st.st_size, kernel_end, guest_ram >> 20);
	len = (st.st_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	gpa = guest_ram - len;
	read_exact(fd, path, guest_base + gpa, st.st_size, 0);
	close(fd);

	bp->hdr.ramdisk_image = gpa;
	/* 4.13's launcher gave the page-aligned length; so do we. */
	bp->hdr.ramdisk_size = len;
	/* "Undefined" boot loader: it has an initrd and says so. */
	bp->hdr.type_of_loader = 0xFF;
	trace("initrd: %lld bytes at guest-physical %#x", (long long)st.st_size, gpa);
}

void load_guest(struct boot_setup *b)
{
	struct boot_params *bp = gpa_ptr(BOOT_PARAMS_GPA, sizeof(*bp));
	size_t cmdlen = strlen(b->cmdline);
	uint32_t kernel_end;

	if (cmdlen >= CMDLINE_MAX)
		die(EXIT_SETUP, "kernel command line: %zu bytes, the limit is %u; shorten the kernel arguments",
		    cmdlen, CMDLINE_MAX - 1);

	kernel_end = load_kernel(b);
	if (kernel_end > guest_ram)
		die(EXIT_SETUP, "%s: needs %u MiB of guest memory; give a larger MEM_MB",
		    b->kernel, (kernel_end + (1 << 20) - 1) >> 20);

	/*
	 * The zero page: all zero (the bzImage's own setup header is not
	 * copied), but for what the guest's early code reads.
	 */
	memset(bp, 0, sizeof(*bp));
	bp->e820_entries = 1;
	bp->e820_table[0].addr = 0;
	bp->e820_table[0].size = guest_ram;
	bp->e820_table[0].type = 1;	/* E820_TYPE_RAM */
	bp->hdr.version = 0x0207;
	/* The guest's segments are set up by the host: keep them. */
	bp->hdr.loadflags |= KEEP_SEGMENTS;
	bp->hdr.cmd_line_ptr = CMDLINE_GPA;
	bp->hdr.kernel_alignment = 0x01000000;
	bp->hdr.hardware_subarch = X86_SUBARCH_LGUEST;
	memcpy(gpa_ptr(CMDLINE_GPA, cmdlen + 1), b->cmdline, cmdlen + 1);

	if (b->initrd)
		load_initrd(b->initrd, kernel_end, bp);
	trace("entry %#x, command line \"%s\"", b->entry, b->cmdline);
}
