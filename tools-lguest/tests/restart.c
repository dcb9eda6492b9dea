// SPDX-License-Identifier: GPL-2.0
/* A guest that asks to be restarted. */
#include "guest.h"

void guest_main(void)
{
	console_find();
	puts_early("restarting\n");
	lgrt_shutdown("Restart", LGUEST_SHUTDOWN_RESTART);
}
