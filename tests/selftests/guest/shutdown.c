// SPDX-License-Identifier: GPL-2.0
/* LHCALL_SHUTDOWN's reason reaches the launcher. */
#include "guest.h"

void guest_main(void)
{
	lgrt_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	guest_shutdown("goodbye from ring 1");
	GUEST_ASSERT(0);
}
