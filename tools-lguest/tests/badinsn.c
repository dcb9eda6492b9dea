// SPDX-License-Identifier: GPL-2.0
/*
 * String port I/O, which the launcher does not emulate: it passes the
 * #GP back, and with no IDT the guest cannot take it.
 */
#include "guest.h"

void guest_main(void)
{
	static uint8_t buf[4];

	console_find();
	puts_early("trying insb\n");
	asm volatile("insb" : : "D" (buf), "d" (0xCFC) : "memory");
	puts_early("insb came back: wrong\n");
}
