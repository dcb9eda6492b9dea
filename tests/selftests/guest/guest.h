/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The selftest guests: lgrt (tools-lguest/tests/rt/lgrt.h) and what the
 * tests add: ucalls to the test, gates, page tables (lgpt.h, in lgrt).
 */
#ifndef GUEST_H
#define GUEST_H

#include "lgrt.h"
#include "../include/ucall.h"

static inline void ucall(unsigned long code, unsigned long arg)
{
	asm volatile("outl %%eax, $0xf4" : : "a" (code), "b" (arg) : "memory");
}

/*
 * Read a word at addr, after every store before it: the guest's page
 * tables are plain memory the compiler may otherwise write later.
 */
static inline uint32_t peek(uint32_t addr)
{
	uint32_t v;

	asm volatile("movl (%1), %0" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

#define GUEST_ASSERT(cond)					\
	do {							\
		if (!(cond))					\
			ucall(UCALL_FAIL, __LINE__);		\
	} while (0)
#define GUEST_REPORT(v)		ucall(UCALL_REPORT, (v))
#define GUEST_DONE()		ucall(UCALL_DONE, 0)

/* Shut down with a reason; the test reads it from the dead guest. */
static inline void guest_shutdown(const char *why)
{
	lgrt_shutdown(why, LGUEST_SHUTDOWN_POWEROFF);
}

/* Interrupt and trap gates, as LHCALL_LOAD_IDT_ENTRY wants them. */
#define GATE_INTERRUPT	0xE
#define GATE_TRAP	0xF
static inline void set_gate(unsigned int vector, void (*handler)(void),
			    unsigned int type, unsigned int dpl)
{
	unsigned long h = (unsigned long)handler;

	hcall(LHCALL_LOAD_IDT_ENTRY, vector, (0x60 << 16) | (h & 0xFFFF),
	      (h & 0xFFFF0000) | 0x8000 | (dpl << 13) | (type << 8), 0);
}

#include "lgpt.h"

/* LGUEST_INIT with the usual lguest_data, saying our page-table format. */
static inline void guest_init(void)
{
	lgrt_lguest_init(GUEST_PAGING);
}

/*
 * guest_dir maps the first 4 MiB (all of the guest's RAM) at 0 and at
 * 0xC0000000, kernel only and writable, through guest_low_ptes;
 * guest_setup_paging() adds those mappings to what a test put there and
 * switches to it with LHCALL_NEW_PGTABLE.
 */
void guest_setup_paging(void);
extern struct pt_dir guest_dir;
extern pteval_t guest_low_ptes[1024];

/* The switcher's address, from lguest_data.reserve_mem. */
static inline uint32_t switcher_addr(void)
{
	return -lguest_data.reserve_mem;
}

uint8_t *emit_store(uint8_t *p, uint32_t addr, uint32_t imm);

#endif
