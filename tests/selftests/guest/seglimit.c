// SPDX-License-Identifier: GPL-2.0
/*
 * Segment limits keep the guest from reading the switcher, on CPUs that
 * check them.  First a probe: a read past the limit of a 4 KiB segment.
 * If it faults (#GP, which reaches the test as trap 13), the test skips
 * the read and sets eax to 0xe0fc; then a read of the switcher's first
 * byte through the guest's own data segment must fault as well.
 */
#include "guest.h"

void guest_main(void)
{
	uint32_t v;

	guest_init();
	/* Slot 20: data, base 0, limit 0xfff bytes, DPL 1. */
	hcall(LHCALL_LOAD_GDT_ENTRY, 20, 0x00000fff, 0x0040b300, 0);
	asm volatile("movw %w0, %%es" : : "r" (20 * 8 + 1));
	/* 26 8b 02: movl %es:(%edx), %eax, at offset 8 KiB. */
	asm volatile(".byte 0x26, 0x8b, 0x02" : "=a" (v) : "d" (0x2000), "0" (0) : "memory");
	asm volatile("movw %w0, %%es" : : "r" (0x69));
	GUEST_REPORT(v);
	if (v != 0xe0fc)
		return;		/* no limits here: the test skips */

	/* 8b 02: movl (%edx), %eax, at the switcher. */
	asm volatile(".byte 0x8b, 0x02" : "=a" (v) : "d" (switcher_addr()), "0" (0) : "memory");
	GUEST_REPORT(v);
}
