/* SPDX-License-Identifier: GPL-2.0 */
/* Loading the guest kernel, its initrd and its boot data: boot.c. */
#ifndef LGUEST_BOOT_H
#define LGUEST_BOOT_H

#include <stdint.h>

/*
 * What to load; load_guest() fills in entry.  Guest memory must be
 * mapped (util.h) before it is called.
 */
struct boot_setup {
	const char *kernel, *initrd;
	const char *cmdline;
	uint32_t entry;		/* guest-physical address to start at */
};

void load_guest(struct boot_setup *b);

#endif
