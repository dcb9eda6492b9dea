// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO from code that the guest's page tables map away from where it
 * lives: the launcher must read the rest of a long instruction through
 * those tables (tools-lguest/pagewalk.c), where the guest's CPU read it.
 *
 * The guest pages (walk.elf for a 2-level host, walk-pae.elf for PAE):
 * guest-physical 0 to 20 MiB (RAM, then the console's BAR0) one to one,
 * and two pages at WALK_VA, the page that ends with walk_store's first
 * 7 bytes and, after it, a copy of the page that follows in memory.
 * walk_store is an 11-byte store of 'W' to the console's emerg_wr; its
 * first 7 bytes are all the host hands the launcher, and its immediate
 * begins the second page.  In the page that really follows the first,
 * the immediate becomes 'X': a launcher reading guest-physical memory on
 * from the first page prints that, and one that guesses where the
 * guest's kernel maps physical memory finds nothing at WALK_VA.
 */
#include <stdint.h>
#include "guest.h"
#include "lgpt.h"

/* None of the PAGE_OFFSETs a kernel uses; above the 20 MiB below. */
#define WALK_VA		0x50000000u
#define MAPPED		(20u << 20)
#define PAGE		4096u

static struct pt_dir dir;
static pteval_t low_ptes[MAPPED / PAGE] __attribute__((aligned(PAGE)));
static pteval_t walk_ptes[PT_ENTRIES] __attribute__((aligned(PAGE)));
static uint8_t second[PAGE] __attribute__((aligned(PAGE)));

/*
 * movl $'W', 0x1000(%ebx,%ecx,1): c7 84 0b, a 32-bit displacement, then
 * the 32-bit immediate at the start of the next page.
 */
asm(".pushsection .text.walk, \"ax\"\n"
    ".balign 4096\n"
    ".skip 4096 - 7, 0xcc\n"
    "walk_store:\n"
    "	movl $0x57, 0x1000(%ebx,%ecx,1)\n"
    "	ret\n"
    ".popsection\n");
extern uint8_t walk_store[];

void guest_main(void)
{
	uint32_t first = (uint32_t)walk_store & ~(PAGE - 1);
	uint8_t *next = (uint8_t *)first + PAGE;
	uint32_t pa;

	console_find();
	CHECK(walk_store[0] == 0xc7 && next[0] == 'W', walk_store[0]);
	for (pa = 0; pa < MAPPED; pa += PAGE)
		low_ptes[pa / PAGE] = pa | PTE_KERNEL;
	pt_map_tables(&dir, 0, low_ptes, MAPPED, PTE_KERNEL);

	memcpy(second, next, PAGE);
	next[0] = 'X';
	walk_ptes[pt_pte_index(WALK_VA)] = first | PTE_KERNEL;
	walk_ptes[pt_pte_index(WALK_VA + PAGE)] = (uint32_t)second | PTE_KERNEL;
	pt_map_tables(&dir, WALK_VA, walk_ptes, PT_SPAN, PTE_KERNEL);
	pt_use(&dir);

	puts_early("walk: ");
	asm volatile("call *%0"
		     : : "r" (WALK_VA + ((uint32_t)walk_store & (PAGE - 1))),
		       "b" (CONSOLE_BAR0 - 0x1000), "c" (CONSOLE_EMERG)
		     : "eax", "edx", "memory");
	puts_early("\nwalk: done\n");
}
