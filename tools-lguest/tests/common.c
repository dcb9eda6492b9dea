// SPDX-License-Identifier: GPL-2.0
/*
 * What the launcher's test guests share, on top of lgrt (rt/): their
 * start, and the early console through the PCI_CFG capability.
 */
#include <stddef.h>
#include <linux/pci_regs.h>
#include <linux/virtio_pci.h>
#include "guest.h"

unsigned int devcfg_offset, pci_cfg_cap;

/* Walk the console's capability list for the device config and PCI_CFG. */
void console_find(void)
{
	unsigned int pos = pci_read8(LGUEST_CONSOLE_PCI_SLOT, PCI_CAPABILITY_LIST), n = 0;

	while (pos && n++ < 16) {
		uint8_t type = pci_read8(LGUEST_CONSOLE_PCI_SLOT, pos + offsetof(struct virtio_pci_cap, cfg_type));

		if (pci_read8(LGUEST_CONSOLE_PCI_SLOT, pos) == PCI_CAP_ID_VNDR) {
			if (type == VIRTIO_PCI_CAP_DEVICE_CFG)
				devcfg_offset = pci_read32(LGUEST_CONSOLE_PCI_SLOT, pos + offsetof(struct virtio_pci_cap, offset));
			if (type == VIRTIO_PCI_CAP_PCI_CFG)
				pci_cfg_cap = pos;
		}
		pos = pci_read8(LGUEST_CONSOLE_PCI_SLOT, pos + 1);
	}
}

void putc_early(char c)
{
	unsigned int cap = pci_cfg_cap;

	if (!cap)
		return;
	pci_write8(LGUEST_CONSOLE_PCI_SLOT, cap + offsetof(struct virtio_pci_cap, bar), 0);
	pci_write32(LGUEST_CONSOLE_PCI_SLOT, cap + offsetof(struct virtio_pci_cap, offset), devcfg_offset + 8);
	pci_write32(LGUEST_CONSOLE_PCI_SLOT, cap + offsetof(struct virtio_pci_cap, length), 4);
	pci_write32(LGUEST_CONSOLE_PCI_SLOT, cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data), (uint8_t)c);
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
	lgrt_shutdown(reason, LGUEST_SHUTDOWN_POWEROFF);
}

/*
 * A guest built with -DLGT_PAGING runs on page tables of its own, in the
 * host's format (lgpt.h); the others stay in the host's linear mode.
 */
#ifdef LGT_PAGING
#include "lgpt.h"
#define TEST_PAGING	GUEST_PAGING
#else
#define TEST_PAGING	0
#endif

/* LGUEST_INIT as Linux does it, the test, and a clean power-off. */
void guest_start(void)
{
	lgrt_lguest_init(TEST_PAGING);
	guest_main();
	lgrt_shutdown("Power down", LGUEST_SHUTDOWN_POWEROFF);
}
