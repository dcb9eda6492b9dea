// SPDX-License-Identifier: GPL-2.0
/*
 * The shadow page tables follow the guest's only when it says so: a PTE
 * changed behind the host's back keeps the old page until LHCALL_SET_PTE;
 * LHCALL_SET_PGD drops a whole top-level entry (and under PAE,
 * LHCALL_SET_PMD one pmd entry, and only that); LHCALL_FLUSH_TLB drops
 * all.
 */
#include "guest.h"

static pteval_t ptes[PT_ENTRIES] __attribute__((aligned(4096)));
static pteval_t ptes2[PT_ENTRIES] __attribute__((aligned(4096)));
static volatile uint32_t page_a[1024] __attribute__((aligned(4096)));
static volatile uint32_t page_b[1024] __attribute__((aligned(4096)));

#define VADDR	0x800000u
#define KVADDR	0xC0800000u

#ifdef LGT_PAE
static pteval_t ptes3[PT_ENTRIES] __attribute__((aligned(4096)));

/*
 * VADDR's pmd entry moves to ptes (page B) and its neighbour's to ptes2
 * (page A) behind the host's back; SET_PMD for VADDR's entry shows the
 * first change only.  Then both go back.
 */
static void check_set_pmd(void)
{
	uint32_t next = VADDR + PT_SPAN;

	ptes3[0] = (uint32_t)page_b | PTE_KERNEL;
	*pt_pde(&guest_dir, next) = (uint32_t)ptes3 | PTE_KERNEL;
	GUEST_ASSERT(peek(next) == 0xbbbbbbbb);

	*pt_pde(&guest_dir, VADDR) = (uint32_t)ptes | PTE_KERNEL;
	*pt_pde(&guest_dir, next) = (uint32_t)ptes2 | PTE_KERNEL;
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);
	hcall(LHCALL_SET_PMD, pt_pmd_page(&guest_dir, VADDR), pt_pmd_index(VADDR), 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);
	GUEST_ASSERT(peek(next) == 0xbbbbbbbb);

	*pt_pde(&guest_dir, VADDR) = (uint32_t)ptes2 | PTE_KERNEL;
	*pt_pde(&guest_dir, next) = 0;
	hcall(LHCALL_SET_PGD, pt_top(&guest_dir), pt_pgd_index(VADDR), 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);
}
#endif

void guest_main(void)
{
	page_a[0] = 0xaaaaaaaa;
	page_b[0] = 0xbbbbbbbb;

	guest_init();
	ptes[0] = (uint32_t)page_a | PTE_KERNEL;
	*pt_pde(&guest_dir, VADDR) = (uint32_t)ptes | PTE_KERNEL;
	guest_setup_paging();
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);

	/* Behind the host's back: the shadow still maps page A. */
	ptes[0] = (uint32_t)page_b | PTE_KERNEL;
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);
	pt_set_pte(&guest_dir, VADDR, ptes[0]);
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);

	/* A different page table for the same addresses. */
	ptes2[0] = (uint32_t)page_a | PTE_KERNEL;
	*pt_pde(&guest_dir, VADDR) = (uint32_t)ptes2 | PTE_KERNEL;
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);
	hcall(LHCALL_SET_PGD, pt_top(&guest_dir), pt_pgd_index(VADDR), 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xaaaaaaaa);
#ifdef LGT_PAE
	check_set_pmd();
#endif

	/* A user-space change and a user flush. */
	ptes2[0] = (uint32_t)page_b | PTE_KERNEL;
	hcall(LHCALL_FLUSH_TLB, 0, 0, 0, 0);
	GUEST_ASSERT(peek(VADDR) == 0xbbbbbbbb);

	/*
	 * Kernel mappings (above kernel_address): a SET_PTE naming another
	 * directory still applies, and FLUSH_TLB(1) drops them everywhere.
	 */
	*pt_pde(&guest_dir, KVADDR) = (uint32_t)ptes | PTE_KERNEL;
	ptes[0] = (uint32_t)page_a | PTE_KERNEL;
	hcall(LHCALL_SET_PGD, pt_top(&guest_dir), pt_pgd_index(KVADDR), 0, 0);
	GUEST_ASSERT(peek(KVADDR) == 0xaaaaaaaa);
	ptes[0] = (uint32_t)page_b | PTE_KERNEL;
	hcall(LHCALL_SET_PTE, 0x3000, KVADDR, ptes[0], 0);
	GUEST_ASSERT(peek(KVADDR) == 0xbbbbbbbb);
	ptes[0] = (uint32_t)page_a | PTE_KERNEL;
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
	GUEST_ASSERT(peek(KVADDR) == 0xaaaaaaaa);
	GUEST_REPORT(peek(VADDR));
}
