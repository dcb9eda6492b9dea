// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that computes for a while: the host's own interrupts arrive
 * while it runs and go to the host's handlers.  The x87 stack holds a
 * value all along; the test runs an FPU-hungry process beside it, so the
 * value survives only if the host keeps the guest's FPU state (the
 * launcher's) across its context switches.
 */
#include "guest.h"

void guest_main(void)
{
	uint32_t in = 0x1234567, out = 0;
	volatile uint32_t i;

	asm volatile("fninit; fildl %0" : : "m" (in));
	for (i = 0; i < 30 * 1000 * 1000; i++)
		;
	asm volatile("fistpl %0" : "=m" (out));
	GUEST_REPORT(out);
	GUEST_ASSERT(out == in);
}
