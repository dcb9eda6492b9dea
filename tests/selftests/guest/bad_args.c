// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed hypercalls kill the guest with a reason, never the host.  The
 * test picks the case with the value it puts in eax at the first ucall.
 */
#include "guest.h"

static pteval_t guest_ptes_8m[PT_ENTRIES] __attribute__((aligned(4096)));
/* What LHCALL_LOAD_TLS reads: three descriptors, all zero (not present). */
static uint32_t tls[6];

#define ADDR_8M	0x800000u

void guest_main(void)
{
	unsigned long which = 0;

	guest_init();
	asm volatile("outl %%eax, $0xf4" : "+a" (which) : "b" (0) : "memory");

	switch (which) {
	case 1:	/* an IDT vector past 255 */
		hcall(LHCALL_LOAD_IDT_ENTRY, 256, 0, 0x8e00, 0);
		break;
	case 2:	/* a GDT index past 31 */
		hcall(LHCALL_LOAD_GDT_ENTRY, 32, 0x0000ffff, 0x00cf9300, 0);
		break;
	case 3:	/* a page directory above the guest's memory */
		hcall(LHCALL_NEW_PGTABLE, 0x10000000, 0, 0, 0);
		break;
	case 4:	/* a misaligned page directory */
		hcall(LHCALL_NEW_PGTABLE, 0x1234, 0, 0, 0);
		break;
	case 5:	/* a call gate in the GDT */
		hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0x00600000, 0x0000ec00, 0);
		break;
	case 6:	/* a task gate in the IDT */
		hcall(LHCALL_LOAD_IDT_ENTRY, 40, 0, 0x8500, 0);
		break;
	case 7:	/* lguest_data past the end of memory */
		hcall(LHCALL_LGUEST_INIT, 0x3fffff00, 0, 0, 0);
		break;
	case 8:	/* a PTE into the switcher */
		hcall(LHCALL_SET_PTE, 0, switcher_addr(), 0x1063, 0);
		break;
	case 9:	/* a stack segment not in ring 1 */
		hcall(LHCALL_SET_STACK, 0x68, 0x200000, 1, 0);
		break;
	case 10: /* SET_PMD on a non-PAE host */
		hcall(LHCALL_SET_PMD, 0, 0, 0, 0);
		break;
	case 11: /* a page far above the guest's memory and MMIO window */
		guest_ptes_8m[0] = 0x10000000 | PTE_KERNEL;
		*pt_pde(&guest_dir, ADDR_8M) = (uint32_t)guest_ptes_8m | PTE_KERNEL;
		guest_setup_paging();
		peek(ADDR_8M);
		break;
	case 12: /* a page table above the guest's memory */
		*pt_pde(&guest_dir, ADDR_8M) = 0x10000000 | PTE_KERNEL;
		guest_setup_paging();
		peek(ADDR_8M);
		break;
	case 14: /* a segment register whose GDT entry went away */
		hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0x0000ffff, 0x00cfb300, 0);
		asm volatile("movw %w0, %%gs" : : "r" (20 * 8 + 1));
		/* The switcher's reload of %gs faults on the way back in. */
		hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0, 0, 0);
		break;
	case 13: /* a large (PSE) page directory entry */
		*pt_pde(&guest_dir, ADDR_8M) = 0x400000 | PTE_PSE | PTE_KERNEL;
		guest_setup_paging();
		peek(ADDR_8M);
		break;
	case 15: /* a top-level index past the last */
		hcall(LHCALL_SET_PGD, pt_top(&guest_dir), PGD_ENTRIES, 0, 0);
		break;
#ifdef LGT_PAE
	case 16: /* SET_PMD past the end of a pmd page */
		hcall(LHCALL_SET_PMD, pt_pmd_page(&guest_dir, 0), 512, 0, 0);
		break;
	case 17: /* SET_PMD on an address that is no page */
		hcall(LHCALL_SET_PMD, pt_pmd_page(&guest_dir, 0) + 8, 0, 0, 0);
		break;
	case 18: /* a PDPT entry with more than "present": here writable */
		guest_setup_paging();
		guest_dir.pdpt[1] = 0x300000 | PTE_RW | PTE_PRESENT;
		peek(0x40000000);
		break;
	case 19: /* a PDPT entry above the guest's memory */
		guest_setup_paging();
		guest_dir.pdpt[1] = 0x10000000 | PTE_PRESENT;
		peek(0x40000000);
		break;
	case 20: /* a pmd entry with NX, which only a PTE may have */
		*pt_pde(&guest_dir, ADDR_8M) = (uint32_t)guest_ptes_8m | PTE_KERNEL | PTE_NX;
		guest_setup_paging();
		peek(ADDR_8M);
		break;
#endif
	case 21: /* a 64-bit code segment, refused by an x86_64 host */
		hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0x0000ffff, 0x00af9b00, 0);
		break;
	case 22: /* the same as the third TLS segment (GDT entry 8) */
		tls[4] = 0x0000ffff;
		tls[5] = 0x00af9b00;
		hcall(LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
		break;
	case 23: /* an LDT descriptor, DPL 3, as the first TLS segment */
		tls[0] = 0x0000ffff;
		tls[1] = 0x0000e200;
		hcall(LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
		break;
	}
	GUEST_ASSERT(0);
}
