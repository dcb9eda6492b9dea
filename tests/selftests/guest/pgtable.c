// SPDX-License-Identifier: GPL-2.0
/*
 * LHCALL_LGUEST_INIT fills in the host's fields of lguest_data, and
 * LHCALL_NEW_PGTABLE switches to the guest's own page tables: the same
 * memory appears at 0 and at 0xC0000000.
 */
#include "guest.h"

static struct pt_dir dir;
static pteval_t ptes[1024] __attribute__((aligned(4096)));
static volatile uint32_t magic;

void guest_main(void)
{
	volatile uint32_t *high;
	unsigned int i;

	/* 0: no page-table format given, which the host accepts. */
	guest_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	GUEST_ASSERT(lguest_data.reserve_mem != 0);
	/* The switcher is above the guest kernel's space. */
	GUEST_ASSERT(-lguest_data.reserve_mem > 0xC0000000u);
	GUEST_REPORT(lguest_data.reserve_mem);
	GUEST_REPORT(lguest_data.tsc_khz);

	/* The first 4 MiB, at 0 and again at 0xC0000000. */
	for (i = 0; i < 1024; i++)
		ptes[i] = (i << 12) | PTE_KERNEL;
	pt_map_tables(&dir, 0, ptes, 4 << 20, PTE_KERNEL);
	pt_map_tables(&dir, 0xC0000000, ptes, 4 << 20, PTE_KERNEL);
	hcall(LHCALL_NEW_PGTABLE, pt_top(&dir), 0, 0, 0);

	magic = 0x12345678;
	high = (volatile uint32_t *)(0xC0000000u + (uint32_t)&magic);
	GUEST_ASSERT(*high == 0x12345678);
	*high = 0xabcdef01;
	GUEST_ASSERT(magic == 0xabcdef01);
	/* The host set accessed and dirty in the guest's PTE it faulted. */
	GUEST_ASSERT(ptes[(uint32_t)&magic >> 12] & PTE_DIRTY);
}
