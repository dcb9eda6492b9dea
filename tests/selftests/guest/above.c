// SPDX-License-Identifier: GPL-2.0
/*
 * Every address above the guest's memory is the guest's own, up to 4 GiB
 * (or up to the switcher of a 32-bit host): one of its pages, mapped by a
 * single page table that every page directory (PAE: pmd) entry from the
 * end of its 4 MiB up points at, is at the start of each of those 4 MiB
 * (PAE: 2 MiB) steps.  At each the guest writes a word, reads it back,
 * finds it in its page, and runs the code there, which returns its own
 * address.  The shadow has a table for every step; nothing of the host
 * shows through any of them.
 *
 * Without a switcher (an x86_64 host, in compatibility mode) it then
 * reaches past 4 GiB: through a data segment whose base is the last page
 * below 4 GiB, and with a word that straddles 4 GiB.  Linear addresses
 * have 32 bits there, so each access wraps to the guest's own memory, or
 * the CPU refuses it: a #GP (error code 0, so the test sees it) for the
 * segment limit, which the host cuts at 4 GiB, or a #PF.  The test
 * checks which, from what the guest reports.
 */
#include "guest.h"

static pteval_t shared_ptes[PT_ENTRIES] __attribute__((aligned(4096)));
/* The page mapped at every step: code at 0, the word at WORD_OFF. */
static uint8_t probe[4096] __attribute__((aligned(4096)));
#define WORD_OFF	0x100

/* Where the steps are: the test reads it if a check fails. */
volatile uint32_t above_where;

void pf_entry(void);
volatile uint32_t pf_count, pf_cr2, pf_resume;

/* A #PF past 4 GiB: note it and resume at pf_resume. */
asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	addl $4, %esp\n"
    "	incl pf_count\n"
    "	pushl %eax\n"
    "	movl lguest_data + 8, %eax\n"
    "	movl %eax, pf_cr2\n"
    "	movl pf_resume, %eax\n"
    "	movl %eax, 4(%esp)\n"
    "	popl %eax\n"
    "	iret\n");

static void step(uint32_t a)
{
	uint32_t (*fn)(void) = (uint32_t (*)(void))a;
	uint32_t v = a ^ 0x5a5aa5a5;

	above_where = a;
	*(volatile uint32_t *)(a + WORD_OFF) = v;
	GUEST_ASSERT(peek(a + WORD_OFF) == v);
	GUEST_ASSERT(peek((uint32_t)probe + WORD_OFF) == v);
	GUEST_ASSERT(fn() == a + 5);
}

/* Past 4 GiB, on a host without a switcher: four reports. */
static void past_4g(void)
{
	volatile uint32_t *low = (volatile uint32_t *)0x1000;
	uint32_t v = 0;

	/* Slot 20: data, base 0xfffff000, 4 GiB in 4 KiB units, DPL 1. */
	hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0xf000ffff, 0xffcfb3ff, 0);
	*low = 0x600d1000;
	/* 26 8b 02: movl %es:(%edx), %eax, at 4 GiB + 0x1000. */
	asm volatile("movl $1f, pf_resume\n"
		     "	movw %w2, %%es\n"
		     "	.byte 0x26, 0x8b, 0x02\n"
		     "1:	movw %w3, %%es"
		     : "+a" (v) : "d" (0x2000), "r" (20 * 8 + 1), "r" (0x69)
		     : "memory");
	/* 0x600d1000 if it wrapped; 0xe0fc if the test saw the #GP. */
	GUEST_REPORT(v);
	GUEST_REPORT(pf_count);

	/* c7 00 imm32: movl $0x11223344, (%eax), at 0xfffffffe. */
	*(volatile uint32_t *)0 = 0;
	asm volatile("movl $1f, pf_resume\n"
		     "	.byte 0xc7, 0x00, 0x44, 0x33, 0x22, 0x11\n"
		     "1:" : : "a" (0xfffffffe) : "memory");
	/* 0x1122 at 0 if it wrapped: the upper half is the guest's 0. */
	GUEST_REPORT(peek(0) & 0xffff);
	GUEST_REPORT(pf_count);
}

void guest_main(void)
{
	/* call 1f; 1: pop %eax; ret: returns its address + 5. */
	static const uint8_t code[] = { 0xe8, 0, 0, 0, 0, 0x58, 0xc3 };
	uint32_t top, a, steps = 0;
	unsigned int i;

	guest_init();
	/* Where the steps stop: 4 GiB (0), or the switcher's first table. */
	top = lguest_data.reserve_mem ? switcher_addr() & ~(PT_SPAN - 1) : 0;
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);
	for (i = 0; i < sizeof(code); i++)
		probe[i] = code[i];
	/* The guest's 4 MiB at 0, and the probe page at every step above. */
	for (i = 0; i < 1024; i++)
		guest_low_ptes[i] = (i << 12) | PTE_KERNEL;
	pt_map_tables(&guest_dir, 0, guest_low_ptes, 4 << 20, PTE_KERNEL);
	shared_ptes[0] = (uint32_t)probe | PTE_KERNEL;
	/* And at the last page below 4 GiB, for the word that straddles it. */
	shared_ptes[PT_ENTRIES - 1] = (uint32_t)probe | PTE_KERNEL;
	/* a wraps to 0 after the last step below 4 GiB. */
	for (a = 4 << 20; a && a != top; a += PT_SPAN)
		*pt_pde(&guest_dir, a) = (uint32_t)shared_ptes | PTE_KERNEL;
	pt_use(&guest_dir);

	GUEST_REPORT((uint32_t)&above_where);
	GUEST_REPORT(top);
	for (a = 4 << 20; a && a != top; a += PT_SPAN, steps++)
		step(a);
	GUEST_REPORT(steps);
	GUEST_REPORT(above_where);
	if (!top)
		past_4g();
}
