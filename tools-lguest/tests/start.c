// SPDX-License-Identifier: GPL-2.0
/*
 * The common part of the test guests: a stack, LGUEST_INIT, shutdown,
 * and the early console through the PCI_CFG capability.
 */
#include <stddef.h>
#include <linux/pci_regs.h>
#include <linux/virtio_pci.h>
#include "guest.h"

uint8_t guest_stack[16384] __attribute__((aligned(16)));
static struct lguest_data lguest_data;
unsigned int devcfg_offset, pci_cfg_cap;

asm(".section .text.start, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "	movl $guest_stack + 16384, %esp\n"
    "	call guest_start\n"
    "1:	jmp 1b\n"
    ".previous\n");

void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void lguest_init(void)
{
	unsigned int i;

	for (i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = 0xFF;
	lguest_data.syscall_vec = 0x80;
	lguest_data.kernel_address = 0xC0000000;
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, 0, 0);
}

void shutdown(const char *why, unsigned long how)
{
	hcall(LHCALL_SHUTDOWN, (unsigned long)why, how, 0);
	for (;;)
		;
}

/* Walk slot 1's capability list for the device config and PCI_CFG. */
void console_find(void)
{
	unsigned int pos = pci_read8(1, PCI_CAPABILITY_LIST), n = 0;

	while (pos && n++ < 16) {
		uint8_t type = pci_read8(1, pos + offsetof(struct virtio_pci_cap, cfg_type));

		if (pci_read8(1, pos) == PCI_CAP_ID_VNDR) {
			if (type == VIRTIO_PCI_CAP_DEVICE_CFG)
				devcfg_offset = pci_read32(1, pos + offsetof(struct virtio_pci_cap, offset));
			if (type == VIRTIO_PCI_CAP_PCI_CFG)
				pci_cfg_cap = pos;
		}
		pos = pci_read8(1, pos + 1);
	}
}

void putc_early(char c)
{
	unsigned int cap = pci_cfg_cap;

	if (!cap)
		return;
	pci_write8(1, cap + offsetof(struct virtio_pci_cap, bar), 0);
	pci_write32(1, cap + offsetof(struct virtio_pci_cap, offset), devcfg_offset + 8);
	pci_write32(1, cap + offsetof(struct virtio_pci_cap, length), 4);
	pci_write32(1, cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data), (uint8_t)c);
}

void puts_early(const char *s)
{
	while (*s)
		putc_early(*s++);
}

void putx_early(uint32_t v)
{
	int i;

	puts_early("0x");
	for (i = 28; i >= 0; i -= 4)
		putc_early("0123456789abcdef"[(v >> i) & 0xF]);
}

void fail(const char *what, unsigned int line, uint32_t got)
{
	static char reason[128];
	char *p = reason;
	const char *s = "test guest check failed at line ";
	unsigned int d = 10000;

	puts_early("FAIL: ");
	puts_early(what);
	puts_early(" (got ");
	putx_early(got);
	puts_early(")\n");
	while (*s)
		*p++ = *s++;
	for (; d; d /= 10)
		if (line >= d || d == 1)
			*p++ = '0' + (line / d) % 10;
	*p = '\0';
	shutdown(reason, LGUEST_SHUTDOWN_POWEROFF);
}

void guest_start(void);
void guest_start(void)
{
	lguest_init();
	guest_main();
	shutdown("Power down", LGUEST_SHUTDOWN_POWEROFF);
}
