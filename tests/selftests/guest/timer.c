// SPDX-License-Identifier: GPL-2.0
/*
 * LHCALL_SET_CLOCKEVENT raises interrupt line 0 (vector 32) after the
 * time asked, and LHCALL_HALT sleeps until it comes.  The test times the
 * gap between the two reports.
 */
#include "guest.h"

void irq_entry(void);
volatile uint32_t irq_count;

asm(".globl irq_entry\n"
    "irq_entry:\n"
    "	incl irq_count\n"
    "	iret\n");

void guest_main(void)
{
	guest_init();
	set_gate(32, irq_entry, GATE_INTERRUPT, 0);
	lguest_data.blocked_interrupts[0] = 0;

	GUEST_REPORT(0);
	hcall(LHCALL_SET_CLOCKEVENT, 300 * 1000 * 1000, 0, 0, 0);
	while (!irq_count)
		hcall(LHCALL_HALT, 0, 0, 0, 0);
	GUEST_REPORT(irq_count);
}
