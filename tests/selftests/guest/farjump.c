// SPDX-License-Identifier: GPL-2.0
/*
 * Far transfers into segments the guest must never run in: an ljmp, an
 * lcall, an lret and an iret to its own ring, and an lret and an iret to
 * ring 3, at every GDT slot but the guest's own code and data (12 to 15)
 * and at two LDT slots.  On an x86_64 host slot 2 is the world switch's
 * 64-bit ring-0 code (the host's __KERNEL_CS) and slot 3 its data; on a
 * 32-bit host 10 and 11 are the switcher's code and data and 16 its TSS;
 * every other slot is empty, and there is no LDT.  The guest first
 * writes a code segment of its own ring (64-bit on x86_64) to each of the
 * host's slots, which the host must ignore.  A CPU refuses each
 * with a #GP whose error code is the selector without its RPL, and the
 * host hands that #GP to the guest's handler like any other (its error
 * code is not 0, so it is no "in" or "out" for the launcher).
 *
 * The guest notes what each attempt gave: the test checks them all.  Had
 * one gone through, the code at the target reports UCALL_LANDED, with ebx
 * 0 if it runs in 64-bit mode and ~0 if in 32-bit mode.
 */
#include "guest.h"

enum fj_kind { FJ_JMP, FJ_CALL, FJ_LRET, FJ_IRET, FJ_LRET3, FJ_IRET3, FJ_KINDS };

/* What the test reads: an entry per attempt, in guest memory. */
struct fj_result {
	uint32_t kind, sel, err;
};

#define FJ_MAX	256
struct fj_result fj_results[FJ_MAX];
volatile uint32_t fj_current, gp_err, gp_count, gp_resume, fj_esp;

/* The #GP handler: note the error code, resume at gp_resume. */
void gp_entry(void);
asm(".globl gp_entry\n"
    "gp_entry:\n"
    "	popl gp_err\n"
    "	incl gp_count\n"
    "	pushl %eax\n"
    "	movl gp_resume, %eax\n"
    "	movl %eax, 4(%esp)\n"
    "	popl %eax\n"
    "	iret\n");

/*
 * The target, as bytes that mean the same in both modes but for 0x48,
 * "dec %eax" in 32-bit mode and a REX.W prefix of the nop in 64-bit
 * mode: xor %eax,%eax; dec %eax (or not); mov %eax,%ebx;
 * mov $UCALL_LANDED,%eax; out %eax,$UCALL_PORT; jmp .
 */
static const uint8_t landing[] = {
	0x31, 0xc0, 0x48, 0x90, 0x89, 0xc3,
	0xb8, UCALL_LANDED, 0, 0, 0, 0xe7, UCALL_PORT, 0xeb, 0xfe,
};

/* The target in a kernel page for ring 1, and mapped user for ring 3. */
static uint8_t land_page[4096] __attribute__((aligned(4096)));
static uint8_t user_stack[4096] __attribute__((aligned(4096)));
static pteval_t user_ptes[PT_ENTRIES] __attribute__((aligned(4096)));
#define USER_ADDR	0x40000000u

/* The frame, then the transfer; the #GP handler resumes at 1. */
#define FJ_TRY(frame, insn)						\
	asm volatile("movl %%esp, fj_esp\n"				\
		     "	movl $1f, gp_resume\n"				\
		     frame						\
		     "	" insn "\n"					\
		     "1:	movl fj_esp, %%esp"				\
		     : : "r" (sel), "r" (target), "r" (ustack) : "memory")

static void attempt(enum fj_kind kind, uint32_t sel)
{
	uint32_t target = (uint32_t)land_page;
	uint32_t ustack = USER_ADDR + 2 * 4096;
	struct fj_result *r = &fj_results[fj_current];
	uint32_t before = gp_count;

	if (kind == FJ_LRET3 || kind == FJ_IRET3) {
		sel |= 3;
		target = USER_ADDR;
	} else {
		sel |= 1;	/* the guest kernel's ring */
	}
	r->kind = kind;
	r->sel = sel;
	r->err = ~0u;
	switch (kind) {
	case FJ_JMP:
		FJ_TRY("	pushl %0\n	pushl %1\n", "ljmp *(%%esp)");
		break;
	case FJ_CALL:
		FJ_TRY("	pushl %0\n	pushl %1\n", "lcall *(%%esp)");
		break;
	case FJ_LRET:
		FJ_TRY("	pushl %0\n	pushl %1\n", "lret");
		break;
	case FJ_IRET:
		FJ_TRY("	pushfl\n	pushl %0\n	pushl %1\n", "iret");
		break;
	case FJ_LRET3:
		FJ_TRY("	pushl $0x7b\n	pushl %2\n	pushl %0\n	pushl %1\n",
		       "lret");
		break;
	case FJ_IRET3:
		FJ_TRY("	pushl $0x7b\n	pushl %2\n	pushfl\n"
		       "	pushl %0\n	pushl %1\n", "iret");
		break;
	default:
		break;
	}
	if (gp_count != before)
		r->err = gp_err;
	fj_current++;
}

void guest_main(void)
{
	static const uint32_t ldt_sels[] = { 0x04, 0x14 };
	/* The slots the host keeps for itself: i386, x86_64. */
	static const uint32_t host_slots[2][4] = {
		{ 10, 11, 16, 31 }, { 2, 3, 16, 31 },
	};
	unsigned int i, slot, kind;

	guest_init();
	set_gate(13, gp_entry, GATE_INTERRUPT, 0);
	/* Ring-3 code and data in the usual slots, for the ring-3 returns. */
	hcall(LHCALL_LOAD_GDT_ENTRY, 14, 0x0000ffff, 0x00cffa00, 0);
	hcall(LHCALL_LOAD_GDT_ENTRY, 15, 0x0000ffff, 0x00cff200, 0);
	for (i = 0; i < sizeof(landing); i++)
		land_page[i] = landing[i];
	user_ptes[0] = (uint32_t)land_page | PTE_USERPAGE;
	user_ptes[1] = (uint32_t)user_stack | PTE_USERPAGE;
	*pt_pde(&guest_dir, USER_ADDR) = (uint32_t)user_ptes | PTE_USERPAGE;
	guest_setup_paging();

	/*
	 * The host's own slots take a code segment of the guest's ring and
	 * ignore it (a 64-bit one on x86_64, where any other slot kills the
	 * guest for it): the far transfers below must not find it there.
	 */
	for (i = 0; i < 4; i++)
		hcall(LHCALL_LOAD_GDT_ENTRY, host_slots[!lguest_data.reserve_mem][i],
		      0x0000ffff, lguest_data.reserve_mem ? 0x00cfbb00 : 0x00afbb00, 0);

	GUEST_REPORT((uint32_t)fj_results);
	GUEST_REPORT((uint32_t)&fj_current);
	for (kind = 0; kind < FJ_KINDS; kind++) {
		for (slot = 1; slot < 32; slot++)
			if (slot < 12 || slot > 15)
				attempt(kind, slot * 8);
		for (i = 0; i < sizeof(ldt_sels) / sizeof(ldt_sels[0]); i++)
			attempt(kind, ldt_sels[i]);
	}
	GUEST_REPORT(fj_current);
}
