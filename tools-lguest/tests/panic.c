// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that panics the way Linux's lguest panic notifier reports it:
 * LGUEST_SHUTDOWN_POWEROFF with the panic message.  (Not one that starts
 * "Kernel panic": scripts/boot would take it for the host's.)
 */
#include "guest.h"

void guest_main(void)
{
	console_find();
	puts_early("about to panic\n");
	lgrt_shutdown("Attempted to kill init! lguest test panic", LGUEST_SHUTDOWN_POWEROFF);
}
