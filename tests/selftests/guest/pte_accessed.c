// SPDX-License-Identifier: GPL-2.0
/*
 * A CPU sets a PTE's accessed bit when it uses the PTE, dirty or not: so
 * must the host, for a PTE the guest made dirty and not accessed and told
 * it about with LHCALL_SET_PTE.  (Found by lgfuzz guest.)
 */
#include "guest.h"

static pteval_t ptes[PT_ENTRIES] __attribute__((aligned(4096)));
static volatile uint32_t page[1024] __attribute__((aligned(4096)));

#define VADDR	0x800000u

void guest_main(void)
{
	pteval_t *pte = &ptes[pt_pte_index(VADDR)];

	guest_init();
	page[0] = 0x12345678;
	*pt_pde(&guest_dir, VADDR) = (uint32_t)ptes | PTE_KERNEL;
	guest_setup_paging();

	/* A first page there gives the host a shadow table to install in. */
	ptes[pt_pte_index(VADDR) + 1] = (uint32_t)page | PTE_KERNEL;
	GUEST_ASSERT(peek(VADDR + 4096) == 0x12345678);

	*pte = (uint32_t)page | PTE_PRESENT | PTE_RW | PTE_DIRTY;
	pt_set_pte(&guest_dir, VADDR, *pte);
	GUEST_ASSERT(peek(VADDR) == 0x12345678);
	GUEST_ASSERT(peek((uint32_t)pte) & PTE_ACCESSED);
}
