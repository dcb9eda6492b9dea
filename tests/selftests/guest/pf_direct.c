// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's own page faults on user pages it has not mapped, from ring
 * 1 (as copy_to_user takes them) and from ring 3: its handler gets cr2,
 * the error code of an entry that is not present, the flags with the
 * virtual interrupt flag, and, through an interrupt gate, the virtual
 * interrupts off.  The handler maps the page without telling the host,
 * as a Linux guest's update waits in the ring, and returns: the retry
 * must find the page, and no fault may come twice.  On an x86_64 host
 * the world switch delivers them (the page-fault bounce); lgtest counts
 * the exits between the reports.
 */
#include "guest.h"

void pf_entry(void), sys_entry(void);
void pf_map(void), user_done(void);
volatile uint32_t pf_count, pf_spurious, pf_err, pf_cr2, pf_flags, pf_irq,
	pf_cs;

#define USER_ADDR	0x40000000u
/* Entries of user_ptes: code, stack, then the pages faulted in. */
#define KERNEL_FIRST	16
#define KERNEL_FAULTS	32
#define USER_FIRST	(KERNEL_FIRST + KERNEL_FAULTS)
#define USER_FAULTS	8

static uint8_t kstack[4096] __attribute__((aligned(4096)));
static uint8_t user_code[4096] __attribute__((aligned(4096)));
static uint8_t user_stack[4096] __attribute__((aligned(4096)));
static uint8_t pages[KERNEL_FAULTS + USER_FAULTS][4096]
	__attribute__((aligned(4096)));
static pteval_t user_ptes[PT_ENTRIES] __attribute__((aligned(4096)));

/*
 * The handler: note what the CPU (or the host) gave it, map the page,
 * turn the virtual interrupts back on as the guest's iret would, retry.
 */
asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	popl pf_err\n"
    "	pushl %eax\n"
    "	movl lguest_data + 8, %eax\n"
    "	movl %eax, pf_cr2\n"
    "	movl 8(%esp), %eax\n"
    "	movl %eax, pf_cs\n"
    "	movl 12(%esp), %eax\n"
    "	movl %eax, pf_flags\n"
    "	movl lguest_data, %eax\n"
    "	movl %eax, pf_irq\n"
    "	pushal\n"
    "	call pf_map\n"
    "	popal\n"
    "	movl $0x200, lguest_data\n"
    "	popl %eax\n"
    "	iret\n");

void pf_map(void)
{
	uint32_t i = (pf_cr2 - USER_ADDR) >> 12;

	if (i < USER_FIRST + USER_FAULTS && (user_ptes[i] & PTE_PRESENT)) {
		pf_spurious++;
		return;
	}
	GUEST_ASSERT(i >= KERNEL_FIRST && i < USER_FIRST + USER_FAULTS);
	pf_count++;
	user_ptes[i] = (uint32_t)pages[i - KERNEL_FIRST] | PTE_USERPAGE;
}

/* The user's int $0x80 after its faults: check them, report, finish. */
asm(".globl sys_entry\n"
    "sys_entry:\n"
    "	call user_done\n");

void user_done(void)
{
	GUEST_ASSERT(pf_count == KERNEL_FAULTS + USER_FAULTS);
	GUEST_ASSERT(pf_spurious == 0);
	GUEST_ASSERT(pf_cr2 == USER_ADDR + (USER_FIRST + USER_FAULTS - 1) * 4096);
	GUEST_ASSERT(pf_err == 6);		/* write, user, not present */
	GUEST_ASSERT(pf_cs == 0x73);
	GUEST_ASSERT(pf_flags & 0x200);
	GUEST_ASSERT(pf_irq == 0);
	GUEST_ASSERT(peek((uint32_t)pages[KERNEL_FAULTS + USER_FAULTS - 1]) ==
		     USER_FAULTS - 1);
	GUEST_REPORT(USER_FAULTS);
	GUEST_DONE();
	guest_shutdown("pf_direct test done");
}

void guest_main(void)
{
	uint8_t *p = user_code;
	unsigned int i;

	guest_init();
	hcall(LHCALL_LOAD_GDT_ENTRY, 14, 0x0000ffff, 0x00cffa00, 0);
	hcall(LHCALL_LOAD_GDT_ENTRY, 15, 0x0000ffff, 0x00cff200, 0);
	hcall(LHCALL_SET_STACK, 0x69, (uint32_t)kstack + sizeof(kstack), 1, 0);
	set_gate(0x80, sys_entry, GATE_TRAP, 3);
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);

	/* The user's code: a store to each of its pages, then int $0x80. */
	for (i = 0; i < USER_FAULTS; i++)
		p = emit_store(p, USER_ADDR + (USER_FIRST + i) * 4096, i);
	*p++ = 0xcd;
	*p++ = 0x80;
	*p++ = 0xeb;
	*p++ = 0xfe;
	user_ptes[0] = (uint32_t)user_code | PTE_USERPAGE;
	user_ptes[1] = (uint32_t)user_stack | PTE_USERPAGE;
	*pt_pde(&guest_dir, USER_ADDR) = (uint32_t)user_ptes | PTE_USERPAGE;
	guest_setup_paging();
	/*
	 * The host hands a fault to the guest through lguest_data at the
	 * kernel's address of it (0xC0000000 up), as a Linux guest uses it:
	 * write there once, so that the shadow has it writable.
	 */
	*(volatile uint32_t *)(0xC0000000u + (uint32_t)&lguest_data) = 0;
	GUEST_REPORT(0);

	/* From ring 1, with the virtual interrupts on. */
	for (i = 0; i < KERNEL_FAULTS; i++) {
		uint32_t addr = USER_ADDR + (KERNEL_FIRST + i) * 4096;

		lguest_data.irq_enabled = 0x200;
		*(volatile uint32_t *)addr = i;
		GUEST_ASSERT(pf_count == i + 1);
		GUEST_ASSERT(pf_cr2 == addr);
		GUEST_ASSERT(pf_err == 2);	/* write, kernel, not present */
		GUEST_ASSERT(pf_cs == 0x61);
		GUEST_ASSERT(pf_flags & 0x200);
		GUEST_ASSERT(pf_irq == 0);
		GUEST_ASSERT(peek((uint32_t)pages[i]) == i);
	}
	GUEST_ASSERT(pf_spurious == 0);
	GUEST_REPORT(KERNEL_FAULTS);

	/* From ring 3. */
	lguest_data.irq_enabled = 0x200;
	asm volatile("pushl $0x7b\n"		/* ss */
		     "	pushl %0\n"		/* esp */
		     "	pushl $0x202\n"		/* eflags */
		     "	pushl $0x73\n"		/* cs */
		     "	pushl %1\n"		/* eip */
		     "	iret"
		     : : "r" (USER_ADDR + 2 * 4096), "r" (USER_ADDR) : "memory");
	GUEST_ASSERT(0);
}
