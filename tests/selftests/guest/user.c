// SPDX-License-Identifier: GPL-2.0
/*
 * Guest user mode (ring 3): its "int $0x80" takes the guest's trap gate
 * straight to ring 1 on the LHCALL_SET_STACK stack, and a fault it makes
 * (reading a kernel page) comes to the guest through the host, with the
 * user's ss and esp on the kernel stack.  Before that, the guest kernel
 * reads a user page, which host SMAP would forbid.
 */
#include "guest.h"

void sys_entry(void), pf_entry(void);
volatile uint32_t sys_count, sys_cs, sys_ss, pf_cs, pf_err, pf_ss;

static uint8_t kstack[4096] __attribute__((aligned(4096)));
static uint8_t user_code[4096] __attribute__((aligned(4096)));
static uint8_t user_stack[4096] __attribute__((aligned(4096)));
static pteval_t user_ptes[PT_ENTRIES] __attribute__((aligned(4096)));

#define USER_ADDR	0x40000000u

/* int $0x80 from ring 3: note where it came from, go back. */
asm(".globl sys_entry\n"
    "sys_entry:\n"
    "	incl sys_count\n"
    "	pushl %eax\n"
    "	movl 8(%esp), %eax\n"	/* cs */
    "	movl %eax, sys_cs\n"
    "	movl 20(%esp), %eax\n"	/* ss */
    "	movl %eax, sys_ss\n"
    "	popl %eax\n"
    "	iret\n");

/* The user's read of a kernel page: report, and finish in ring 1. */
asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	popl pf_err\n"
    "	movl 4(%esp), %eax\n"
    "	movl %eax, pf_cs\n"
    "	movl 16(%esp), %eax\n"
    "	movl %eax, pf_ss\n"
    "	call user_done\n");

void user_done(void)
{
	GUEST_ASSERT(sys_count == 1);
	GUEST_ASSERT(sys_cs == 0x73 && sys_ss == 0x7b);
	GUEST_ASSERT(pf_cs == 0x73 && pf_ss == 0x7b);
	GUEST_ASSERT(pf_err == 5);	/* present, read, user */
	GUEST_REPORT(sys_cs);
	GUEST_DONE();
	guest_shutdown("user test done");
}

void guest_main(void)
{
	/* int $0x80; movl 0x100000, %eax; jmp . */
	static const uint8_t code[] = {
		0xcd, 0x80, 0xa1, 0x00, 0x00, 0x10, 0x00, 0xeb, 0xfe,
	};
	unsigned int i;

	guest_init();
	/* Flat user code and data, DPL 3, in the usual slots 14 and 15. */
	hcall(LHCALL_LOAD_GDT_ENTRY, 14, 0x0000ffff, 0x00cffa00, 0);
	hcall(LHCALL_LOAD_GDT_ENTRY, 15, 0x0000ffff, 0x00cff200, 0);
	hcall(LHCALL_SET_STACK, 0x69, (uint32_t)kstack + sizeof(kstack), 1, 0);
	set_gate(0x80, sys_entry, GATE_TRAP, 3);
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);

	for (i = 0; i < sizeof(code); i++)
		user_code[i] = code[i];
	user_ptes[0] = (uint32_t)user_code | PTE_USERPAGE;
	user_ptes[1] = (uint32_t)user_stack | PTE_USERPAGE;
	*pt_pde(&guest_dir, USER_ADDR) = (uint32_t)user_ptes | PTE_USERPAGE;
	guest_setup_paging();

	/*
	 * The guest kernel reads its user's pages, as copy_from_user does:
	 * fine even where the host runs with SMAP, which the switcher turns
	 * off while the guest runs.
	 */
	GUEST_ASSERT(*(volatile uint8_t *)USER_ADDR == 0xcd);

	asm volatile("pushl $0x7b\n"		/* ss */
		     "	pushl %0\n"		/* esp */
		     "	pushl $0x202\n"		/* eflags */
		     "	pushl $0x73\n"		/* cs */
		     "	pushl %1\n"		/* eip */
		     "	iret"
		     : : "r" (USER_ADDR + 2 * 4096), "r" (USER_ADDR) : "memory");
	GUEST_ASSERT(0);
}
