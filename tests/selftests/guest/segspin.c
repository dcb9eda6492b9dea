// SPDX-License-Identifier: GPL-2.0
/*
 * The segments a guest loads end below the switcher: a check from outside
 * the guest, for CPUs (QEMU's TCG) that do not enforce limits, where the
 * seglimit test skips.  This guest loads one segment of each kind the
 * host must clamp, through each way it has of loading them, and then
 * spins in ring 1 with them in its segment registers, eax the switcher's
 * address as the host told it and ebx SEGSPIN_MAGIC.  Meanwhile
 * tests/selftests/segments stops QEMU, reads the segment registers the
 * CPU uses and the GDT they came from, and checks every limit.
 *
 *	cs 0x61, ss 0x69	the flat 4 GiB code and data it boots with
 *	ds 0xa1 (20)		LOAD_GDT_ENTRY: flat 4 GiB data, 4 KiB units
 *	es 0xa9 (21)		LOAD_GDT_ENTRY: 1 MiB in bytes, from 4 KiB
 *				below the switcher
 *	fs 0x31 (TLS 6)		LOAD_TLS: 4 GiB from 4 MiB up, wrapping
 *	gs 0x39 (TLS 7)		LOAD_TLS: 4 GiB in 4 KiB units, from 64 KiB
 *				below the switcher
 *	22			LOAD_GDT_ENTRY: flat 4 GiB code, not loaded
 *	23			LOAD_GDT_ENTRY: flat 4 GiB ring-3 data
 */
#include "guest.h"

#define SEGSPIN_MAGIC	0x5e65e65e

/* A code or data descriptor: P, S, DPL and type in access, G/D in flags. */
static uint64_t desc(uint32_t base, uint32_t limit, unsigned int access,
		     unsigned int flags)
{
	uint32_t lo = (base << 16) | (limit & 0xffff);
	uint32_t hi = (base & 0xff000000) | (flags << 20) |
		      (limit & 0xf0000) | (access << 8) | ((base >> 16) & 0xff);

	return (uint64_t)hi << 32 | lo;
}

#define DATA1	0xb3	/* present, DPL 1, data, writable, accessed */
#define CODE1	0xbb	/* present, DPL 1, code, readable, accessed */
#define DATA3	0xf3	/* present, DPL 3, data, writable, accessed */
#define G_32	0xc	/* 4 KiB units, 32-bit */
#define B_32	0x4	/* byte units, 32-bit */

static void load_gdt_entry(unsigned int n, uint64_t d)
{
	hcall(LHCALL_LOAD_GDT_ENTRY, n, (uint32_t)d, (uint32_t)(d >> 32), 0);
}

static uint64_t tls[3];

void guest_main(void)
{
	uint32_t sw;

	guest_init();
	sw = switcher_addr();
	GUEST_REPORT(sw);
	load_gdt_entry(20, desc(0, 0xfffff, DATA1, G_32));
	load_gdt_entry(21, desc(sw - 0x1000, 0xfffff, DATA1, B_32));
	load_gdt_entry(22, desc(0, 0xfffff, CODE1, G_32));
	load_gdt_entry(23, desc(0, 0xfffff, DATA3, G_32));
	tls[0] = desc(0x400000, 0xfffff, DATA1, G_32);
	tls[1] = desc(sw - 0x10000, 0xfffff, DATA1, G_32);
	tls[2] = desc(0, 0xfff, DATA1, B_32);
	hcall(LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
	/* Only then the magic: it says the segments are in place. */
	asm volatile("movw %w1, %%ds\n\t"
		     "movw %w2, %%es\n\t"
		     "movw %w3, %%fs\n\t"
		     "movw %w4, %%gs\n\t"
		     "movl %5, %%ebx\n"
		     "1:	jmp 1b"
		     : : "a" (sw), "c" (20 * 8 + 1), "d" (21 * 8 + 1),
		       "S" (6 * 8 + 1), "D" (7 * 8 + 1), "i" (SEGSPIN_MAGIC)
		     : "ebx");
}
