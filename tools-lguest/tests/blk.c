// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio block device's edges, which a Linux guest's block layer
 * never sends: run as "lguest --block=IMG 16 blk.elf" with an image of 8
 * sectors, sector i filled with the byte 'A' + i (see
 * tests/guest/devices-host.sh).
 *
 *  - the PCI identity (slot 2, 0x1042, class 01/80, IRQ 2), the features
 *    and the device config (capacity 8, seg_max 254);
 *  - GET_ID is the image's name; a read of the last sector;
 *  - reads and writes at or across the end, or at an absurd sector, get
 *    IOERR (and the image keeps its size: the host checks);
 *  - an unknown request type gets UNSUPP, and its buffer is not touched
 *    (it is not taken for a read);
 *  - a write of sector 0, then a flush.
 *
 * With "ro" on its command line (lguest --block=IMG,ro 16 blk.elf ro) it
 * checks the read-only disk instead: VIRTIO_BLK_F_RO offered, reads
 * work, a write gets IOERR (the host checks the image is unchanged), a
 * flush is fine.
 */
#include <asm/bootparam.h>
#include <linux/pci_regs.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include <linux/virtio_ring.h>
#include "guest.h"

/* Slot 2's BAR0: RAM (16 MiB), a 1 MiB gap, the console's page. */
#define BAR		0x1101000u
#define DEVCFG		0x3C
#define QSIZE		8
#define SECTORS		8

static struct vring_desc desc[QSIZE] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSIZE], event; } avail __attribute__((aligned(4)));
static struct { uint16_t flags, idx; struct vring_used_elem ring[QSIZE]; uint16_t event; } used __attribute__((aligned(4)));
static struct virtio_blk_outhdr hdr;
static uint8_t data[1024];
static uint8_t status;

/* Set when the command line has "ro": the disk is read-only. */
static int ro;

static void setup(void)
{
	volatile struct virtio_pci_common_cfg *c = (void *)BAR;
	volatile uint32_t *cfg = (void *)(BAR + DEVCFG);
	uint32_t v;

	CHECK(pci_read32(2, PCI_VENDOR_ID) == 0x10421AF4, pci_read32(2, PCI_VENDOR_ID));
	CHECK(pci_read32(2, PCI_CLASS_REVISION) >> 8 == 0x018000, pci_read32(2, PCI_CLASS_REVISION));
	CHECK(pci_read8(2, PCI_INTERRUPT_LINE) == 2, pci_read8(2, PCI_INTERRUPT_LINE));
	CHECK(pci_read32(2, PCI_BASE_ADDRESS_0) == BAR, pci_read32(2, PCI_BASE_ADDRESS_0));

	c->device_status = 0;
	c->device_status = VIRTIO_CONFIG_S_ACKNOWLEDGE;
	c->device_status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	c->device_feature_select = 0;
	v = c->device_feature;
	CHECK(v == ((1u << VIRTIO_BLK_F_SEG_MAX) | (1u << VIRTIO_BLK_F_FLUSH) |
		    (1u << VIRTIO_RING_F_INDIRECT_DESC) |
		    (ro ? 1u << VIRTIO_BLK_F_RO : 0)), v);
	c->device_feature_select = 1;
	v = c->device_feature;
	CHECK(v == 1, v);			/* VIRTIO_F_VERSION_1 */
	c->guest_feature_select = 1;
	c->guest_feature = 1;
	c->guest_feature_select = 0;
	c->guest_feature = (1u << VIRTIO_BLK_F_FLUSH) | (ro ? 1u << VIRTIO_BLK_F_RO : 0);
	c->device_status = 0x0B;		/* ... | FEATURES_OK */
	CHECK(c->device_status == 0x0B, c->device_status);
	CHECK(c->num_queues == 1, c->num_queues);

	/* capacity (64 bits, two reads), size_max, seg_max */
	CHECK(cfg[0] == SECTORS, cfg[0]);
	CHECK(cfg[1] == 0, cfg[1]);
	CHECK(cfg[3] == 254, cfg[3]);

	c->queue_select = 0;
	c->queue_size = QSIZE;
	c->queue_desc_lo = (uint32_t)desc;
	c->queue_desc_hi = 0;
	c->queue_avail_lo = (uint32_t)&avail;
	c->queue_avail_hi = 0;
	c->queue_used_lo = (uint32_t)&used;
	c->queue_used_hi = 0;
	c->queue_enable = 1;
	c->device_status = 0x0F;		/* ... | DRIVER_OK */
	puts_early("virtio block: identity, features and config ok\n");
}

/*
 * One request: the header, len bytes of data (written by the device if
 * dev_writes), the status byte.  Returns the status; *used_len is what
 * the device said it wrote.
 */
static uint8_t request(uint32_t type, uint64_t sector, uint32_t len,
		       int dev_writes, uint32_t *used_len)
{
	volatile uint16_t *notify = (void *)(BAR + 56);
	uint16_t before = used.idx;
	unsigned int d = 0;
	unsigned long n;

	hdr.type = type;
	hdr.ioprio = 0;
	hdr.sector = sector;
	status = 0xEE;
	desc[d].addr = (uint32_t)&hdr;
	desc[d].len = sizeof(hdr);
	desc[d].flags = VRING_DESC_F_NEXT;
	desc[d].next = d + 1;
	d++;
	if (len) {
		desc[d].addr = (uint32_t)data;
		desc[d].len = len;
		desc[d].flags = VRING_DESC_F_NEXT | (dev_writes ? VRING_DESC_F_WRITE : 0);
		desc[d].next = d + 1;
		d++;
	}
	desc[d].addr = (uint32_t)&status;
	desc[d].len = 1;
	desc[d].flags = VRING_DESC_F_WRITE;
	avail.ring[avail.idx % QSIZE] = 0;
	asm volatile("" : : : "memory");
	avail.idx++;
	asm volatile("" : : : "memory");
	*notify = 0;
	for (n = 0; n < 2000000000ul; n++)
		if (*(volatile uint16_t *)&used.idx != before)
			break;
	CHECK(*(volatile uint16_t *)&used.idx == (uint16_t)(before + 1), used.idx);
	*used_len = used.ring[before % QSIZE].len;
	return *(volatile uint8_t *)&status;
}

static int all(const uint8_t *p, unsigned int len, uint8_t v)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* Does the command line have the word w? */
static int has_arg(const char *w)
{
	struct boot_params *bp;
	const char *p;
	unsigned int i;

	asm("" : "=r" (bp) : "0" (0));
	p = (const char *)bp->hdr.cmd_line_ptr;
	for (; *p; p++) {
		if (p != (const char *)bp->hdr.cmd_line_ptr && p[-1] != ' ')
			continue;
		for (i = 0; w[i] && p[i] == w[i]; i++)
			;
		if (!w[i] && (!p[i] || p[i] == ' '))
			return 1;
	}
	return 0;
}

/* The read-only disk: reads as usual, a write fails, a flush does not. */
static void read_only(void)
{
	uint32_t got;
	uint8_t s;

	s = request(VIRTIO_BLK_T_IN, 1, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	CHECK(all(data, 512, 'B'), data[0]);
	memset(data, 'W', sizeof(data));
	s = request(VIRTIO_BLK_T_OUT, 1, 512, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	CHECK(got == 1, got);
	s = request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	s = request(VIRTIO_BLK_T_IN, 1, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_OK && all(data, 512, 'B'), data[0]);
	puts_early("read-only disk: F_RO offered, read ok, write IOERR, flush ok\n");
}

void guest_main(void)
{
	static const char id[] = "small.img";
	uint32_t got;
	uint8_t s;
	unsigned int i;

	console_find();
	ro = has_arg("ro");
	setup();
	if (ro) {
		read_only();
		return;
	}

	memset(data, 0, sizeof(data));
	s = request(VIRTIO_BLK_T_GET_ID, 0, VIRTIO_BLK_ID_BYTES, 1, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	CHECK(got == VIRTIO_BLK_ID_BYTES + 1, got);
	for (i = 0; i < sizeof(id); i++)
		CHECK(data[i] == (uint8_t)id[i], i);
	puts_early("GET_ID: ");
	puts_early((const char *)data);
	puts_early("\n");

	s = request(VIRTIO_BLK_T_IN, SECTORS - 1, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	CHECK(got == 513, got);
	CHECK(all(data, 512, 'A' + SECTORS - 1), data[0]);
	puts_early("read of the last sector ok\n");

	memset(data, 'X', sizeof(data));
	s = request(VIRTIO_BLK_T_OUT, SECTORS, 512, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	CHECK(got == 1, got);
	s = request(VIRTIO_BLK_T_OUT, SECTORS - 1, 1024, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	s = request(VIRTIO_BLK_T_OUT, ~0ull, 512, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	s = request(VIRTIO_BLK_T_OUT, (~0ull) / 512 + 1, 512, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	s = request(VIRTIO_BLK_T_OUT, 0, 100, 0, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	puts_early("writes past the end or of part of a sector: IOERR\n");
	s = request(VIRTIO_BLK_T_IN, SECTORS, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	CHECK(got == 1, got);
	s = request(VIRTIO_BLK_T_IN, SECTORS - 1, 1024, 1, &got);
	CHECK(s == VIRTIO_BLK_S_IOERR, s);
	puts_early("reads past the end: IOERR\n");

	memset(data, 0x5A, sizeof(data));
	s = request(VIRTIO_BLK_T_DISCARD, 0, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_UNSUPP, s);
	CHECK(got == 1, got);
	CHECK(all(data, 512, 0x5A), data[0]);
	s = request(0x1234, 0, 512, 1, &got);
	CHECK(s == VIRTIO_BLK_S_UNSUPP, s);
	CHECK(all(data, 512, 0x5A), data[0]);
	puts_early("unknown request types: UNSUPP, buffer untouched\n");

	memset(data, 'Z', sizeof(data));
	s = request(VIRTIO_BLK_T_OUT, 0, 512, 0, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	CHECK(got == 1, got);
	s = request(VIRTIO_BLK_T_FLUSH, 0, 0, 0, &got);
	CHECK(s == VIRTIO_BLK_S_OK, s);
	CHECK(got == 1, got);
	puts_early("write of sector 0 and flush ok\n");
	puts_early("virtio block edges ok\n");
}
