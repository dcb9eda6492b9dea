// SPDX-License-Identifier: GPL-2.0
/*
 * A trap gate the guest installs for the system call vector is taken by
 * the CPU without the host: the flags it pushes carry the real interrupt
 * flag (always on in a guest), where the host, reflecting the trap, would
 * push the guest's virtual one (off here).  With an interrupt gate the
 * host does exactly that.
 */
#include "guest.h"

void sys_entry(void);
volatile uint32_t sys_flags, sys_count;

asm(".globl sys_entry\n"
    "sys_entry:\n"
    "	pushl %eax\n"
    "	movl 12(%esp), %eax\n"
    "	movl %eax, sys_flags\n"
    "	incl sys_count\n"
    "	popl %eax\n"
    "	iret\n");

void guest_main(void)
{
	guest_init();
	set_gate(0x80, sys_entry, GATE_TRAP, 3);
	lguest_data.irq_enabled = 0;
	asm volatile("int $0x80" : : : "memory");
	GUEST_ASSERT(sys_count == 1);
	GUEST_REPORT(sys_flags);

	/*
	 * An interrupt gate (what 6.12's IDT has) goes through the host,
	 * which pushes the virtual interrupt flag: off.
	 */
	set_gate(0x80, sys_entry, GATE_INTERRUPT, 3);
	asm volatile("int $0x80" : : : "memory");
	GUEST_ASSERT(sys_count == 2);
	GUEST_REPORT(sys_flags);
}
