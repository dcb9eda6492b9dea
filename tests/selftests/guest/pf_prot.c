// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's own protection faults on user pages: writes to pages it
 * maps read-only, from ring 1 (as copy_to_user takes a copy-on-write
 * fault) and from ring 3.  The handler gets cr2 and the error code of a
 * present entry, makes the entry writable without telling the host (as a
 * Linux guest's update waits in the ring) and returns: the retry must
 * find the page writable.  In between, writes from ring 1 to pages
 * mapped writable but not dirty, each read first: the host must set the
 * dirty bit as the CPU would.  Where the world switch hands protection
 * faults to the guest (an x86_64 host), such a first write reaches the
 * handler as a fault on an entry that allows it, once, and the handler
 * retries, as Linux does.  lgtest counts the exits between the reports.
 *
 * Then writes from ring 1 to read-only pages never read, each first in
 * its block of the shadow: the world switch finds the guest's entry
 * read-only and hands over a protection fault, as for the others.
 *
 * The guest asks for LGUEST_INIT_FAULT_READONLY: a write the switch hands
 * over on a read-only entry names its page in fault_readonly,
 * which the handler counts and clears, as a Linux guest's iret does; the
 * reports of the read-only pages carry that count in their top half.
 */
#include "guest.h"

void pf_entry(void), sys_entry(void);
void pf_fix(void), user_done(void);
volatile uint32_t pf_fixed, pf_spurious, pf_named, pf_err, pf_cr2, pf_cs;

#define USER_ADDR	0x40000000u
/* Entries of user_ptes: code, stack, then the three sets of pages. */
#define RO_KERNEL	2
#define NR_KERNEL	16
#define CLEAN		(RO_KERNEL + NR_KERNEL)
#define NR_CLEAN	8
#define RO_USER		(CLEAN + NR_CLEAN)
#define NR_USER		8
#define NR_PAGES	(NR_KERNEL + NR_CLEAN + NR_USER)
/* Never read: one in each block of 64 entries after the first. */
#define FRESH_STEP	64
#define NR_FRESH	6

#define PTE_RDONLY	(PTE_PRESENT | PTE_USER | PTE_ACCESSED)
#define PTE_CLEAN	(PTE_RDONLY | PTE_RW)
#define PF_PRESENT_WRITE	3
#define PF_USER		4

static uint8_t kstack[4096] __attribute__((aligned(4096)));
static uint8_t user_code[4096] __attribute__((aligned(4096)));
static uint8_t user_stack[4096] __attribute__((aligned(4096)));
static uint8_t pages[NR_PAGES + NR_FRESH][4096] __attribute__((aligned(4096)));
static pteval_t user_ptes[PT_ENTRIES] __attribute__((aligned(4096)));

static uint32_t page_addr(unsigned int entry)
{
	return USER_ADDR + entry * 4096;
}

asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	popl pf_err\n"
    "	pushl %eax\n"
    "	movl lguest_data + 8, %eax\n"
    "	movl %eax, pf_cr2\n"
    "	movl 8(%esp), %eax\n"
    "	movl %eax, pf_cs\n"
    "	pushal\n"
    "	call pf_fix\n"
    "	popal\n"
    "	movl $0x200, lguest_data\n"
    "	popl %eax\n"
    "	iret\n");

/* A write to an entry that allows it is spurious: retry. */
void pf_fix(void)
{
	uint32_t i = (pf_cr2 - USER_ADDR) >> 12;

	GUEST_ASSERT(pf_cr2 >= USER_ADDR && i >= RO_KERNEL &&
		     (i < RO_KERNEL + NR_PAGES ||
		      (i % FRESH_STEP == 0 && i <= NR_FRESH * FRESH_STEP)));
	GUEST_ASSERT((pf_err & PF_PRESENT_WRITE) == PF_PRESENT_WRITE);
	if (lguest_data.fault_readonly == (pf_cr2 & ~0xfffu))
		pf_named++;
	lguest_data.fault_readonly = 0;
	if (user_ptes[i] & PTE_RW) {
		pf_spurious++;
		return;
	}
	pf_fixed++;
	user_ptes[i] |= PTE_RW | PTE_DIRTY;
}

asm(".globl sys_entry\n"
    "sys_entry:\n"
    "	call user_done\n");

void user_done(void)
{
	unsigned int i;

	GUEST_ASSERT(pf_fixed == NR_KERNEL + NR_FRESH + NR_USER);
	GUEST_ASSERT(pf_spurious == 0);
	GUEST_ASSERT(pf_err == (PF_PRESENT_WRITE | PF_USER));
	GUEST_ASSERT(pf_cs == 0x73);
	for (i = 0; i < NR_USER; i++)
		GUEST_ASSERT(peek((uint32_t)pages[NR_KERNEL + NR_CLEAN + i]) ==
			     0x300 + i);
	GUEST_REPORT(pf_named << 16 | NR_USER);
	GUEST_DONE();
	guest_shutdown("pf_prot test done");
}

void guest_main(void)
{
	uint8_t *p = user_code;
	uint32_t spurious;
	unsigned int i;

	lgrt_lguest_init(GUEST_PAGING | LGUEST_INIT_FAULT_READONLY);
	hcall(LHCALL_LOAD_GDT_ENTRY, 14, 0x0000ffff, 0x00cffa00, 0);
	hcall(LHCALL_LOAD_GDT_ENTRY, 15, 0x0000ffff, 0x00cff200, 0);
	hcall(LHCALL_SET_STACK, 0x69, (uint32_t)kstack + sizeof(kstack), 1, 0);
	set_gate(0x80, sys_entry, GATE_TRAP, 3);
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);

	for (i = 0; i < NR_USER; i++)
		p = emit_store(p, page_addr(RO_USER + i), 0x300 + i);
	*p++ = 0xcd;
	*p++ = 0x80;
	*p++ = 0xeb;
	*p++ = 0xfe;
	user_ptes[0] = (uint32_t)user_code | PTE_USERPAGE;
	user_ptes[1] = (uint32_t)user_stack | PTE_USERPAGE;
	for (i = 0; i < NR_PAGES; i++)
		user_ptes[RO_KERNEL + i] = (uint32_t)pages[i] |
			(i >= NR_KERNEL && i < NR_KERNEL + NR_CLEAN ?
			 PTE_CLEAN : PTE_RDONLY);
	for (i = 0; i < NR_FRESH; i++)
		user_ptes[(i + 1) * FRESH_STEP] = (uint32_t)pages[NR_PAGES + i] |
						   PTE_RDONLY;
	*pt_pde(&guest_dir, USER_ADDR) = (uint32_t)user_ptes | PTE_USERPAGE;
	guest_setup_paging();
	/* Where the switch writes cr2 (see pf_direct.c): writable there. */
	*(volatile uint32_t *)(0xC0000000u + (uint32_t)&lguest_data) = 0;
	/* Every page read once, so that the shadow has it, read-only. */
	for (i = 0; i < NR_PAGES; i++)
		GUEST_ASSERT(peek(page_addr(RO_KERNEL + i)) == 0);
	GUEST_REPORT(0);

	/* From ring 1, to read-only pages: copy-on-write faults. */
	for (i = 0; i < NR_KERNEL; i++) {
		uint32_t addr = page_addr(RO_KERNEL + i);

		lguest_data.irq_enabled = 0x200;
		*(volatile uint32_t *)addr = 0x100 + i;
		GUEST_ASSERT(pf_fixed == i + 1);
		GUEST_ASSERT(pf_cr2 == addr);
		GUEST_ASSERT(pf_err == PF_PRESENT_WRITE);
		GUEST_ASSERT(pf_cs == 0x61);
		GUEST_ASSERT(peek((uint32_t)pages[i]) == 0x100 + i);
	}
	GUEST_ASSERT(pf_spurious == 0);
	GUEST_REPORT(pf_named << 16 | NR_KERNEL);

	/* From ring 1, to writable pages read but not written: dirty. */
	for (i = 0; i < NR_CLEAN; i++) {
		uint32_t addr = page_addr(CLEAN + i);

		/* The host writes the entry: read it from memory. */
		GUEST_ASSERT(!(peek((uint32_t)&user_ptes[CLEAN + i]) & PTE_DIRTY));
		lguest_data.irq_enabled = 0x200;
		*(volatile uint32_t *)addr = 0x200 + i;
		GUEST_ASSERT(peek((uint32_t)&user_ptes[CLEAN + i]) & PTE_DIRTY);
		GUEST_ASSERT(peek((uint32_t)pages[NR_KERNEL + i]) == 0x200 + i);
	}
	GUEST_ASSERT(pf_fixed == NR_KERNEL);
	spurious = pf_spurious;
	GUEST_ASSERT(spurious <= NR_CLEAN);
	GUEST_REPORT(NR_CLEAN << 16 | spurious);

	/* From ring 1, to read-only pages the shadow has not mapped. */
	pf_named = 0;
	for (i = 0; i < NR_FRESH; i++) {
		uint32_t addr = page_addr((i + 1) * FRESH_STEP);

		lguest_data.irq_enabled = 0x200;
		*(volatile uint32_t *)addr = 0x400 + i;
		GUEST_ASSERT(pf_cr2 == addr);
		GUEST_ASSERT(pf_err == PF_PRESENT_WRITE);
		GUEST_ASSERT(peek((uint32_t)pages[NR_PAGES + i]) == 0x400 + i);
	}
	GUEST_ASSERT(pf_fixed == NR_KERNEL + NR_FRESH);
	GUEST_REPORT(pf_named << 16 | NR_FRESH);

	/* From ring 3. */
	pf_spurious = 0;
	pf_named = 0;
	lguest_data.irq_enabled = 0x200;
	asm volatile("pushl $0x7b\n"		/* ss */
		     "	pushl %0\n"		/* esp */
		     "	pushl $0x202\n"		/* eflags */
		     "	pushl $0x73\n"		/* cs */
		     "	pushl %1\n"		/* eip */
		     "	iret"
		     : : "r" (page_addr(2)), "r" (USER_ADDR) : "memory");
	GUEST_ASSERT(0);
}
