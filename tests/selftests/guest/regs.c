// SPDX-License-Identifier: GPL-2.0
/* LHREQ_GETREG and SETREG see and change the guest's registers. */
#include "guest.h"

void guest_main(void)
{
	unsigned long eax = 0x1111, ebx = 0x2222;

	/* The test sets eax to ebx + 1 while we are stopped here. */
	asm volatile("outl %%eax, $0xf5" : "+a" (eax) : "b" (ebx) : "memory");
	GUEST_REPORT(eax);
	GUEST_ASSERT(eax == 0x2223);
}
