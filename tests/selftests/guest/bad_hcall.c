// SPDX-License-Identifier: GPL-2.0
/* An unknown hypercall kills the guest with a reason. */
#include "guest.h"

void guest_main(void)
{
	lgrt_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	hcall(99, 0, 0, 0, 0);
	GUEST_ASSERT(0);
}
