// SPDX-License-Identifier: GPL-2.0
/*
 * Six page directories, more than the host caches (four): each maps its
 * own page at 8 MiB and shares the kernel half at 0xC0000000.  Switching
 * between them recycles shadows; every switch must show the directory's
 * own user page, and a kernel PTE changed (with SET_PTE) while one
 * directory is current must show in all of them.
 */
#include "guest.h"

#define NDIRS	6
#define UADDR	0x800000u
#define KADDR	0xC0400000u

static struct pt_dir dirs[NDIRS];
static pteval_t user_ptes[NDIRS][PT_ENTRIES] __attribute__((aligned(4096)));
static pteval_t kernel_ptes[PT_ENTRIES] __attribute__((aligned(4096)));
static volatile uint32_t pages[NDIRS + 2][1024] __attribute__((aligned(4096)));

void guest_main(void)
{
	unsigned int i, round;

	guest_init();
	for (i = 0; i < 1024; i++)
		guest_low_ptes[i] = (i << 12) | PTE_KERNEL;
	for (i = 0; i < NDIRS + 2; i++)
		pages[i][0] = 0x1000 + i;
	kernel_ptes[0] = (uint32_t)pages[NDIRS] | PTE_KERNEL;
	for (i = 0; i < NDIRS; i++) {
		user_ptes[i][0] = (uint32_t)pages[i] | PTE_USERPAGE;
		pt_map_tables(&dirs[i], 0, guest_low_ptes, 4 << 20, PTE_KERNEL);
		*pt_pde(&dirs[i], UADDR) = (uint32_t)user_ptes[i] | PTE_USERPAGE;
		pt_map_tables(&dirs[i], 0xC0000000, guest_low_ptes, 4 << 20,
			      PTE_KERNEL);
		*pt_pde(&dirs[i], KADDR) = (uint32_t)kernel_ptes | PTE_KERNEL;
	}

	for (round = 0; round < 5; round++) {
		for (i = 0; i < NDIRS; i++) {
			pt_use(&dirs[i]);
			GUEST_ASSERT(peek(UADDR) == 0x1000 + i);
			GUEST_ASSERT(peek(KADDR) == 0x1000 + NDIRS + (round >= 3));
		}
		if (round == 2) {
			/* A kernel mapping changes while dirs[5] is current. */
			kernel_ptes[0] = (uint32_t)pages[NDIRS + 1] | PTE_KERNEL;
			pt_set_pte(&dirs[NDIRS - 1], KADDR, kernel_ptes[0]);
		}
	}
	GUEST_REPORT(peek(KADDR));
}
