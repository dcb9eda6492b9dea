/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small launcher for the selftests: open /dev/lguest, give a guest some
 * memory, load a freestanding guest program into it, run it and say why
 * it stopped.
 */
#ifndef LGUEST_TEST_H
#define LGUEST_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <linux/lguest.h>
#include <linux/lguest_launcher.h>
#include "../include/ucall.h"

struct lgt_vm {
	int fd;
	uint8_t *mem;		/* guest-physical 0 */
	unsigned long ram_pages;
	unsigned long mmio_pages;
	size_t map_size;
	uint32_t entry;
};

/* Why lgt_run() returned. */
enum lgt_exit {
	LGT_UCALL,		/* a ucall: code and arg are set */
	LGT_PENDING,		/* another trap for the launcher: pending */
	LGT_DEAD,		/* the guest died: reason */
	LGT_ERROR,		/* read() failed otherwise: err */
};

struct lgt_exit_info {
	enum lgt_exit why;
	uint32_t code, arg;
	struct lguest_pending pending;
	char reason[256];
	int err;
};

/* Create a guest with ram_mb of RAM and mmio_pages above it. */
int lgt_create(struct lgt_vm *vm, unsigned long ram_mb, unsigned long mmio_pages);
/* Load an ELF guest at its physical addresses and start it there. */
int lgt_load_elf(struct lgt_vm *vm, const char *path);
/* LHREQ_INITIALIZE. */
int lgt_start(struct lgt_vm *vm);
void lgt_destroy(struct lgt_vm *vm);

/* Run until a ucall, another launcher trap, or death. */
void lgt_run(struct lgt_vm *vm, struct lgt_exit_info *exit);

int lgt_getreg(struct lgt_vm *vm, unsigned int offset, uint32_t *val);
int lgt_setreg(struct lgt_vm *vm, unsigned int offset, uint32_t val);
int lgt_irq(struct lgt_vm *vm, unsigned int irq);
int lgt_trap(struct lgt_vm *vm, unsigned int trap);

const char *lgt_exit_str(const struct lgt_exit_info *exit, char *buf, size_t len);

#endif
