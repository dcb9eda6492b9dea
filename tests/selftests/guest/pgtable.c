// SPDX-License-Identifier: GPL-2.0
/*
 * LHCALL_LGUEST_INIT fills in the host's fields of lguest_data, and
 * LHCALL_NEW_PGTABLE switches to the guest's own page tables: the same
 * memory appears at 0 and at 0xC0000000.
 */
#include "guest.h"

static uint32_t pgdir[1024] __attribute__((aligned(4096)));
static uint32_t ptes[1024] __attribute__((aligned(4096)));
static volatile uint32_t magic;

#define PTE_FLAGS	0x063	/* present, writable, accessed, dirty */

void guest_main(void)
{
	volatile uint32_t *high;
	unsigned int i;

	guest_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	GUEST_ASSERT(lguest_data.reserve_mem != 0);
	/* The switcher is above the guest kernel's space. */
	GUEST_ASSERT(-lguest_data.reserve_mem > 0xC0000000u);
	GUEST_REPORT(lguest_data.reserve_mem);
	GUEST_REPORT(lguest_data.tsc_khz);

	/* The first 4 MiB, at 0 and again at 0xC0000000. */
	for (i = 0; i < 1024; i++)
		ptes[i] = (i << 12) | PTE_FLAGS;
	pgdir[0] = (uint32_t)ptes | PTE_FLAGS;
	pgdir[0xC0000000u >> 22] = (uint32_t)ptes | PTE_FLAGS;
	hcall(LHCALL_NEW_PGTABLE, (unsigned long)pgdir, 0, 0, 0);

	magic = 0x12345678;
	high = (volatile uint32_t *)(0xC0000000u + (uint32_t)&magic);
	GUEST_ASSERT(*high == 0x12345678);
	*high = 0xabcdef01;
	GUEST_ASSERT(magic == 0xabcdef01);
	/* The host set accessed and dirty in the guest's PTE it faulted. */
	GUEST_ASSERT(ptes[(uint32_t)&magic >> 12] & 0x40);
}
