// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the launcher's parts that need no host: the instruction
 * decoder (insn.c) and the guest page-table walk (pagewalk.c).  "make
 * check" builds this natively and runs it; it prints one line per case
 * and exits 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "insn.h"
#include "pagewalk.h"
#include "util.h"

static int failed;

#define EXPECT(cond, what) do {						\
	if (cond) {							\
		printf("ok - %s\n", what);				\
	} else {							\
		printf("FAIL - %s (%s, line %d)\n", what, #cond, __LINE__); \
		failed = 1;						\
	}								\
} while (0)

static void test_decoder(void)
{
	/* c7 /0 with SIB and disp32, imm32: 11 bytes */
	static const uint8_t movl_sib[INSN_MAX] = {
		0xc7, 0x84, 0x0b, 0x00, 0x10, 0x00, 0x00, 0x6f, 0x00, 0x00, 0x00 };
	static const uint8_t movw_a1[INSN_MAX] = { 0x66, 0xa1, 0x12, 0x10, 0x10, 0x01 };
	static const uint8_t movzbl[INSN_MAX] = { 0x0f, 0xb6, 0x53, 0x14 };
	static const uint8_t movb_ah[INSN_MAX] = { 0x88, 0x63, 0x14 };
	static const uint8_t fs_movl[INSN_MAX] = { 0x64, 0x8b, 0x05, 1, 2, 3, 4 };
	static const uint8_t reg_reg[INSN_MAX] = { 0x89, 0xc3 };
	static const uint8_t outw_dx[7] = { 0x66, 0xef };
	static const uint8_t inb_imm[7] = { 0xe4, 0x71 };
	static const uint8_t insb[7] = { 0x6c };
	struct mmio_insn mi;
	struct pio_insn pi;

	EXPECT(decode_mmio(movl_sib, &mi) && mi.kind == MOV_IMM_TO_MEM &&
	       mi.len == 11 && mi.size == 4 && mi.imm == 0x6f,
	       "decoder: movl $imm32, disp32(%reg,%reg,1) is 11 bytes");
	EXPECT(decode_mmio(movw_a1, &mi) && mi.kind == MOV_FROM_MEM &&
	       mi.len == 6 && mi.size == 2 && mi.reg == 0,
	       "decoder: 66 a1 moffs32 is a 16-bit load into %ax");
	EXPECT(decode_mmio(movzbl, &mi) && mi.kind == MOVZX && mi.size == 1 &&
	       mi.dsize == 4 && mi.reg == 2 && mi.len == 4,
	       "decoder: movzbl 0x14(%ebx), %edx");
	EXPECT(decode_mmio(movb_ah, &mi) && mi.kind == MOV_TO_MEM &&
	       mi.size == 1 && mi.reg == 4 && mi.len == 3,
	       "decoder: movb %ah, 0x14(%ebx)");
	EXPECT(decode_mmio(fs_movl, &mi) && mi.kind == MOV_FROM_MEM && mi.len == 7,
	       "decoder: a segment prefix is skipped");
	EXPECT(!decode_mmio(reg_reg, &mi), "decoder: a register-to-register move is refused");
	EXPECT(decode_pio(outw_dx, &pi) && pi.out && pi.port_in_dx &&
	       pi.size == 2 && pi.len == 2, "decoder: outw %ax, (%dx)");
	EXPECT(decode_pio(inb_imm, &pi) && !pi.out && !pi.port_in_dx &&
	       pi.port == 0x71 && pi.size == 1 && pi.len == 2, "decoder: inb $0x71, %al");
	EXPECT(!decode_pio(insb, &pi), "decoder: insb is refused");
}

#define RAM		(16u << 20)
#define KERNEL_VA	0xC0000000u

static void put32(uint32_t gpa, uint32_t v) { memcpy(guest_base + gpa, &v, 4); }
static void put64(uint32_t gpa, uint64_t v) { memcpy(guest_base + gpa, &v, 8); }

/*
 * Two pages at KERNEL_VA + 0x400000 (in a second 4 MiB or 2 MiB region)
 * that are not contiguous in guest-physical memory, and an instruction
 * that crosses from one to the other.
 */
#define VA		(KERNEL_VA + 0x400000u + 0x203000u)
#define PA_LO		0x500000u	/* the page at VA */
#define PA_HI		0x300000u	/* the page at VA + 4096 */

static void check_walk(const struct guest_paging *pg, const char *fmt)
{
	uint8_t buf[INSN_MAX], want[INSN_MAX];
	char what[128];
	uint64_t pa;
	unsigned int i;

	for (i = 0; i < INSN_MAX; i++)
		want[i] = 0xA0 + i;
	/* 5 bytes at the end of the first page, 10 at the start of the next. */
	memcpy(guest_base + PA_LO + PAGE_SIZE - 5, want, 5);
	memcpy(guest_base + PA_HI, want + 5, INSN_MAX - 5);

	snprintf(what, sizeof(what), "%s: a kernel address translates", fmt);
	EXPECT(guest_va_to_pa(pg, VA + 0x123, &pa) && pa == PA_LO + 0x123, what);
	snprintf(what, sizeof(what), "%s: an instruction across two scattered pages reads whole", fmt);
	memset(buf, 0, sizeof(buf));
	EXPECT(guest_read_virt(pg, VA + PAGE_SIZE - 5, buf, INSN_MAX) == INSN_MAX &&
	       !memcmp(buf, want, INSN_MAX), what);
	snprintf(what, sizeof(what), "%s: the read stops at an unmapped page", fmt);
	EXPECT(guest_read_virt(pg, VA + 2 * PAGE_SIZE - 5, buf, INSN_MAX) == 5, what);
	snprintf(what, sizeof(what), "%s: an address with no page table does not translate", fmt);
	EXPECT(!guest_va_to_pa(pg, 0x00400000, &pa), what);
}

static void test_walk_2level(void)
{
	struct guest_paging pg = { .enabled = true, .pae = false, .cr3 = 0x1000 };
	uint32_t pde = (VA >> 22) * 4, pte = ((VA >> 12) & 1023) * 4;
	uint64_t pa;

	memset(guest_base, 0, RAM);
	put32(0x1000 + pde, 0x2000 | 0x63);
	put32(0x2000 + pte, PA_LO | 0x63);
	put32(0x2000 + pte + 4, PA_HI | 0x63);
	check_walk(&pg, "2-level");

	/* A large page (PSE) is none lg.ko gives: not followed. */
	put32(0x1000 + (0xC0000000u >> 22) * 4, 0x00000000 | 0xE3);
	EXPECT(!guest_va_to_pa(&pg, 0xC0001000u, &pa), "2-level: a PSE entry is not followed");
	/* A table outside guest RAM is not read. */
	put32(0x1000 + (0xC0000000u >> 22) * 4, 0x40000000 | 0x63);
	EXPECT(!guest_va_to_pa(&pg, 0xC0001000u, &pa), "2-level: a table beyond guest RAM is not read");
}

static void test_walk_pae(void)
{
	/* The PDPT need only be 32-byte aligned: put it mid-page. */
	struct guest_paging pg = { .enabled = true, .pae = true, .cr3 = 0x1020 };
	uint32_t pmd = ((VA >> 21) & 511) * 8, pte = ((VA >> 12) & 511) * 8;
	uint64_t pa;

	memset(guest_base, 0, RAM);
	put64(0x1020 + 3 * 8, 0x4000 | 0x1);
	put64(0x4000 + pmd, 0x2000 | 0x63);
	/* NX (bit 63) is set on data pages: the address ignores it. */
	put64(0x2000 + pte, PA_LO | 0x63 | (1ull << 63));
	put64(0x2000 + pte + 8, PA_HI | 0x63);
	check_walk(&pg, "PAE");

	/* Guest-physical beyond 4 GiB (bit 32) is no guest RAM. */
	put64(0x2000 + pte, (1ull << 32) | PA_LO | 0x63);
	EXPECT(!guest_va_to_pa(&pg, VA, &pa) || !gpa_ptr(pa, 1),
	       "PAE: a page above 4 GiB is not guest RAM");
}

static void test_linear(void)
{
	struct guest_paging pg = { .enabled = false };
	uint64_t pa;

	EXPECT(guest_va_to_pa(&pg, 0x123456, &pa) && pa == 0x123456,
	       "paging off: virtual is guest-physical");
}

int main(void)
{
	guest_base = calloc(1, RAM);
	guest_ram = RAM;
	if (!guest_base)
		return 2;
	test_decoder();
	test_linear();
	test_walk_2level();
	test_walk_pae();
	printf("%s\n", failed ? "FAILED" : "all passed");
	return failed;
}
