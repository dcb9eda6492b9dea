// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's PCI bus, and the virtio-PCI registers of its devices.
 *
 * The guest finds its devices the PC way: configuration mechanism #1,
 * an address latch at port 0xCF8 and a data window at 0xCFC.  Bus 0 has
 * a host bridge in slot 0 (Linux wants to see one before it trusts
 * conf1) and one virtio device per slot from 1 up; a device's interrupt
 * line is its lguest IRQ, which equals its slot.
 *
 * Each device is a "modern" (virtio 1.0) virtio-PCI device: five
 * capabilities point into BAR0, which holds the common configuration,
 * the notify register, the ISR byte and the device's own configuration.
 * BAR0 lives in the MMIO window above guest RAM, so every access to it
 * traps to us.  The PCI_CFG capability reaches the same registers through
 * config space, which is how the guest writes to its console before it
 * can map anything.
 *
 * Drivers that break the virtio rules get the guest stopped, with the
 * rule named: better a clear death than a device that half works.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/pci_regs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_pci.h>
#include "device.h"
#include "util.h"

#define MAX_SLOTS	32
#define BAR_SIZE	PAGE_SIZE	/* one page per device */

/* Where BAR0's parts are. */
#define BAR_COMMON	0
#define BAR_COMMON_LEN	((uint32_t)sizeof(struct virtio_pci_common_cfg))
#define BAR_NOTIFY	BAR_COMMON_LEN			/* 56, 16 bits */
#define BAR_ISR		(BAR_NOTIFY + 2)		/* 58, 8 bits */
#define BAR_DEVCFG	(BAR_ISR + 2)			/* 60 */

/* Where the capabilities are in config space. */
#define CAP_COMMON	0x40
#define CAP_NOTIFY	0x50
#define CAP_ISR		0x64
#define CAP_DEVICE	0x74
#define CAP_PCI_CFG	0x84
#define CFG_END		(CAP_PCI_CFG + sizeof(struct virtio_pci_cfg_cap))

static struct device *slots[MAX_SLOTS];
static unsigned int nr_slots = 1;	/* slot 0 is the host bridge */
static uint32_t next_bar;
static uint32_t conf_addr;		/* the 0xCF8 latch */

/* The host bridge: class 06/00, vendor 0 so that no driver wants it. */
static uint8_t host_bridge[64] = {
	[PCI_CLASS_DEVICE + 1] = 0x06,
};

static void put8(uint8_t *p, unsigned int off, uint8_t v) { p[off] = v; }
static void put16(uint8_t *p, unsigned int off, uint16_t v) { memcpy(p + off, &v, 2); }
static void put32(uint8_t *p, unsigned int off, uint32_t v) { memcpy(p + off, &v, 4); }
static uint32_t get32(const uint8_t *p, unsigned int off) { uint32_t v; memcpy(&v, p + off, 4); return v; }

noreturn void bad_driver(struct device *dev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	die(EXIT_CRASH, "guest driver error: virtio %s (PCI slot %u): %s",
	    dev->type->name, dev->slot, msg);
}

void devices_init(uint32_t mmio_base)
{
	next_bar = mmio_base;
}

uint32_t devices_end(void)
{
	return next_bar;
}

/* One vendor capability at "at": its type, and where in BAR0 it points. */
static void add_cap(uint8_t *cfg, unsigned int at, unsigned int next,
		    unsigned int len, uint8_t type, uint32_t off,
		    uint32_t length)
{
	put8(cfg, at + offsetof(struct virtio_pci_cap, cap_vndr), PCI_CAP_ID_VNDR);
	put8(cfg, at + offsetof(struct virtio_pci_cap, cap_next), next);
	put8(cfg, at + offsetof(struct virtio_pci_cap, cap_len), len);
	put8(cfg, at + offsetof(struct virtio_pci_cap, cfg_type), type);
	put8(cfg, at + offsetof(struct virtio_pci_cap, bar), 0);
	put32(cfg, at + offsetof(struct virtio_pci_cap, offset), off);
	put32(cfg, at + offsetof(struct virtio_pci_cap, length), length);
}

struct device *add_device(const struct device_type *type, void *priv)
{
	static struct device devs[MAX_SLOTS];
	struct device *dev;
	uint8_t *cfg;
	unsigned int i;

	if (nr_slots == MAX_SLOTS)
		die(EXIT_SETUP, "too many devices: the PCI bus has %u slots", MAX_SLOTS - 1);
	if (type->nr_queues > MAX_QUEUES || BAR_DEVCFG + type->config_size > BAR_SIZE)
		die(EXIT_SETUP, "internal error: device type %s is too big", type->name);

	dev = &devs[nr_slots];
	dev->type = type;
	dev->slot = nr_slots;
	dev->irq = nr_slots;
	dev->bar = next_bar;
	dev->priv = priv;
	dev->done_fd = -1;
	dev->config = calloc_or_die(type->config_size ? type->config_size : 1);
	for (i = 0; i < type->nr_queues; i++) {
		dev->vqs[i].dev = dev;
		dev->vqs[i].index = i;
		dev->vqs[i].size = VIRTQUEUE_MAX;
		dev->vqs[i].kick_fd = -1;
	}
	next_bar += BAR_SIZE;
	slots[nr_slots++] = dev;

	cfg = dev->pci;
	put16(cfg, PCI_VENDOR_ID, 0x1AF4);
	put16(cfg, PCI_DEVICE_ID, 0x1040 + type->virtio_id);
	put16(cfg, PCI_STATUS, PCI_STATUS_CAP_LIST);
	put8(cfg, PCI_REVISION_ID, 1);
	put8(cfg, PCI_CLASS_PROG, type->class_code & 0xFF);
	put16(cfg, PCI_CLASS_DEVICE, type->class_code >> 8);
	put8(cfg, PCI_HEADER_TYPE, PCI_HEADER_TYPE_NORMAL);
	put32(cfg, PCI_BASE_ADDRESS_0, dev->bar);
	put16(cfg, PCI_SUBSYSTEM_VENDOR_ID, 0x1AF4);
	put16(cfg, PCI_SUBSYSTEM_ID, 0x1100);
	put8(cfg, PCI_CAPABILITY_LIST, CAP_COMMON);
	/* The line is lguest's IRQ; pin 0 keeps Linux from routing it. */
	put8(cfg, PCI_INTERRUPT_LINE, dev->irq);
	put8(cfg, PCI_INTERRUPT_PIN, 0);

	add_cap(cfg, CAP_COMMON, CAP_NOTIFY, sizeof(struct virtio_pci_cap),
		VIRTIO_PCI_CAP_COMMON_CFG, BAR_COMMON, BAR_COMMON_LEN);
	/* A multiplier of 0: every queue shares one notify register. */
	add_cap(cfg, CAP_NOTIFY, CAP_ISR, sizeof(struct virtio_pci_notify_cap),
		VIRTIO_PCI_CAP_NOTIFY_CFG, BAR_NOTIFY, 2);
	put32(cfg, CAP_NOTIFY + offsetof(struct virtio_pci_notify_cap,
					 notify_off_multiplier), 0);
	add_cap(cfg, CAP_ISR, type->config_size ? CAP_DEVICE : CAP_PCI_CFG,
		sizeof(struct virtio_pci_cap), VIRTIO_PCI_CAP_ISR_CFG, BAR_ISR, 1);
	if (type->config_size)
		add_cap(cfg, CAP_DEVICE, CAP_PCI_CFG, sizeof(struct virtio_pci_cap),
			VIRTIO_PCI_CAP_DEVICE_CFG, BAR_DEVCFG, type->config_size);
	add_cap(cfg, CAP_PCI_CFG, 0, sizeof(struct virtio_pci_cfg_cap),
		VIRTIO_PCI_CAP_PCI_CFG, 0, 0);

	trace("PCI slot %u: virtio %s, BAR0 %#x, IRQ %u",
	      dev->slot, type->name, dev->bar, dev->irq);
	return dev;
}

/*
 * The common configuration (struct virtio_pci_common_cfg).  Every field
 * must be accessed at its own width, as the spec says.
 */
static struct virtqueue *selected_vq(struct device *dev)
{
	if (dev->queue_sel >= dev->type->nr_queues)
		return NULL;
	return &dev->vqs[dev->queue_sel];
}

static unsigned int common_width(uint32_t off)
{
	switch (off) {
	case VIRTIO_PCI_COMMON_STATUS:
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return 1;
	case VIRTIO_PCI_COMMON_MSIX:
	case VIRTIO_PCI_COMMON_NUMQ:
	case VIRTIO_PCI_COMMON_Q_SELECT:
	case VIRTIO_PCI_COMMON_Q_SIZE:
	case VIRTIO_PCI_COMMON_Q_MSIX:
	case VIRTIO_PCI_COMMON_Q_ENABLE:
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return 2;
	default:
		return (off % 4) ? 0 : 4;
	}
}

static void reset_device(struct device *dev)
{
	unsigned int i;

	vq_stop_all(dev);
	dev->dev_feature_sel = dev->drv_feature_sel = 0;
	dev->drv_features = 0;
	dev->status = 0;
	dev->status_read = false;
	dev->queue_sel = 0;
	__atomic_store_n(&dev->isr, 0, __ATOMIC_SEQ_CST);
	for (i = 0; i < dev->type->nr_queues; i++) {
		struct virtqueue *vq = &dev->vqs[i];

		vq->size = VIRTQUEUE_MAX;
		vq->enabled = false;
		vq->desc_gpa = vq->avail_gpa = vq->used_gpa = 0;
		vq->last_avail = 0;
	}
	trace("virtio %s: reset", dev->type->name);
}

static uint64_t offered(struct device *dev)
{
	return dev->type->features | (1ull << VIRTIO_F_VERSION_1);
}

static uint32_t common_read(struct device *dev, uint32_t off)
{
	struct virtqueue *vq = selected_vq(dev);

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		return dev->dev_feature_sel;
	case VIRTIO_PCI_COMMON_DF:
		if (!(dev->status & VIRTIO_CONFIG_S_DRIVER))
			bad_driver(dev, "read the features before setting DRIVER status");
		if (dev->dev_feature_sel > 1)
			return 0;
		return offered(dev) >> (32 * dev->dev_feature_sel);
	case VIRTIO_PCI_COMMON_GFSELECT:
		return dev->drv_feature_sel;
	case VIRTIO_PCI_COMMON_GF:
		if (!(dev->status & VIRTIO_CONFIG_S_DRIVER))
			bad_driver(dev, "read its features before setting DRIVER status");
		return dev->drv_features >> (32 * dev->drv_feature_sel);
	case VIRTIO_PCI_COMMON_MSIX:
		bad_driver(dev, "read msix_config, but the device has no MSI-X");
	case VIRTIO_PCI_COMMON_NUMQ:
		return dev->type->nr_queues;
	case VIRTIO_PCI_COMMON_STATUS:
		if (dev->status & VIRTIO_CONFIG_S_FEATURES_OK)
			dev->status_read = true;
		return dev->status;
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return 0;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		return dev->queue_sel;
	case VIRTIO_PCI_COMMON_Q_SIZE:
		return vq ? vq->size : 0;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		return VIRTIO_MSI_NO_VECTOR;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		return vq ? vq->enabled : 0;
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return 0;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		return vq ? vq->desc_gpa : 0;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		return vq ? vq->avail_gpa : 0;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		return vq ? vq->used_gpa : 0;
	default:
		/* The high halves of the ring addresses. */
		return 0;
	}
}

/* The status bits in the order a driver must set them. */
static const uint8_t status_order[] = {
	VIRTIO_CONFIG_S_ACKNOWLEDGE, VIRTIO_CONFIG_S_DRIVER,
	VIRTIO_CONFIG_S_FEATURES_OK, VIRTIO_CONFIG_S_DRIVER_OK,
};

static void write_status(struct device *dev, uint8_t val)
{
	uint8_t old = dev->status, added = val & ~old;
	unsigned int i, n = 0;

	if (val == 0) {
		reset_device(dev);
		return;
	}
	if (old & ~val)
		bad_driver(dev, "cleared status bits (%#x -> %#x); only a write of 0 resets",
			   old, val);
	/* A driver that gives up says FAILED; note it and carry on. */
	if (added & VIRTIO_CONFIG_S_FAILED) {
		warnx_("virtio %s: the guest driver set FAILED status", dev->type->name);
		dev->status = val;
		return;
	}
	while (n < sizeof(status_order) && (old & status_order[n]))
		n++;
	if (added != (n < sizeof(status_order) ? status_order[n] : 0))
		bad_driver(dev, "status %#x -> %#x: the bits must be set one at a time, ACKNOWLEDGE, DRIVER, FEATURES_OK, DRIVER_OK",
			   old, val);

	if (added == VIRTIO_CONFIG_S_FEATURES_OK) {
		if (!(dev->drv_features & (1ull << VIRTIO_F_VERSION_1)))
			bad_driver(dev, "set FEATURES_OK without accepting VIRTIO_F_VERSION_1");
		dev->status_read = false;
	}
	if (added == VIRTIO_CONFIG_S_DRIVER_OK) {
		if (!dev->status_read)
			bad_driver(dev, "set DRIVER_OK without reading back FEATURES_OK");
		dev->status = val;
		for (i = 0; i < dev->type->nr_queues; i++)
			if (dev->vqs[i].enabled)
				vq_start(&dev->vqs[i]);
		trace("virtio %s: DRIVER_OK, features %#llx", dev->type->name,
		      (unsigned long long)dev->drv_features);
		return;
	}
	dev->status = val;
}

/* Queue setup: after FEATURES_OK, before the queue is enabled. */
static struct virtqueue *setup_vq(struct device *dev, const char *what)
{
	struct virtqueue *vq = selected_vq(dev);

	if (!(dev->status & VIRTIO_CONFIG_S_FEATURES_OK))
		bad_driver(dev, "set %s before FEATURES_OK", what);
	if (!vq)
		bad_driver(dev, "set %s of queue %u, which does not exist", what,
			   dev->queue_sel);
	if (vq->enabled)
		bad_driver(dev, "set %s of queue %u while it is enabled", what,
			   dev->queue_sel);
	return vq;
}

static void common_write(struct device *dev, uint32_t off, uint32_t val)
{
	struct virtqueue *vq;

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		dev->dev_feature_sel = val;
		return;
	case VIRTIO_PCI_COMMON_GFSELECT:
		if (val > 1)
			bad_driver(dev, "selected driver feature word %u (0 or 1)", val);
		dev->drv_feature_sel = val;
		return;
	case VIRTIO_PCI_COMMON_GF: {
		uint64_t mask = 0xFFFFFFFFull << (32 * dev->drv_feature_sel);
		uint64_t f = (uint64_t)val << (32 * dev->drv_feature_sel);

		if (!(dev->status & VIRTIO_CONFIG_S_DRIVER))
			bad_driver(dev, "wrote features before setting DRIVER status");
		if (dev->status & VIRTIO_CONFIG_S_FEATURES_OK)
			bad_driver(dev, "wrote features after FEATURES_OK");
		if (f & ~offered(dev))
			bad_driver(dev, "accepted features %#llx that the device does not offer (%#llx)",
				   (unsigned long long)f, (unsigned long long)offered(dev));
		dev->drv_features = (dev->drv_features & ~mask) | f;
		return;
	}
	case VIRTIO_PCI_COMMON_STATUS:
		write_status(dev, val);
		return;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		dev->queue_sel = val;
		return;
	case VIRTIO_PCI_COMMON_Q_SIZE:
		vq = setup_vq(dev, "queue_size");
		if (!val || val > VIRTQUEUE_MAX || (val & (val - 1)))
			bad_driver(dev, "queue %u size %u: it must be a power of two up to %u",
				   vq->index, val, VIRTQUEUE_MAX);
		vq->size = val;
		return;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		vq = setup_vq(dev, "queue_enable");
		if (val != 1)
			bad_driver(dev, "wrote %u to queue_enable of queue %u (only 1 is allowed)",
				   val, vq->index);
		if (dev->status & VIRTIO_CONFIG_S_DRIVER_OK)
			bad_driver(dev, "enabled queue %u after DRIVER_OK", vq->index);
		vq_enable(vq);
		return;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		setup_vq(dev, "queue_desc")->desc_gpa = val;
		return;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		setup_vq(dev, "queue_driver")->avail_gpa = val;
		return;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		setup_vq(dev, "queue_device")->used_gpa = val;
		return;
	case VIRTIO_PCI_COMMON_Q_DESCHI:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		setup_vq(dev, "a ring address");
		if (val)
			bad_driver(dev, "a ring address above 4 GiB (high word %#x)", val);
		return;
	case VIRTIO_PCI_COMMON_MSIX:
	case VIRTIO_PCI_COMMON_Q_MSIX:
		bad_driver(dev, "wrote an MSI-X vector, but the device has no MSI-X");
	default:
		bad_driver(dev, "wrote the read-only common config field at %#x", off);
	}
}

/*
 * One access to BAR0 at off, of len bytes: from a trapped MMIO
 * instruction or through the PCI_CFG window.
 */
static void bar_access(struct device *dev, uint32_t off, unsigned int len,
		       uint32_t *val, bool write)
{
	if (off < BAR_COMMON + BAR_COMMON_LEN) {
		if (common_width(off) != len)
			bad_driver(dev, "%u-byte access to the common config at %#x (fields must be accessed at their own width)",
				   len, off);
		if (write)
			common_write(dev, off, *val);
		else
			*val = common_read(dev, off);
	} else if (off == BAR_NOTIFY) {
		struct virtqueue *vq;

		if (len != 2 || !write)
			bad_driver(dev, "%u-byte %s of the notify register (it takes a 16-bit write)",
				   len, write ? "write" : "read");
		if (*val >= dev->type->nr_queues || !dev->vqs[*val].enabled)
			bad_driver(dev, "notified queue %u, which is not enabled", *val);
		vq = &dev->vqs[*val];
		vq_kick(vq);
	} else if (off == BAR_ISR) {
		if (len != 1 || write)
			bad_driver(dev, "%u-byte %s of the ISR (it takes an 8-bit read)",
				   len, write ? "write" : "read");
		*val = __atomic_exchange_n(&dev->isr, 0, __ATOMIC_SEQ_CST);
	} else if (off >= BAR_DEVCFG &&
		   off + len <= BAR_DEVCFG + dev->type->config_size) {
		off -= BAR_DEVCFG;
		if (write) {
			if (!dev->type->config_write)
				bad_driver(dev, "wrote its read-only device config at %#x", off);
			dev->type->config_write(dev, off, len, *val);
		} else {
			*val = 0;
			memcpy(val, dev->config + off, len);
		}
	} else {
		bad_driver(dev, "%u-byte %s at BAR0 offset %#x, where there is no register",
			   len, write ? "write" : "read", off);
	}
}

bool mmio_access(uint32_t gpa, unsigned int len, uint32_t *val, bool write)
{
	unsigned int i;

	for (i = 1; i < nr_slots; i++) {
		struct device *dev = slots[i];

		if (gpa - dev->bar < BAR_SIZE) {
			bar_access(dev, gpa - dev->bar, len, val, write);
			return true;
		}
	}
	return false;
}

/*
 * The PCI_CFG capability's data field: a BAR0 access at the offset and of
 * the length the driver put in the capability.
 */
static void pci_cfg_window(struct device *dev, bool write)
{
	uint8_t *cap = dev->pci + CAP_PCI_CFG;
	uint8_t bar = cap[offsetof(struct virtio_pci_cap, bar)];
	uint32_t off = get32(cap, offsetof(struct virtio_pci_cap, offset));
	uint32_t len = get32(cap, offsetof(struct virtio_pci_cap, length));
	uint8_t *data = cap + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);
	uint32_t val = 0;

	/* Reading config space wholesale (lspci -xxx) is no BAR access. */
	if (!write && len == 0)
		return;
	if (bar != 0 || (len != 1 && len != 2 && len != 4) || off % len ||
	    off + len > BAR_SIZE)
		bad_driver(dev, "PCI_CFG window access with bar %u, offset %#x, length %u (bar 0, length 1, 2 or 4, aligned)",
			   bar, off, len);
	if (write) {
		memcpy(&val, data, len);
		bar_access(dev, off, len, &val, true);
	} else {
		bar_access(dev, off, len, &val, false);
		memset(data, 0, 4);
		memcpy(data, &val, len);
	}
}

static uint32_t config_read(unsigned int slot, uint32_t reg, unsigned int len)
{
	struct device *dev = slots[slot];
	uint32_t val = 0;

	if (slot == 0) {
		if (reg + len <= sizeof(host_bridge))
			memcpy(&val, host_bridge + reg, len);
		return val;
	}
	if (reg < CFG_END && reg + len > CAP_PCI_CFG +
	    offsetof(struct virtio_pci_cfg_cap, pci_cfg_data))
		pci_cfg_window(dev, false);
	memcpy(&val, dev->pci + reg, len);
	return val;
}

/* Which bytes of a device's config space the driver may change. */
static bool config_writable(uint32_t reg)
{
	switch (reg) {
	case PCI_COMMAND:
	case PCI_COMMAND + 1:
	case PCI_CACHE_LINE_SIZE:
	case PCI_LATENCY_TIMER:
		return true;
	}
	if (reg - PCI_BASE_ADDRESS_0 < 4)
		return true;
	/* The PCI_CFG capability's bar, offset, length and data. */
	return reg == CAP_PCI_CFG + offsetof(struct virtio_pci_cap, bar) ||
	       (reg >= CAP_PCI_CFG + offsetof(struct virtio_pci_cap, offset) &&
		reg < CFG_END);
}

static void config_write(unsigned int slot, uint32_t reg, unsigned int len,
			 uint32_t val)
{
	struct device *dev = slots[slot];
	const uint32_t data = CAP_PCI_CFG + offsetof(struct virtio_pci_cfg_cap, pci_cfg_data);
	unsigned int i;
	uint32_t bar;

	/* Nothing to write in the host bridge. */
	if (slot == 0)
		return;
	for (i = 0; i < len; i++) {
		if (config_writable(reg + i))
			dev->pci[reg + i] = val >> (8 * i);
		else
			trace("PCI slot %u: ignored write to config byte %#x", slot, reg + i);
	}
	/* Only the memory-space, bus-master and INTx-disable bits stick. */
	put16(dev->pci, PCI_COMMAND, get32(dev->pci, PCI_COMMAND) &
	      (PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE));
	/* BAR0 is BAR_SIZE bytes: its low bits read back as 0 (sizing). */
	bar = get32(dev->pci, PCI_BASE_ADDRESS_0) & ~(BAR_SIZE - 1);
	put32(dev->pci, PCI_BASE_ADDRESS_0, bar);
	if (reg <= PCI_BASE_ADDRESS_0 + 3 && reg + len > PCI_BASE_ADDRESS_0 &&
	    bar != dev->bar && bar != ~(BAR_SIZE - 1))
		warnx_("virtio %s: the guest moved BAR0 to %#x; it stays at %#x",
		       dev->type->name, bar, dev->bar);
	if (reg < CFG_END && reg + len > data)
		pci_cfg_window(dev, true);
}

/*
 * Port I/O: the conf1 latch and data window; every other port reads as
 * all ones (nothing there) and ignores writes.
 */
static bool conf_target(uint16_t port, unsigned int len, unsigned int *slot,
			uint32_t *reg)
{
	uint32_t bus = (conf_addr >> 16) & 0xFF;
	uint32_t fn = (conf_addr >> 8) & 7;

	*slot = (conf_addr >> 11) & 0x1F;
	*reg = (conf_addr & 0xFC) + (port - 0xCFC);
	if (!(conf_addr & 0x80000000u) || bus || fn)
		return false;
	if (*slot >= nr_slots || port - 0xCFC + len > 4)
		return false;
	return true;
}

uint32_t pio_read(uint16_t port, unsigned int len)
{
	uint32_t mask = size_mask(len);
	unsigned int slot;
	uint32_t reg;

	if (port >= 0xCF8 && port + len <= 0xCFC)
		return (conf_addr >> (8 * (port - 0xCF8))) & mask;
	if (port >= 0xCFC && port < 0xD00) {
		if (!conf_target(port, len, &slot, &reg))
			return mask;
		return config_read(slot, reg, len);
	}
	return mask;
}

void pio_write(uint16_t port, unsigned int len, uint32_t val)
{
	unsigned int slot, i;
	uint32_t reg;

	if (port >= 0xCF8 && port + len <= 0xCFC) {
		for (i = 0; i < len; i++) {
			unsigned int shift = 8 * (port - 0xCF8 + i);

			conf_addr = (conf_addr & ~(0xFFu << shift)) |
				    (((val >> (8 * i)) & 0xFF) << shift);
		}
		return;
	}
	if (port >= 0xCFC && port < 0xD00) {
		if (conf_target(port, len, &slot, &reg))
			config_write(slot, reg, len, val);
		return;
	}
	trace("ignored %u-byte write of %#x to port %#x", len, val, port);
}
