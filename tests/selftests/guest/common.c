// SPDX-License-Identifier: GPL-2.0
/*
 * What every selftest guest shares, on top of lgrt (tools-lguest/tests/rt):
 * its start, which runs the test's guest_main() and reports DONE, and the
 * page tables of guest_setup_paging().
 */
#include "guest.h"

void guest_start(void)
{
	guest_main();
	GUEST_DONE();
	lgrt_shutdown("guest_main returned after DONE", LGUEST_SHUTDOWN_POWEROFF);
}

struct pt_dir guest_dir;
pteval_t guest_low_ptes[1024] __attribute__((aligned(4096)));

void guest_setup_paging(void)
{
	unsigned int i;

	for (i = 0; i < 1024; i++)
		guest_low_ptes[i] = (i << 12) | PTE_KERNEL;
	pt_map_tables(&guest_dir, 0, guest_low_ptes, 4 << 20, PTE_KERNEL);
	pt_map_tables(&guest_dir, 0xC0000000, guest_low_ptes, 4 << 20,
		      PTE_KERNEL);
	pt_use(&guest_dir);
}

/* Emit "movl $imm, addr" at p, for code a test runs in ring 3. */
uint8_t *emit_store(uint8_t *p, uint32_t addr, uint32_t imm)
{
	unsigned int i;

	*p++ = 0xc7;
	*p++ = 0x05;
	for (i = 0; i < 4; i++)
		*p++ = addr >> (8 * i);
	for (i = 0; i < 4; i++)
		*p++ = imm >> (8 * i);
	return p;
}
