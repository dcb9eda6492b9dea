/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The launcher's test guests: freestanding programs on lgrt (rt/lgrt.h)
 * that do what a Linux guest does to its launcher: port I/O to PCI
 * config space, MMIO to the virtio registers, hypercalls.  common.c runs
 * LGUEST_INIT before a guest's guest_main() and powers off after it.
 */
#ifndef TEST_GUEST_H
#define TEST_GUEST_H

#include "lgrt.h"

static inline void outb(uint8_t v, uint16_t port) { asm volatile("outb %0, %1" : : "a" (v), "Nd" (port)); }
static inline void outw(uint16_t v, uint16_t port) { asm volatile("outw %0, %1" : : "a" (v), "Nd" (port)); }
static inline void outl(uint32_t v, uint16_t port) { asm volatile("outl %0, %1" : : "a" (v), "Nd" (port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; asm volatile("inb %1, %0" : "=a" (v) : "Nd" (port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; asm volatile("inw %1, %0" : "=a" (v) : "Nd" (port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; asm volatile("inl %1, %0" : "=a" (v) : "Nd" (port)); return v; }

/* PCI configuration mechanism #1, bus 0, function 0. */
static inline void pci_select(unsigned int slot, unsigned int reg)
{
	outl(0x80000000u | (slot << 11) | (reg & 0xFC), 0xCF8);
}
static inline uint32_t pci_read32(unsigned int slot, unsigned int reg)
{
	pci_select(slot, reg);
	return inl(0xCFC);
}
static inline uint16_t pci_read16(unsigned int slot, unsigned int reg)
{
	pci_select(slot, reg);
	return inw(0xCFC + (reg & 2));
}
static inline uint8_t pci_read8(unsigned int slot, unsigned int reg)
{
	pci_select(slot, reg);
	return inb(0xCFC + (reg & 3));
}
static inline void pci_write32(unsigned int slot, unsigned int reg, uint32_t v)
{
	pci_select(slot, reg);
	outl(v, 0xCFC);
}
static inline void pci_write8(unsigned int slot, unsigned int reg, uint8_t v)
{
	pci_select(slot, reg);
	outb(v, 0xCFC + (reg & 3));
}

/*
 * The console's emergency write through the PCI_CFG window, as the Linux
 * guest's early console does it: find the capabilities once, then one
 * config write per character.
 */
void console_find(void);
void putc_early(char c);
void puts_early(const char *s);
void putx_early(uint32_t v);
/* Report a failed check and stop with a reason the test sees. */
__attribute__((noreturn)) void fail(const char *what, unsigned int line, uint32_t got);
#define CHECK(cond, got)						\
	do {								\
		if (!(cond))						\
			fail(#cond, __LINE__, (got));			\
	} while (0)

/* The console's BAR0 (RAM is 16 MiB, then a 1 MiB gap) and emerg_wr. */
#define CONSOLE_BAR0	0x1100000u
#define CONSOLE_EMERG	(0x3C + 8)

extern unsigned int devcfg_offset;	/* the device config in BAR0 */
extern unsigned int pci_cfg_cap;	/* the PCI_CFG capability */

#endif
