// SPDX-License-Identifier: GPL-2.0
/* LHREQ_TRAP delivers a trap to the guest's handler, as the CPU would. */
#include "guest.h"

void ud_entry(void);

asm(".globl ud_entry\n"
    "ud_entry:\n"
    "	movl $3, %eax\n"
    "	movl $6, %ebx\n"
    "	outl %eax, $0xf4\n"
    "	call guest_start\n");

void guest_main(void)
{
	guest_init();
	set_gate(6, ud_entry, GATE_INTERRUPT, 0);
	GUEST_REPORT(0);	/* the test sends LHREQ_TRAP 6 here */
	for (;;)
		;
}
