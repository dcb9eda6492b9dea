// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that says it is up, then sleeps until the launcher is stopped
 * from outside: the terminal and --user tests need a guest that is
 * running, not one that is booting or already gone.
 */
#include "guest.h"

void guest_main(void)
{
	console_find();
	puts_early("idle: waiting to be stopped\n");
	/* Interrupts stay off, so nothing but a signal ends the halt. */
	for (;;)
		hcall(LHCALL_HALT, 0, 0, 0, 0);
}
