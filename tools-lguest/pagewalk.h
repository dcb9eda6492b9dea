/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest-virtual to guest-physical, through the guest's own page tables,
 * as its CPU would: pagewalk.c.
 */
#ifndef LGUEST_PAGEWALK_H
#define LGUEST_PAGEWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the walk needs of the guest's control registers. */
struct guest_paging {
	bool enabled;	/* CR0.PG: else virtual == guest-physical */
	bool pae;	/* CR4.PAE: 3-level 64-bit entries, else 2-level */
	uint32_t cr3;	/* guest-physical address of the top-level table */
};

/* The guest-physical address of va; false if the guest has none for it. */
bool guest_va_to_pa(const struct guest_paging *pg, uint32_t va, uint64_t *pa);

/*
 * Copy up to len bytes at guest-virtual va into buf, a page at a time;
 * returns how many it could (it stops at the first unmapped page).
 */
size_t guest_read_virt(const struct guest_paging *pg, uint32_t va, void *buf,
		       size_t len);

#endif
