// SPDX-License-Identifier: GPL-2.0
/*
 * The start of every selftest guest.  The host starts us in ring 1 at
 * _start with flat segments, in "linear" mode (virtual == guest-physical)
 * and no stack: set one up, run the test's guest_main() and report DONE.
 */
#include "guest.h"

uint8_t guest_stack[8192] __attribute__((aligned(16)));
struct lguest_data lguest_data;

void guest_init_lguest_data(void)
{
	unsigned int i;

	for (i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = 0xFF;
	lguest_data.syscall_vec = 0x80;
	lguest_data.kernel_address = 0xC0000000;
	lguest_data.irq_enabled = 0;
}

void guest_start(void)
{
	guest_main();
	GUEST_DONE();
	guest_shutdown("guest_main returned after DONE");
	for (;;)
		;
}

asm(".globl _start\n"
    "_start:\n"
    "	movl $guest_stack + 8192, %esp\n"
    "	call guest_start\n");

/* Let the compiler's memset/memcpy calls resolve. */
void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = c;
	return s;
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
