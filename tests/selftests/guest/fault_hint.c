// SPDX-License-Identifier: GPL-2.0
/*
 * LGUEST_INIT_FAULT_HINT: lguest_data.fault_unshadowed names the page of
 * a fault the host delivered, with nothing of it left in the shadow, and
 * is 0 again once the host maps the page.  Two writes from ring 1 to
 * read-only user pages: one the shadow never held (every host delivers
 * it), one read first, so shadowed read-only (a 32-bit host delivers it;
 * an x86_64 host's switch does, and says nothing).  The handler points
 * the guest's entry at another page without telling the host, as a
 * copy-on-write fault does, and reads it: with nothing left in the
 * shadow the read finds the new page, and the host, mapping it, clears
 * the field.  Each round reports what it saw (see test_fault_hint()).
 *
 * Built with NO_HINT (fault_hint_off.elf), the same guest does not ask
 * for the hint or for LGUEST_INIT_FAULT_READONLY and starts both fields
 * at a value no page address has: the host and its world switch must
 * leave them alone, as they do for a guest of the old ABI.
 */
#include "guest.h"

#ifdef NO_HINT
#define INIT_FLAGS	GUEST_PAGING
#define UNTOUCHED	0x5a5a5a5au
#else
#define INIT_FLAGS	(GUEST_PAGING | LGUEST_INIT_FAULT_HINT)
#endif

void pf_entry(void), pf_fix(void);
volatile uint32_t pf_cr2, hint_seen, hint_after, read_seen, ro_seen, ro_after;

#define USER_ADDR	0x40000000u
/* In a block of their own, away from the shadow's fill-ahead. */
#define FIRST		64
#define OLD_VALUE	0x0ddu
#define NEW_VALUE	0x9e3u

static uint8_t old_pages[2][4096] __attribute__((aligned(4096)));
static uint8_t new_pages[2][4096] __attribute__((aligned(4096)));
static pteval_t user_ptes[PT_ENTRIES] __attribute__((aligned(4096)));

asm(".globl pf_entry\n"
    "pf_entry:\n"
    "	addl $4, %esp\n"
    "	pushal\n"
    "	call pf_fix\n"
    "	popal\n"
    "	movl $0x200, lguest_data\n"
    "	iret\n");

void pf_fix(void)
{
	uint32_t i = ((pf_cr2 = lguest_data.cr2) - USER_ADDR) / 4096 - FIRST;

	GUEST_ASSERT(i < 2);
	hint_seen = lguest_data.fault_unshadowed;
	ro_seen = lguest_data.fault_readonly;
	user_ptes[FIRST + i] = (uint32_t)new_pages[i] | PTE_USERPAGE;
	read_seen = peek(USER_ADDR + (FIRST + i) * 4096);
	hint_after = lguest_data.fault_unshadowed;
	ro_after = lguest_data.fault_readonly;
}

#ifdef NO_HINT
/* bit 0: the fields untouched at the fault; 1: the new page read; 2: after. */
static uint32_t round_report(uint32_t addr)
{
	return (hint_seen == UNTOUCHED && ro_seen == UNTOUCHED) |
	       (read_seen == NEW_VALUE) << 1 |
	       (hint_after == UNTOUCHED && ro_after == UNTOUCHED) << 2;
}
#else
/* bit 0: the field named the page; 1: the read found the new page; 2: 0 after. */
static uint32_t round_report(uint32_t addr)
{
	return (hint_seen == addr) | (read_seen == NEW_VALUE) << 1 |
	       (hint_after == 0) << 2;
}
#endif

void guest_main(void)
{
	unsigned int i;

	lgrt_lguest_init(INIT_FLAGS);
	set_gate(14, pf_entry, GATE_INTERRUPT, 0);
	for (i = 0; i < 2; i++) {
		*(uint32_t *)old_pages[i] = OLD_VALUE;
		*(uint32_t *)new_pages[i] = NEW_VALUE;
		/* Read-only: nothing maps them before the first fault. */
		user_ptes[FIRST + i] = (uint32_t)old_pages[i] | PTE_PRESENT |
				       PTE_USER;
	}
	*pt_pde(&guest_dir, USER_ADDR) = (uint32_t)user_ptes | PTE_USERPAGE;
	guest_setup_paging();
	/* Where the x86_64 switch writes cr2 (see pf_direct.c): writable. */
	*(volatile uint32_t *)(0xC0000000u + (uint32_t)&lguest_data) = 0;
	GUEST_ASSERT(lguest_data.fault_unshadowed == 0);
#ifdef NO_HINT
	lguest_data.fault_unshadowed = UNTOUCHED;
	lguest_data.fault_readonly = UNTOUCHED;
#endif

	for (i = 0; i < 2; i++) {
		uint32_t addr = USER_ADDR + (FIRST + i) * 4096;

		if (i == 1)
			GUEST_ASSERT(peek(addr) == OLD_VALUE);
		lguest_data.irq_enabled = 0x200;
		*(volatile uint32_t *)addr = NEW_VALUE + 1;
		GUEST_ASSERT(pf_cr2 == addr);
		GUEST_ASSERT(*(uint32_t *)new_pages[i] == NEW_VALUE + 1);
		GUEST_ASSERT(*(uint32_t *)old_pages[i] == OLD_VALUE);
		GUEST_REPORT(round_report(addr));
	}
}
