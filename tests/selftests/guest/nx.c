// SPDX-License-Identifier: GPL-2.0
/*
 * PAE only: a PTE with NX (bit 63) maps a page the guest cannot execute,
 * where the host's CPU has NX.  One page of code is mapped twice, without
 * and with NX: a call through the first runs it; one through the second
 * is a page fault with the instruction-fetch bit, both before the page is
 * in the shadow and after a read has put it there.  The guest reports
 * how many such faults it took: the test knows whether the CPU has NX.
 */
#include "guest.h"

#define XADDR	0x800000u	/* the code, executable */
#define NXADDR	0x801000u	/* the same page with NX */

#define PF_INSTR	0x10

void pf_entry(void);
volatile uint32_t pf_count, pf_err, pf_cr2, pf_resume;
static pteval_t ptes[PT_ENTRIES] __attribute__((aligned(4096)));
static uint8_t code[4096] __attribute__((aligned(4096)));

/* Note the error code and cr2, and resume at pf_resume. */
asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	popl pf_err\n"
    "	pushl %eax\n"
    "	movl lguest_data + 8, %eax\n"
    "	movl %eax, pf_cr2\n"
    "	incl pf_count\n"
    "	movl pf_resume, %eax\n"
    "	movl %eax, 4(%esp)\n"
    "	popl %eax\n"
    "	iret\n");

/* Call the code at addr: what it returns, or 0 if the call faulted. */
static uint32_t try_call(uint32_t addr)
{
	uint32_t ret;

	asm volatile("movl $2f, pf_resume\n"
		     "	pushl $1f\n"
		     "	jmp *%1\n"
		     "2:	addl $4, %%esp\n"	/* the fault: drop the return address */
		     "	xorl %0, %0\n"
		     "1:"
		     : "=a" (ret) : "r" (addr) : "memory");
	return ret;
}

void guest_main(void)
{
	/* movl $0x600d, %eax; ret */
	static const uint8_t insns[] = { 0xb8, 0x0d, 0x60, 0x00, 0x00, 0xc3 };
	unsigned int i;

	guest_init();
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);
	for (i = 0; i < sizeof(insns); i++)
		code[i] = insns[i];
	ptes[pt_pte_index(XADDR)] = (uint32_t)code | PTE_KERNEL;
	ptes[pt_pte_index(NXADDR)] = (uint32_t)code | PTE_KERNEL | PTE_NX;
	*pt_pde(&guest_dir, XADDR) = (uint32_t)ptes | PTE_KERNEL;
	guest_setup_paging();

	GUEST_ASSERT(try_call(XADDR) == 0x600d);
	GUEST_ASSERT(pf_count == 0);

	/* Not in the shadow yet: the host sees the fetch and reflects it. */
	if (try_call(NXADDR) == 0) {
		GUEST_ASSERT(pf_count == 1);
		GUEST_ASSERT(pf_cr2 == NXADDR && (pf_err & PF_INSTR));
	}
	/* In the shadow, readable: the CPU faults on the fetch itself. */
	GUEST_ASSERT((peek(NXADDR) & 0xff) == 0xb8);
	if (try_call(NXADDR) == 0) {
		GUEST_ASSERT(pf_count == 2);
		GUEST_ASSERT(pf_cr2 == NXADDR && (pf_err & PF_INSTR));
	}
	GUEST_REPORT(pf_count);
}
