// SPDX-License-Identifier: GPL-2.0
/*
 * A page fault the guest's own page tables cause is reflected to the
 * guest's handler, with the address in lguest_data.cr2; writes to the
 * switcher's pages fault too.
 */
#include "guest.h"

void pf_entry(void), gp_entry(void);
volatile uint32_t pf_count, pf_err, pf_cr2, pf_resume, gp_count;

/*
 * The handler: note the error code and cr2, and resume at pf_resume
 * (each faulting access below sets it to the instruction after it).
 */
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

/*
 * Where the CPU checks segment limits, the guest's segments end below the
 * switcher and writing there is a #GP, which the test re-injects.
 */
asm(".globl gp_entry\n"
    "gp_entry:\n"
    "	addl $4, %esp\n"
    "	incl gp_count\n"
    "	pushl %eax\n"
    "	movl pf_resume, %eax\n"
    "	movl %eax, 4(%esp)\n"
    "	popl %eax\n"
    "	iret\n");

/* Write to addr; resume after the write if it faults. */
static void try_write(uint32_t addr)
{
	asm volatile("movl $1f, pf_resume\n"
		     "	movl $0x5a5a5a5a, (%0)\n"
		     "1:" : : "r" (addr) : "memory");
}

void guest_main(void)
{
	guest_init();
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);
	set_gate(13, gp_entry, GATE_INTERRUPT, 0);
	guest_setup_paging();

	/* 8 MiB: no page directory entry, the guest's own fault. */
	try_write(0x800000);
	GUEST_ASSERT(pf_count == 1);
	GUEST_ASSERT(pf_cr2 == 0x800000);
	GUEST_ASSERT(pf_err == 0x2);	/* write, not present, kernel */
	GUEST_REPORT(pf_cr2);

	/* An x86_64 host has no switcher in our address space. */
	if (!lguest_data.reserve_mem) {
		GUEST_REPORT(pf_count);
		return;
	}
	/*
	 * The switcher's code page (present, read-only), then its read-only
	 * state pages for host CPUs 0 and 1: each write faults.
	 */
	try_write(switcher_addr());
	GUEST_ASSERT(pf_count + gp_count == 2);
	GUEST_ASSERT(gp_count || (pf_cr2 == switcher_addr() && (pf_err & 0x2)));
	try_write(switcher_addr() + 2 * 4096);
	GUEST_ASSERT(pf_count + gp_count == 3);
	try_write(switcher_addr() + 4 * 4096);
	GUEST_ASSERT(pf_count + gp_count == 4);
	pf_count += gp_count;
	GUEST_REPORT(pf_count);
}
