// SPDX-License-Identifier: GPL-2.0
/*
 * LHREQ_IRQ from another thread of the launcher raises an interrupt: the
 * guest halts until line 5 (vector 37) arrives.  A masked line stays
 * pending until the guest unmasks it.
 */
#include "guest.h"

void irq5_entry(void);
volatile uint32_t irq5_count;

asm(".globl irq5_entry\n"
    "irq5_entry:\n"
    "	incl irq5_count\n"
    "	iret\n");

void guest_main(void)
{
	guest_init();
	set_gate(37, irq5_entry, GATE_INTERRUPT, 0);
	lguest_data.blocked_interrupts[0] = 0;

	GUEST_REPORT(0);	/* the test starts its thread now */
	while (!irq5_count)
		hcall(LHCALL_HALT, 0, 0, 0, 0);
	GUEST_REPORT(irq5_count);
}
