// SPDX-License-Identifier: GPL-2.0
/*
 * (The handler returns with eax clobbered: the hypercall number must be
 * in it right before the iret.)
 *
 * An interrupt that is pending when the guest stands at its noirq_iret
 * instruction is delivered as if that iret had run first: the handler
 * starts on the same stack depth as the first time, not one frame deeper.
 */
#include "guest.h"

void irq_entry(void), noirq_iret_insn(void);
volatile uint32_t irq_count, esps[2];

asm(".globl irq_entry\n"
    "irq_entry:\n"
    "	pushl %ebx\n"
    "	movl irq_count, %eax\n"
    "	movl %esp, esps(,%eax,4)\n"
    "	incl irq_count\n"
    "	cmpl $1, irq_count\n"
    "	jne 1f\n"
    /* The first time: the test raises the line again now. */
    "	movl $3, %eax\n"
    "	movl $1, %ebx\n"
    "	outl %eax, $0xf4\n"
    "1:	popl %ebx\n"
    /* What the guest's iret does: the frame's IF becomes irq_enabled. */
    "	movl 8(%esp), %eax\n"
    "	andl $0x200, %eax\n"
    "	movl %eax, lguest_data\n"
    /* Ask for pending interrupts, and stop right at the iret. */
    "	movl $19, %eax\n"
    "	int $0x1f\n"
    ".globl noirq_iret_insn\n"
    "noirq_iret_insn:\n"
    "	iret\n");

void guest_main(void)
{
	lgrt_init_lguest_data();
	lguest_data.noirq_iret = (uint32_t)noirq_iret_insn;
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0, 0);
	set_gate(32 + 5, irq_entry, GATE_INTERRUPT, 0);
	lguest_data.blocked_interrupts[0] = 0;
	lguest_data.irq_enabled = 0x200;

	GUEST_REPORT(0);	/* the test raises line 5 */
	/* The handler clobbers eax (the hypercall number): stay off it. */
	asm volatile("1: cmpl $2, irq_count\n"
		     "	jb 1b" : : : "eax", "memory");
	GUEST_REPORT(esps[0] - esps[1]);
}
