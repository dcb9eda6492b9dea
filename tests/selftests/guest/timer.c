// SPDX-License-Identifier: GPL-2.0
/*
 * LHCALL_SET_CLOCKEVENT raises interrupt line 0 (vector 32) once, after
 * the time asked, and LHCALL_HALT sleeps until it comes.  Three rounds:
 * the test times each from one report to the next and checks the count.
 * Then the guest halts with nothing armed: no further interrupt may wake
 * it.
 */
#include "guest.h"

#define ROUNDS	3

void irq_entry(void);
volatile uint32_t irq_count;

asm(".globl irq_entry\n"
    "irq_entry:\n"
    "	incl irq_count\n"
    "	iret\n");

void guest_main(void)
{
	unsigned int i;

	guest_init();
	set_gate(32, irq_entry, GATE_INTERRUPT, 0);
	lguest_data.blocked_interrupts[0] = 0;

	/* Where the count is: the test reads it while the guest sleeps. */
	GUEST_REPORT((uint32_t)&irq_count);
	GUEST_REPORT(irq_count);
	for (i = 1; i <= ROUNDS; i++) {
		hcall(LHCALL_SET_CLOCKEVENT, 300 * 1000 * 1000, 0, 0, 0);
		while (irq_count < i)
			hcall(LHCALL_HALT, 0, 0, 0, 0);
		GUEST_REPORT(irq_count);
	}

	/* Only an interrupt ends this. */
	hcall(LHCALL_HALT, 0, 0, 0, 0);
	GUEST_REPORT(irq_count);
}
