// SPDX-License-Identifier: GPL-2.0
/* The guest runs in ring 1 on the host's flat ring-1 segments; UMIP is off. */
#include "guest.h"

void guest_main(void)
{
	uint16_t cs, ss, ds;

	asm volatile("mov %%cs, %0; mov %%ss, %1; mov %%ds, %2"
		     : "=r" (cs), "=r" (ss), "=r" (ds));
	GUEST_REPORT(cs);
	GUEST_ASSERT((cs & 3) == 1);
	GUEST_ASSERT(ss == 0x69 && ds == 0x69);

	/*
	 * sgdt works in ring 1 even where the host has UMIP on: the switcher
	 * turns it off while the guest runs.  The GDT is the host's copy.
	 */
	{
		struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdt;

		asm volatile("sgdt %0" : "=m" (gdt));
		GUEST_ASSERT(gdt.limit == 32 * 8 - 1);
	}
}
