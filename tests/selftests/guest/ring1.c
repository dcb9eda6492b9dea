// SPDX-License-Identifier: GPL-2.0
/* The guest runs in ring 1 on the host's flat ring-1 segments. */
#include "guest.h"

void guest_main(void)
{
	uint16_t cs, ss, ds;

	asm volatile("mov %%cs, %0; mov %%ss, %1; mov %%ds, %2"
		     : "=r" (cs), "=r" (ss), "=r" (ds));
	GUEST_REPORT(cs);
	GUEST_ASSERT((cs & 3) == 1);
	GUEST_ASSERT(ss == 0x69 && ds == 0x69);
}
