// SPDX-License-Identifier: GPL-2.0
/*
 * A guest whose page tables are in the other format than the host's: it
 * says so at LHCALL_LGUEST_INIT, and the host kills it with a reason that
 * names PAE, before any page table of the wrong shape is read.
 */
#include "guest.h"

void guest_main(void)
{
	lgrt_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data,
	      GUEST_PAGING == LGUEST_PAGING_PAE ? LGUEST_PAGING_2LEVEL :
						 LGUEST_PAGING_PAE, 0, 0);
	GUEST_ASSERT(0);
}
