// SPDX-License-Identifier: GPL-2.0
/*
 * A read in the MMIO window (the first page above RAM, which the test
 * makes 4 MiB) reaches the launcher as trap 14 with the address.
 */
#include "guest.h"

void guest_main(void)
{
	volatile uint32_t *mmio = (volatile uint32_t *)(0x400000 + 0x10);
	uint32_t v;

	/* 8b 02: the test sets eax and skips these two bytes. */
	asm volatile("movl (%1), %0" : "=a" (v) : "d" (mmio) : "memory");
	GUEST_REPORT(v);
}
