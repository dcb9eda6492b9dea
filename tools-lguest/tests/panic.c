// SPDX-License-Identifier: GPL-2.0
/* A guest that panics the way Linux's lguest panic notifier reports it. */
#include "guest.h"

void guest_main(void)
{
	console_find();
	puts_early("about to panic\n");
	shutdown("Kernel panic - not syncing: lguest test panic", LGUEST_SHUTDOWN_POWEROFF);
}
