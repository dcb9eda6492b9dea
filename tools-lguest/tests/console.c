// SPDX-License-Identifier: GPL-2.0
/*
 * The whole launcher path a Linux guest takes, run with MEM_MB 16, an
 * initrd and a command line (see tests/55-launcher.sh):
 *
 *  - boot_params as the boot protocol says, the command line, the initrd;
 *  - PCI conf1: the latch, the host bridge, the console in slot 1, an
 *    empty slot, BAR0 sizing, the capability list;
 *  - the early console through the PCI_CFG window;
 *  - MMIO in every instruction form the launcher decodes;
 *  - the virtio handshake, then one buffer out (transmit queue) and one
 *    in (receive queue, fed from the launcher's stdin), echoed back.
 *
 * With "restart" on its command line it asks to be restarted after a
 * run that received something, and powers off when stdin is at its end
 * from the start: under --restart=exec the launcher executes itself
 * again with its stdin where the first run left it, so the second boot
 * shows what the restarted launcher made of its arguments.
 */
#include <stddef.h>
#include <asm/bootparam.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include "guest.h"

#define MEM		(16u << 20)
#define BAR		CONSOLE_BAR0
#define EMERG		CONSOLE_EMERG
#define QSIZE		8

/* "restart" is a word of the command line; the first run received. */
static int restart_mode, received;

static int has_word(const char *s, const char *w)
{
	const char *p, *q;

	for (;;) {
		while (*s == ' ')
			s++;
		if (!*s)
			return 0;
		for (p = s, q = w; *q && *p == *q; p++, q++)
			;
		if (!*q && (*p == ' ' || !*p))
			return 1;
		while (*s && *s != ' ')
			s++;
	}
}

static void check_boot_params(void)
{
	struct boot_params *bp;
	const char *initrd;

	/* It is at address 0: keep the compiler from seeing a NULL. */
	asm("" : "=r" (bp) : "0" (0));

	CHECK(bp->hdr.version == 0x0207, bp->hdr.version);
	CHECK(bp->hdr.hardware_subarch == 1, bp->hdr.hardware_subarch);
	CHECK(bp->hdr.loadflags & KEEP_SEGMENTS, bp->hdr.loadflags);
	CHECK(bp->hdr.cmd_line_ptr == 0x1000, bp->hdr.cmd_line_ptr);
	CHECK(bp->hdr.kernel_alignment == 0x01000000, bp->hdr.kernel_alignment);
	CHECK(bp->e820_entries == 1, bp->e820_entries);
	CHECK(bp->e820_table[0].addr == 0, bp->e820_table[0].addr);
	CHECK(bp->e820_table[0].size == MEM, bp->e820_table[0].size);
	CHECK(bp->e820_table[0].type == 1, bp->e820_table[0].type);
	CHECK(bp->hdr.type_of_loader == 0xFF, bp->hdr.type_of_loader);
	CHECK(bp->hdr.ramdisk_size && !(bp->hdr.ramdisk_size & 0xFFF), bp->hdr.ramdisk_size);
	CHECK(bp->hdr.ramdisk_image + bp->hdr.ramdisk_size == MEM, bp->hdr.ramdisk_image);
	puts_early("cmdline: ");
	puts_early((const char *)bp->hdr.cmd_line_ptr);
	restart_mode = has_word((const char *)bp->hdr.cmd_line_ptr, "restart");
	puts_early("\ninitrd: ");
	for (initrd = (const char *)bp->hdr.ramdisk_image; *initrd && *initrd != '\n'; initrd++)
		putc_early(*initrd);
	puts_early("\n");
}

static void check_pci(void)
{
	uint32_t bar;

	/* Linux's conf1 probe: the latch reads back. */
	outl(0x80000000u, 0xCF8);
	CHECK(inl(0xCF8) == 0x80000000u, inl(0xCF8));
	outb(0x01, 0xCFB);
	CHECK(inl(0xCF8) == 0x01000000u, inl(0xCF8));
	/* The host bridge: class 06/00, no vendor. */
	CHECK(pci_read16(0, PCI_CLASS_DEVICE) == 0x0600, pci_read16(0, PCI_CLASS_DEVICE));
	CHECK(pci_read16(0, PCI_VENDOR_ID) == 0, pci_read16(0, PCI_VENDOR_ID));
	/* The console, and nothing after it nor in function 1. */
	CHECK(pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_VENDOR_ID) == 0x10431AF4, pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_VENDOR_ID));
	CHECK(pci_read32(2, PCI_VENDOR_ID) == 0xFFFFFFFF, pci_read32(2, PCI_VENDOR_ID));
	outl(0x80000000u | (1 << 11) | (1 << 8), 0xCF8);
	CHECK(inl(0xCFC) == 0xFFFFFFFF, inl(0xCFC));
	CHECK(pci_read8(LGUEST_CONSOLE_PCI_SLOT, PCI_REVISION_ID) == 1, pci_read8(LGUEST_CONSOLE_PCI_SLOT, PCI_REVISION_ID));
	CHECK(pci_read16(LGUEST_CONSOLE_PCI_SLOT, PCI_STATUS) & PCI_STATUS_CAP_LIST, pci_read16(LGUEST_CONSOLE_PCI_SLOT, PCI_STATUS));
	CHECK(pci_read8(LGUEST_CONSOLE_PCI_SLOT, PCI_INTERRUPT_LINE) == 1, pci_read8(LGUEST_CONSOLE_PCI_SLOT, PCI_INTERRUPT_LINE));
	/* BAR0 sizing: a page, 32-bit memory. */
	bar = pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0);
	CHECK(bar == BAR, bar);
	pci_write32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0, 0xFFFFFFFF);
	CHECK(pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0) == 0xFFFFF000, pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0));
	pci_write32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0, bar);
	CHECK(pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0) == BAR, pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_0));
	CHECK(pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_1) == 0, pci_read32(LGUEST_CONSOLE_PCI_SLOT, PCI_BASE_ADDRESS_1));

	/* Ports nobody claims: all ones in, writes ignored; imm8 forms. */
	asm volatile("movl $0x12345678, %0\n\tinb $0x80, %%al" : "=&a" (bar));
	CHECK(bar == 0x123456FF, bar);
	asm volatile("movl $0x12345678, %0\n\tinw $0x70, %%ax" : "=&a" (bar));
	CHECK(bar == 0x1234FFFF, bar);
	asm volatile("inl $0x64, %0" : "=a" (bar));
	CHECK(bar == 0xFFFFFFFF, bar);
	asm volatile("outb %%al, $0x80\n\toutw %%ax, $0x80\n\toutl %%eax, $0x80" : : "a" (0));
	/* cli from the guest kernel is skipped. */
	asm volatile("cli");

	console_find();
	CHECK(pci_cfg_cap == 0x84, pci_cfg_cap);
	CHECK(devcfg_offset == 0x3C, devcfg_offset);
	puts_early("PCI config space ok, early console through PCI_CFG ok\n");
}

/* MMIO, one instruction form at a time; each prints one character. */
static void check_mmio(void)
{
	uint32_t base = BAR, v, d;
	uint16_t w;

	/* 89 /r, disp8: movl %eax, 0x44(%ebx) */
	asm volatile("movl %0, 0x44(%1)" : : "a" ('M'), "b" (base) : "memory");
	/* c7 /0, disp8, imm32 */
	asm volatile("movl $0x4D, 0x44(%0)" : : "b" (base) : "memory");
	/* 89 /r with SIB: movl %eax, (%ebx,%ecx,1) */
	asm volatile("movl %0, (%1,%2,1)" : : "a" ('I'), "b" (base), "c" (EMERG) : "memory");
	/* 89 /r, disp32 */
	asm volatile("movl %0, 0x1044(%1)" : : "a" ('O'), "b" (base - 0x1000) : "memory");
	/* 89 /r, mod 0 rm 5: an absolute disp32 (not the a3 form) */
	asm volatile("movl %0, %c1" : : "d" ('-'), "i" (BAR + EMERG) : "memory");
	/* c7 /0 with SIB and disp32: 11 bytes, more than the host gives */
	asm volatile("movl $0x6F, 0x1000(%0,%1,1)" : : "b" (base - 0x1000), "c" (EMERG) : "memory");
	puts_early("k\n");
	/* 8b /r, SIB with no base: movl disp32(,%ecx,1), %eax */
	*(volatile uint32_t *)BAR = 1;		/* device_feature_select */
	asm volatile("movl %c1(,%2,1), %0" : "=a" (v) : "i" (BAR), "c" (0) : "memory");
	CHECK(v == 1, v);
	*(volatile uint32_t *)BAR = 0;

	/* a1 and a3: %eax from and to an absolute address */
	asm volatile("movl %0, %c1" : : "a" (1), "i" (BAR) : "memory");
	asm volatile("movl %c1, %0" : "=a" (v) : "i" (BAR) : "memory");
	CHECK(v == 1, v);
	asm volatile("movl %0, %c1" : : "a" (0), "i" (BAR) : "memory");
	/* 66 a1 and a0 */
	asm volatile("movw %c1, %0" : "=a" (w) : "i" (BAR + 0x12) : "memory");
	CHECK(w == 2, w);
	asm volatile("movl $0xFFFFFFFF, %0\n\tmovb %c1, %%al" : "=&a" (v) : "i" (BAR + 0x15) : "memory");
	CHECK(v == 0xFFFFFF00, v);
	/* 66 8b: movw num_queues */
	asm volatile("movw 0x12(%1), %0" : "=a" (w) : "b" (base) : "memory");
	CHECK(w == 2, w);
	/* 0f b7: movzwl */
	asm volatile("movl $0xFFFFFFFF, %0\n\tmovzwl 0x12(%1), %0" : "=&c" (v) : "b" (base) : "memory");
	CHECK(v == 2, v);
	/* 0f b6: movzbl of device_status (0 after reset) */
	asm volatile("movb $0, 0x14(%0)" : : "b" (base) : "memory");	/* c6 /0 */
	asm volatile("movl $0xFFFFFFFF, %0\n\tmovzbl 0x14(%1), %0" : "=&d" (v) : "b" (base) : "memory");
	CHECK(v == 0, v);
	/* 88 /r from %ah (ACKNOWLEDGE), then 8a /r into %dh */
	asm volatile("movb %%ah, 0x14(%1)" : : "a" (0x0100), "b" (base) : "memory");
	asm volatile("movl $0x12345678, %0\n\tmovb 0x14(%1), %%dh" : "=&d" (v) : "b" (base) : "memory");
	CHECK(v == 0x12340178, v);
	/* 0f be: movsbl of config_generation (0) */
	asm volatile("movl $0xFFFFFFFF, %0\n\tmovsbl 0x15(%1), %0" : "=&S" (v) : "b" (base) : "memory");
	CHECK(v == 0, v);
	/* 66 c7 /0, imm16 and 66 89: queue_select */
	asm volatile("movw $1, 0x16(%0)" : : "b" (base) : "memory");
	asm volatile("movw 0x16(%1), %0" : "=a" (w) : "b" (base) : "memory");
	CHECK(w == 1, w);
	asm volatile("movw %0, 0x16(%1)" : : "c" ((uint16_t)0), "b" (base) : "memory");
	d = *(volatile uint16_t *)(BAR + 0x16);
	CHECK(d == 0, d);
	/* back to reset for the handshake */
	*(volatile uint8_t *)(BAR + 0x14) = 0;
	puts_early("MMIO decoding ok\n");
}

static struct vring_desc desc[2][QSIZE] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSIZE], event; } avail[2] __attribute__((aligned(4)));
static struct { uint16_t flags, idx; struct vring_used_elem ring[QSIZE]; uint16_t event; } used[2] __attribute__((aligned(4)));
static char rxbuf[64];
static const char txmsg[] = "hello through the transmit queue\n";

static int used_within(unsigned int q, unsigned long spins)
{
	unsigned long n;

	for (n = 0; n < spins; n++)
		if (*(volatile uint16_t *)&used[q].idx)
			return 1;
	return 0;
}

static void wait_used(unsigned int q)
{
	if (!used_within(q, 2000000000ul))
		fail("the device never used the buffer", __LINE__, q);
}

static void check_virtio(void)
{
	volatile struct virtio_pci_common_cfg *c = (void *)BAR;
	volatile uint16_t *notify = (void *)(BAR + 56);
	volatile uint8_t *isr = (void *)(BAR + 58);
	unsigned long n;
	unsigned int q;
	uint32_t v;

	c->device_status = 0;
	CHECK(c->device_status == 0, c->device_status);
	c->device_status = VIRTIO_CONFIG_S_ACKNOWLEDGE;
	c->device_status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	c->device_feature_select = 1;
	v = c->device_feature;
	CHECK(v == 1, v);			/* VIRTIO_F_VERSION_1 */
	c->device_feature_select = 0;
	v = c->device_feature;
	CHECK(v == (1u << VIRTIO_CONSOLE_F_EMERG_WRITE), v);
	c->guest_feature_select = 1;
	c->guest_feature = 1;
	c->guest_feature_select = 0;
	c->guest_feature = 0;
	c->device_status = 0x0B;		/* ... | FEATURES_OK */
	CHECK(c->device_status == 0x0B, c->device_status);
	CHECK(c->num_queues == 2, c->num_queues);

	for (q = 0; q < 2; q++) {
		c->queue_select = q;
		CHECK(c->queue_size == 256, c->queue_size);
		CHECK(c->queue_notify_off == 0, c->queue_notify_off);
		c->queue_size = QSIZE;
		c->queue_desc_lo = (uint32_t)desc[q];
		c->queue_desc_hi = 0;
		c->queue_avail_lo = (uint32_t)&avail[q];
		c->queue_avail_hi = 0;
		c->queue_used_lo = (uint32_t)&used[q];
		c->queue_used_hi = 0;
		c->queue_enable = 1;
		CHECK(c->queue_enable == 1, c->queue_enable);
	}
	c->device_status = 0x0F;		/* ... | DRIVER_OK */

	/* Transmit: one read-only buffer on queue 1. */
	desc[1][0].addr = (uint32_t)txmsg;
	desc[1][0].len = sizeof(txmsg) - 1;
	desc[1][0].flags = 0;
	avail[1].ring[0] = 0;
	asm volatile("" : : : "memory");
	avail[1].idx = 1;
	*notify = 1;
	wait_used(1);
	CHECK(used[1].ring[0].id == 0, used[1].ring[0].id);

	/* Receive: one writable buffer on queue 0, filled from stdin. */
	desc[0][0].addr = (uint32_t)rxbuf;
	desc[0][0].len = sizeof(rxbuf) - 1;
	desc[0][0].flags = VRING_DESC_F_WRITE;
	avail[0].ring[0] = 0;
	asm volatile("" : : : "memory");
	avail[0].idx = 1;
	*notify = 0;
	/* Long enough for the launcher's input thread, even under TCG. */
	if (restart_mode && !used_within(0, 200000000ul)) {
		puts_early("stdin at its end from the start: nothing to restart for\n");
		c->device_status = 0;
		return;
	}
	wait_used(0);
	received = 1;
	v = used[0].ring[0].len;
	CHECK(v > 0 && v < sizeof(rxbuf), v);
	rxbuf[v] = '\0';
	puts_early("received: ");
	puts_early(rxbuf);
	/* The ISR says "a queue interrupt", once: reading clears it. */
	for (n = 0; n < 100000000ul && !(v = *isr); n++)
		;
	CHECK(v == 1, v);
	v = *isr;
	CHECK(v == 0, v);

	/* stdin is at its end now: a second buffer stays unused. */
	desc[0][1].addr = (uint32_t)rxbuf;
	desc[0][1].len = sizeof(rxbuf) - 1;
	desc[0][1].flags = VRING_DESC_F_WRITE;
	avail[0].ring[1] = 1;
	asm volatile("" : : : "memory");
	avail[0].idx = 2;
	*notify = 0;
	for (n = 0; n < 20000000ul; n++)
		asm volatile("pause");
	v = *(volatile uint16_t *)&used[0].idx;
	CHECK(v == 1, v);
	puts_early("stdin EOF: nothing more received\n");

	/* Reset stops the queue threads; the device is as new. */
	c->device_status = 0;
	CHECK(c->device_status == 0, c->device_status);
	puts_early("virtio console ok\n");
}

void guest_main(void)
{
	check_pci();
	puts_early("lguest test guest: hello\n");
	check_boot_params();
	check_mmio();
	check_virtio();
	if (restart_mode && received) {
		puts_early("restarting\n");
		lgrt_shutdown("Restart", LGUEST_SHUTDOWN_RESTART);
	}
	puts_early("powering off\n");
}
