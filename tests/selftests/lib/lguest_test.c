// SPDX-License-Identifier: GPL-2.0
/* The selftests' launcher library: see lguest_test.h. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lguest_test.h"

#define PAGE_SIZE 4096UL

int lgt_create(struct lgt_vm *vm, unsigned long ram_mb, unsigned long mmio_pages)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->ram_pages = ram_mb << (20 - 12);
	vm->mmio_pages = mmio_pages;
	vm->map_size = (vm->ram_pages + mmio_pages) * PAGE_SIZE;
	vm->mem = mmap(NULL, vm->map_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return -errno;
	}
	vm->fd = open("/dev/lguest", O_RDWR);
	if (vm->fd < 0)
		return -errno;
	return 0;
}

int lgt_load_elf(struct lgt_vm *vm, const char *path)
{
	Elf32_Ehdr eh;
	Elf32_Phdr ph;
	int fd, i, ret = -EINVAL;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_machine != EM_386)
		goto out;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph))
			goto out;
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_paddr + ph.p_memsz > vm->ram_pages * PAGE_SIZE)
			goto out;
		if (pread(fd, vm->mem + ph.p_paddr, ph.p_filesz, ph.p_offset) !=
		    (ssize_t)ph.p_filesz)
			goto out;
		/* bss is already zero: the memory is fresh. */
	}
	vm->entry = eh.e_entry;
	ret = 0;
out:
	close(fd);
	return ret;
}

int lgt_start(struct lgt_vm *vm)
{
	/* Request words are unsigned long: 8 bytes on an x86_64 host. */
	unsigned long req[5] = {
		LHREQ_INITIALIZE, (unsigned long)vm->mem,
		vm->ram_pages, vm->entry, vm->ram_pages + vm->mmio_pages,
	};
	ssize_t r = write(vm->fd, req, sizeof(req));

	if (r < 0)
		return -errno;
	/* 4.13's result: the size of the four arguments. */
	return r == 4 * sizeof(req[0]) ? 0 : -EIO;
}

void lgt_destroy(struct lgt_vm *vm)
{
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->mem)
		munmap(vm->mem, vm->map_size);
	vm->fd = -1;
	vm->mem = NULL;
}

int lgt_getreg(struct lgt_vm *vm, unsigned int offset, uint32_t *val)
{
	unsigned long req[2] = { LHREQ_GETREG, offset }, reg;

	if (write(vm->fd, req, sizeof(req)) < 0)
		return -errno;
	if (pread(vm->fd, &reg, sizeof(reg), 0) != sizeof(reg))
		return -errno ? -errno : -EIO;
	*val = reg;
	return 0;
}

int lgt_setreg(struct lgt_vm *vm, unsigned int offset, uint32_t val)
{
	unsigned long req[3] = { LHREQ_SETREG, offset, val };

	return write(vm->fd, req, sizeof(req)) < 0 ? -errno : 0;
}

int lgt_irq(struct lgt_vm *vm, unsigned int irq)
{
	unsigned long req[2] = { LHREQ_IRQ, irq };

	return write(vm->fd, req, sizeof(req)) < 0 ? -errno : 0;
}

int lgt_trap(struct lgt_vm *vm, unsigned int trap)
{
	unsigned long req[2] = { LHREQ_TRAP, trap };

	return write(vm->fd, req, sizeof(req)) < 0 ? -errno : 0;
}

/* Is this trap 13 our ucall, "out %eax, $UCALL_PORT"? */
static int is_ucall(const struct lguest_pending *p)
{
	return p->trap == 13 && p->insn[0] == 0xe7 && p->insn[1] == UCALL_PORT;
}

void lgt_run(struct lgt_vm *vm, struct lgt_exit_info *exit)
{
	ssize_t r;

	memset(exit, 0, sizeof(*exit));
	r = pread(vm->fd, &exit->pending, sizeof(exit->pending), 0);
	if (r == sizeof(exit->pending)) {
		uint32_t eip;

		if (!is_ucall(&exit->pending)) {
			exit->why = LGT_PENDING;
			return;
		}
		exit->why = LGT_UCALL;
		if (lgt_getreg(vm, LGUEST_REG_EAX, &exit->code) ||
		    lgt_getreg(vm, LGUEST_REG_EBX, &exit->arg) ||
		    lgt_getreg(vm, LGUEST_REG_EIP, &eip) ||
		    lgt_setreg(vm, LGUEST_REG_EIP, eip + 2)) {
			exit->why = LGT_ERROR;
			exit->err = errno;
		}
		return;
	}
	if (r < 0 && errno == ENOENT) {
		exit->why = LGT_DEAD;
		r = pread(vm->fd, exit->reason, sizeof(exit->reason) - 1, 0);
		if (r < 0)
			snprintf(exit->reason, sizeof(exit->reason),
				 "(reading the reason failed: %s)", strerror(errno));
		return;
	}
	exit->why = LGT_ERROR;
	exit->err = r < 0 ? errno : EIO;
}

const char *lgt_exit_str(const struct lgt_exit_info *exit, char *buf, size_t len)
{
	switch (exit->why) {
	case LGT_UCALL:
		snprintf(buf, len, "ucall %u arg %#x", exit->code, exit->arg);
		break;
	case LGT_PENDING:
		snprintf(buf, len, "trap %u insn %02x %02x %02x addr %#x",
			 exit->pending.trap, exit->pending.insn[0],
			 exit->pending.insn[1], exit->pending.insn[2],
			 exit->pending.addr);
		break;
	case LGT_DEAD:
		snprintf(buf, len, "dead: %s", exit->reason);
		break;
	default:
		snprintf(buf, len, "error: %s", strerror(exit->err));
		break;
	}
	return buf;
}
