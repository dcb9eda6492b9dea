// SPDX-License-Identifier: GPL-2.0
/*
 * A guest-physical address above the guest's memory, mapped at 8 MiB and
 * read, written or run: in the MMIO window it is the launcher's to
 * emulate (trap 14 with the address), above it the guest dies.  The test
 * gives the address in edx:eax and what to do in ecx at the first ucall.
 */
#include "guest.h"

static pteval_t ptes_8m[PT_ENTRIES] __attribute__((aligned(4096)));

#define ADDR_8M	0x800000u

void guest_main(void)
{
	uint32_t lo = 0, hi = 0, kind = 0;

	guest_init();
	asm volatile("outl %%eax, $0xf4"
		     : "+a" (lo), "+c" (kind), "+d" (hi) : "b" (0) : "memory");
	/* A 2-level PTE has no room for hi: the test gives 0 there. */
	ptes_8m[0] = (pteval_t)((uint64_t)hi << 32 | lo) | PTE_KERNEL;
	*pt_pde(&guest_dir, ADDR_8M) = (uint32_t)ptes_8m | PTE_KERNEL;
	guest_setup_paging();

	switch (kind) {
	case 0:
		peek(ADDR_8M + 0x10);
		break;
	case 1:
		*(volatile uint32_t *)(ADDR_8M + 0x10) = 0x5a5a5a5a;
		break;
	case 2:
		((void (*)(void))(ADDR_8M + 0x10))();
		break;
	}
	/* It went through: the test fails on this. */
	GUEST_REPORT(kind);
}
