// SPDX-License-Identifier: GPL-2.0
/*
 * A trap gate the guest installs for the system call vector is taken by
 * the CPU without the host: the flags it pushes carry the real interrupt
 * flag (always on in a guest), where the host, reflecting the trap, would
 * push the guest's virtual one (off here).  Then many more calls, which
 * the host sees (its exits counter) only if each one exits.  One more on
 * a stack page the guest has not touched yet, so not in the shadow page
 * tables: an x86_64 host, writing the frame itself, must fall back to
 * delivering that one.  With an interrupt gate the host does what the
 * flags say.
 */
#include "guest.h"

void sys_entry(void);
volatile uint32_t sys_flags, sys_count;
static uint8_t fresh_stack[4096] __attribute__((aligned(4096)));

asm(".globl sys_entry\n"
    "sys_entry:\n"
    "	pushl %eax\n"
    "	movl 12(%esp), %eax\n"
    "	movl %eax, sys_flags\n"
    "	incl sys_count\n"
    "	popl %eax\n"
    "	iret\n");

/* The calls of the counted loop; lgtest allows a tenth as many exits. */
#define SYSCALLS	10000

void guest_main(void)
{
	uint32_t sp = (uint32_t)fresh_stack + sizeof(fresh_stack);
	unsigned int i;

	guest_init();
	set_gate(0x80, sys_entry, GATE_TRAP, 3);
	lguest_data.irq_enabled = 0;
	asm volatile("int $0x80" : : : "memory");
	GUEST_ASSERT(sys_count == 1);
	GUEST_REPORT(sys_flags);
	for (i = 0; i < SYSCALLS; i++)
		asm volatile("int $0x80" : : : "memory");
	GUEST_ASSERT(sys_count == 1 + SYSCALLS);
	GUEST_REPORT(SYSCALLS);
	asm volatile("xchgl %0, %%esp\n\tint $0x80\n\txchgl %0, %%esp"
		     : "+r" (sp) : : "memory");
	GUEST_ASSERT(sys_count == 2 + SYSCALLS);

	/*
	 * An interrupt gate (what 6.12's IDT has) goes through the host,
	 * which pushes the virtual interrupt flag: off.
	 */
	set_gate(0x80, sys_entry, GATE_INTERRUPT, 3);
	asm volatile("int $0x80" : : : "memory");
	GUEST_ASSERT(sys_count == 3 + SYSCALLS);
	GUEST_REPORT(sys_flags);
}
