// SPDX-License-Identifier: GPL-2.0
/*
 * The asynchronous hypercall ring: queued calls run, in order, at the next
 * exit, a hypercall or not, and their slots are marked done.
 */
#include "guest.h"

static unsigned int next;

/*
 * A block of 64 pages, as many as the host fills around a fault in the
 * linear mapping, that nothing touches before the test does.
 */
static volatile uint32_t untouched[64 * 1024] __attribute__((aligned(64 * 4096)));

static void queue(uint32_t nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	struct lguest_hcall_args *h = &lguest_data.hcalls[next];

	h->arg0 = nr;
	h->arg1 = a1;
	h->arg2 = a2;
	h->arg3 = a3;
	h->arg4 = 0;
	asm volatile("" : : : "memory");
	lguest_data.hcall_status[next] = LHCALL_STATUS_QUEUED;
	next = (next + 1) % LHCALL_RING_SIZE;
}

void guest_main(void)
{
	uint16_t es;
	unsigned int i;

	guest_init();

	/* Two flat data segments, DPL 1, in GDT slots 20 and 21. */
	queue(LHCALL_LOAD_GDT_ENTRY, 20, 0x0000ffff, 0x00cfb300);
	queue(LHCALL_LOAD_GDT_ENTRY, 21, 0x0000ffff, 0x00cfb300);
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0, 0);
	for (i = 0; i < LHCALL_RING_SIZE; i++)
		GUEST_ASSERT(lguest_data.hcall_status[i] == LHCALL_STATUS_FREE);
	asm volatile("movw %1, %%es; movw %%es, %0" : "=r" (es) : "r" ((uint16_t)(21 * 8 + 1)));
	GUEST_REPORT(es);

	/*
	 * No hypercall: the first touch of a page faults to the host, which
	 * runs what is queued before it handles the fault.
	 */
	queue(LHCALL_LOAD_GDT_ENTRY, 22, 0x0000ffff, 0x00cfb300);
	/* The slot is queued before the fault, and read again after it. */
	asm volatile("" : : : "memory");
	untouched[0] = 1;
	asm volatile("" : : : "memory");
	GUEST_ASSERT(lguest_data.hcall_status[next - 1] == LHCALL_STATUS_FREE);

	/* The first of two queued shutdowns wins. */
	queue(LHCALL_SHUTDOWN, (uint32_t)"first", LGUEST_SHUTDOWN_POWEROFF, 0);
	queue(LHCALL_SHUTDOWN, (uint32_t)"second", LGUEST_SHUTDOWN_POWEROFF, 0);
	hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0, 0);
	GUEST_ASSERT(0);
}
