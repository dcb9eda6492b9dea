// SPDX-License-Identifier: GPL-2.0
/* The first hypercall must be LHCALL_LGUEST_INIT. */
#include "guest.h"

void guest_main(void)
{
	hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
	GUEST_ASSERT(0);
}
