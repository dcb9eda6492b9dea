// SPDX-License-Identifier: GPL-2.0
/*
 * Walking the guest's page tables.
 *
 * The launcher needs this for one thing: the rest of an instruction that
 * trapped, beyond the 7 bytes the host gives.  The guest kernel's tables
 * are in guest memory, which is ours to read; what the walk needs besides
 * is what the CPU reads, the guest's CR0.PG, CR3 and CR4.PAE.  Both
 * formats are 32-bit x86's own:
 *
 *  - 2-level: CR3 points to a page directory of 1024 4-byte entries,
 *    each covering 4 MiB, and each of those to a page table of 1024
 *    entries of 4 KiB pages.
 *  - PAE: CR3 points to 4 8-byte page-directory-pointer entries (1 GiB
 *    each), those to page directories of 512 8-byte entries (2 MiB), and
 *    those to page tables of 512 entries.
 *
 * lg.ko gives no guest large pages (it refuses _PAGE_PSE in the guest's
 * entries), so a PSE entry here is a guest we cannot follow, not one we
 * must emulate.  Access rights do not matter: we read what the guest
 * kernel is executing.
 */
#include <string.h>
#include "pagewalk.h"
#include "util.h"

#define PTE_PRESENT	0x001ull
#define PTE_PSE		0x080ull
/* A PAE entry's address bits: 12 to 51. */
#define PAE_ADDR_MASK	0x000FFFFFFFFFF000ull
#define PAGE_MASK_32	0xFFFFF000u

/* Entry idx of the table at guest-physical table; false if not RAM. */
static bool read_entry(uint64_t table, unsigned int idx, bool pae, uint64_t *e)
{
	size_t size = pae ? 8 : 4;
	const void *p = gpa_ptr(table + idx * size, size);
	uint32_t e32;

	if (!p)
		return false;
	if (pae) {
		memcpy(e, p, 8);
	} else {
		memcpy(&e32, p, 4);
		*e = e32;
	}
	return true;
}

/* The next table (or page) an entry points to; false if it points none. */
static bool follow(uint64_t e, bool pae, uint64_t *next)
{
	if (!(e & PTE_PRESENT) || (e & PTE_PSE))
		return false;
	*next = pae ? e & PAE_ADDR_MASK : e & PAGE_MASK_32;
	return true;
}

bool guest_va_to_pa(const struct guest_paging *pg, uint32_t va, uint64_t *pa)
{
	uint64_t table, e;

	if (!pg->enabled) {
		*pa = va;
		return true;
	}
	if (pg->pae) {
		/* The PDPT: 32 bytes, 32-byte aligned (CR3 bits 5 to 31). */
		if (!read_entry(pg->cr3 & ~0x1Fu, va >> 30, true, &e) ||
		    !(e & PTE_PRESENT))
			return false;
		table = e & PAE_ADDR_MASK;
		if (!read_entry(table, (va >> 21) & 511, true, &e) ||
		    !follow(e, true, &table) ||
		    !read_entry(table, (va >> 12) & 511, true, &e) ||
		    !follow(e, true, pa))
			return false;
	} else {
		if (!read_entry(pg->cr3 & PAGE_MASK_32, va >> 22, false, &e) ||
		    !follow(e, false, &table) ||
		    !read_entry(table, (va >> 12) & 1023, false, &e) ||
		    !follow(e, false, pa))
			return false;
	}
	*pa |= va & (PAGE_SIZE - 1);
	return true;
}

size_t guest_read_virt(const struct guest_paging *pg, uint32_t va, void *buf,
		       size_t len)
{
	size_t done = 0;

	while (done < len) {
		uint32_t at = va + done;
		size_t n = PAGE_SIZE - (at & (PAGE_SIZE - 1));
		const void *p;
		uint64_t pa;

		if (n > len - done)
			n = len - done;
		/* Guest-virtual addresses are 32 bits: no wrapping past 4 GiB. */
		if (at < va || !guest_va_to_pa(pg, at, &pa))
			break;
		p = gpa_ptr(pa, n);
		if (!p)
			break;
		memcpy((char *)buf + done, p, n);
		done += n;
	}
	return done;
}
