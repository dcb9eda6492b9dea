/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lgpt: the test guests' page tables (lgrt's).  They must be in the
 * host's format, so a guest that pages is built twice: for a 2-level
 * host (a page directory of 1024 entries over page tables of 1024 32-bit
 * PTEs) and, with -DLGT_PAE, for a PAE host (a 4-entry "page directory
 * pointer table" over pmd pages of 512 entries over page tables of 512
 * 64-bit PTEs).
 *
 * The tests see the same shape in both: a struct pt_dir (what
 * LHCALL_NEW_PGTABLE is given), page tables of PT_ENTRIES PTEs that each
 * map PT_SPAN bytes, and pt_pde(), the entry that points at the page
 * table for an address: the page directory entry, or under PAE the pmd
 * entry.
 */
#ifndef LGPT_H
#define LGPT_H

#include <stdint.h>
#include <linux/lguest.h>
#include "lgrt.h"

#define PTE_PRESENT	0x001
#define PTE_RW		0x002
#define PTE_USER	0x004
#define PTE_ACCESSED	0x020
#define PTE_DIRTY	0x040
#define PTE_PSE		0x080
#define PTE_KERNEL	0x063	/* present, writable, accessed, dirty */
#define PTE_USERPAGE	0x067	/* the same, and user */

#ifdef LGT_PAE
typedef uint64_t pteval_t;
#define GUEST_PAGING	LGUEST_PAGING_PAE
#define PT_SHIFT	21	/* a page table maps 2 MiB */
#define PGD_SHIFT	30	/* a PDPT entry 1 GiB */
#define PTE_NX		(1ULL << 63)

struct pt_dir {
	pteval_t pmd[4][512];
	/* The PDPT is 32 bytes into a page, as in Linux's slab objects. */
	pteval_t pad[4];
	pteval_t pdpt[4] __attribute__((aligned(32)));
} __attribute__((aligned(4096)));
#else
typedef uint32_t pteval_t;
#define GUEST_PAGING	LGUEST_PAGING_2LEVEL
#define PT_SHIFT	22	/* a page table maps 4 MiB */
#define PGD_SHIFT	22

struct pt_dir {
	pteval_t pgd[1024];
} __attribute__((aligned(4096)));
#endif

#define PT_SPAN		(1u << PT_SHIFT)
#define PT_ENTRIES	(PT_SPAN >> 12)
#define PGD_ENTRIES	(1u << (32 - PGD_SHIFT))

/* The address the hypercalls take for a directory. */
static inline uint32_t pt_top(struct pt_dir *d)
{
#ifdef LGT_PAE
	return (uint32_t)d->pdpt;
#else
	return (uint32_t)d->pgd;
#endif
}

/* va's PTE in its page table. */
static inline unsigned int pt_pte_index(uint32_t va)
{
	return (va >> 12) & (PT_ENTRIES - 1);
}

static inline unsigned int pt_pgd_index(uint32_t va)
{
	return va >> PGD_SHIFT;
}

#ifdef LGT_PAE
/* The pmd page under va, for LHCALL_SET_PMD, and va's index in it. */
static inline uint32_t pt_pmd_page(struct pt_dir *d, uint32_t va)
{
	return (uint32_t)d->pmd[pt_pgd_index(va)];
}

static inline unsigned int pt_pmd_index(uint32_t va)
{
	return (va >> PT_SHIFT) & 511;
}
#endif

/*
 * The entry for va's page table.  Under PAE its PDPT entry is made
 * present on the way (with nothing but "present": the host allows no
 * other flag there).
 */
static inline pteval_t *pt_pde(struct pt_dir *d, uint32_t va)
{
#ifdef LGT_PAE
	unsigned int i = pt_pgd_index(va);

	if (!d->pdpt[i])
		d->pdpt[i] = (uint32_t)d->pmd[i] | PTE_PRESENT;
	return &d->pmd[i][pt_pmd_index(va)];
#else
	return &d->pgd[pt_pgd_index(va)];
#endif
}

/* Point the entries for [va, va + bytes) at consecutive page tables. */
static inline void pt_map_tables(struct pt_dir *d, uint32_t va,
				 pteval_t *ptes, uint32_t bytes,
				 pteval_t flags)
{
	uint32_t off;

	for (off = 0; off < bytes; off += PT_SPAN)
		*pt_pde(d, va + off) = (uint32_t)&ptes[off >> 12] | flags;
}

/* LHCALL_SET_PTE: the high half of a PAE PTE goes in the 4th argument. */
static inline void pt_set_pte(struct pt_dir *d, uint32_t va, pteval_t pte)
{
	hcall(LHCALL_SET_PTE, pt_top(d), va, (uint32_t)pte,
	      (uint32_t)((uint64_t)pte >> 32));
}

static inline void pt_use(struct pt_dir *d)
{
	hcall(LHCALL_NEW_PGTABLE, pt_top(d), 0, 0, 0);
}

#endif /* LGPT_H */
