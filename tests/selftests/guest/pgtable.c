// SPDX-License-Identifier: GPL-2.0
/*
 * LHCALL_LGUEST_INIT fills in the host's fields of lguest_data, and
 * LHCALL_NEW_PGTABLE switches to the guest's own page tables: the same
 * memory appears at 0 and at 0xC0000000.
 *
 * The high mapping starts clean: no accessed or dirty bit in its PTEs or
 * in the entries that point at them.  The host must then do what the CPU
 * would: set accessed on the first access, and dirty on the first write
 * only, so a page read first is mapped read-only until it is written.
 * A fault also fills in the neighbours of its page, setting their accessed
 * bit as a CPU that caches translations ahead does, but never dirty.
 */
#include "guest.h"

static struct pt_dir dir;
static pteval_t ptes[1024] __attribute__((aligned(4096)));
static pteval_t clean_ptes[1024] __attribute__((aligned(4096)));
/*
 * Reached through clean_ptes only at 0xC0000000 + its address: two pages,
 * in one aligned block of the host's fill-ahead.
 */
static volatile uint32_t probe[2048] __attribute__((aligned(8192)));

#define HIGH(p)		(0xC0000000u + (uint32_t)(p))

void guest_main(void)
{
	uint32_t pte_addr = (uint32_t)&clean_ptes[(uint32_t)probe >> 12];
	uint32_t pde_addr;
	unsigned int i;

	/* 0: no page-table format given, which the host accepts. */
	lgrt_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	/* Where the switcher is, if the host has one here: lgtest checks. */
	GUEST_REPORT(lguest_data.reserve_mem);
	GUEST_REPORT(lguest_data.tsc_khz);

	/* The first 4 MiB, at 0 (used) and again at 0xC0000000 (clean). */
	for (i = 0; i < 1024; i++) {
		ptes[i] = (i << 12) | PTE_KERNEL;
		clean_ptes[i] = (i << 12) | PTE_PRESENT | PTE_RW;
	}
	pt_map_tables(&dir, 0, ptes, 4 << 20, PTE_KERNEL);
	pt_map_tables(&dir, 0xC0000000, clean_ptes, 4 << 20,
		      PTE_PRESENT | PTE_RW);
	pde_addr = (uint32_t)pt_pde(&dir, HIGH(probe));
	hcall(LHCALL_NEW_PGTABLE, pt_top(&dir), 0, 0, 0);

	probe[0] = 0x12345678;
	GUEST_ASSERT(!(peek(pte_addr) & (PTE_ACCESSED | PTE_DIRTY)));
	GUEST_ASSERT(!(peek(pde_addr) & (PTE_ACCESSED | PTE_DIRTY)));

	/* A read: accessed, not dirty, at both levels. */
	GUEST_ASSERT(peek(HIGH(probe)) == 0x12345678);
	GUEST_ASSERT(peek(pte_addr) & PTE_ACCESSED);
	GUEST_ASSERT(!(peek(pte_addr) & PTE_DIRTY));
	GUEST_ASSERT(peek(pde_addr) & PTE_ACCESSED);

	/*
	 * The first write: only if the read mapped the page read-only does
	 * it come back to the host, which sets dirty.
	 */
	*(volatile uint32_t *)HIGH(probe) = 0xabcdef01;
	GUEST_ASSERT(peek(pte_addr) & PTE_DIRTY);
	GUEST_ASSERT(peek((uint32_t)probe) == 0xabcdef01);
	/*
	 * The second page was never touched there: filled ahead, so
	 * accessed, and read-only until its own first write makes it dirty.
	 */
	GUEST_ASSERT(peek(pte_addr + sizeof(pteval_t)) & PTE_ACCESSED);
	GUEST_ASSERT(!(peek(pte_addr + sizeof(pteval_t)) & PTE_DIRTY));
	*(volatile uint32_t *)HIGH(&probe[1024]) = 0x5a5a5a5a;
	GUEST_ASSERT(peek(pte_addr + sizeof(pteval_t)) & PTE_DIRTY);
	GUEST_ASSERT(probe[1024] == 0x5a5a5a5a);
}
