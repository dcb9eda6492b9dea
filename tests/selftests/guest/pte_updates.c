// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow page tables follow the guest's only when it says so: a PTE
 * changed behind the host's back keeps the old page until LHCALL_SET_PTE;
 * LHCALL_SET_PGD drops a whole page table; LHCALL_FLUSH_TLB drops all.
 */
#include "guest.h"

static uint32_t ptes[1024] __attribute__((aligned(4096)));
static uint32_t ptes2[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));

#define VADDR	0x800000u
#define KVADDR	0xC0800000u

static uint32_t peek(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

void guest_main(void)
{
	page_a[0] = 0xaaaaaaaa;
	page_b[0] = 0xbbbbbbbb;

	guest_init();
	ptes[0] = (uint32_t)page_a | 0x063;
	guest_pgdir[VADDR >> 22] = (uint32_t)ptes | 0x063;
	guest_setup_paging();
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);

	/* Behind the host's back: the shadow still maps page A. */
	ptes[0] = (uint32_t)page_b | 0x063;
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);
	hcall(LHCALL_SET_PTE, (uint32_t)guest_pgdir, VADDR, ptes[0], 0);
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);

	/* A different page table for the same 4 MiB. */
	ptes2[0] = (uint32_t)page_a | 0x063;
	guest_pgdir[VADDR >> 22] = (uint32_t)ptes2 | 0x063;
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);
	hcall(LHCALL_SET_PGD, (uint32_t)guest_pgdir, VADDR >> 22, 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);

	/* A user-space change and a user flush. */
	ptes2[0] = (uint32_t)page_b | 0x063;
	hcall(LHCALL_FLUSH_TLB, 0, 0, 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);

	/*
	 * Kernel mappings (above kernel_address): a SET_PTE naming another
	 * directory still applies, and FLUSH_TLB(1) drops them everywhere.
	 */
	guest_pgdir[KVADDR >> 22] = (uint32_t)ptes | 0x063;
	ptes[0] = (uint32_t)page_a | 0x063;
	hcall(LHCALL_SET_PGD, (uint32_t)guest_pgdir, KVADDR >> 22, 0, 0);
	GUEST_ASSERT(peek(KVADDR) == 0xaaaaaaaa);
	ptes[0] = (uint32_t)page_b | 0x063;
	hcall(LHCALL_SET_PTE, 0x3000, KVADDR, ptes[0], 0);
	GUEST_ASSERT(peek(KVADDR) == 0xbbbbbbbb);
	ptes[0] = (uint32_t)page_a | 0x063;
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
	GUEST_ASSERT(peek(KVADDR) == 0xaaaaaaaa);
	GUEST_REPORT(peek(VADDR));
}
