/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's devices: pci.c is the PCI bus the guest probes and the
 * virtio-PCI registers of each device, virtio.c walks the virtqueues,
 * console.c is the one device every guest has, and block.c, net.c and
 * rng.c are the devices the command line adds.
 */
#ifndef LGUEST_DEVICE_H
#define LGUEST_DEVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <pthread.h>
#include <sys/uio.h>
#include <linux/virtio_ring.h>
#include "util.h"

/* The largest queue a device offers. */
#define VIRTQUEUE_MAX	256

struct device;
struct virtqueue;

struct device_type {
	const char *name;
	uint16_t virtio_id;	/* VIRTIO_ID_* */
	uint32_t class_code;	/* PCI class, subclass, prog-if */
	uint64_t features;	/* offered besides VIRTIO_F_VERSION_1 */
	unsigned int nr_queues;
	/* The body of each queue's service thread; NULL: no thread. */
	void (*service[4])(struct virtqueue *vq);
	/* Device-specific config space after common, notify and ISR. */
	uint32_t config_size;
	/* A driver's write to it; NULL: the config is read-only. */
	void (*config_write)(struct device *dev, uint32_t off, uint32_t len,
			     uint32_t val);
};

struct virtqueue {
	struct device *dev;
	unsigned int index;
	/* What the driver set up through the common config. */
	uint16_t size;
	bool enabled;
	uint32_t desc_gpa, avail_gpa, used_gpa;
	/* Valid once enabled. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	/* The next available entry we will take. */
	uint16_t last_avail;
	/* Written by the notify register; read by the service thread. */
	int kick_fd;
	pthread_t thread;
	bool running;
};

#define MAX_QUEUES 4

struct device {
	const struct device_type *type;
	unsigned int slot;	/* PCI slot on bus 0, and the guest's IRQ line */
	unsigned int irq;
	uint32_t bar;		/* guest-physical address of BAR0 */
	uint8_t pci[256];	/* PCI config space */
	uint8_t *config;	/* type->config_size bytes */
	void *priv;

	/* virtio-PCI common config state. */
	uint32_t dev_feature_sel, drv_feature_sel;
	uint64_t drv_features;
	uint8_t status;
	bool status_read;	/* status read since FEATURES_OK was set */
	uint16_t queue_sel;
	uint8_t isr;		/* accessed atomically */
	struct virtqueue vqs[MAX_QUEUES];
	/* Set while the queue threads are being told to stop. */
	volatile bool stopping;
	/* Each service thread adds 1 here when it returns. */
	int done_fd;
};

/* Report a driver that broke the virtio rules, and stop the guest. */
__printf(2, 3) noreturn void bad_driver(struct device *dev, const char *fmt, ...);

struct device *add_device(const struct device_type *type, void *priv);
/* The end of the devices' BAR window, once they are all added. */
uint32_t devices_end(void);
/* The first BAR goes here: call before add_device(). */
void devices_init(uint32_t mmio_base);

/* Port I/O and MMIO accesses, as run.c emulates them. */
uint32_t pio_read(uint16_t port, unsigned int len);
void pio_write(uint16_t port, unsigned int len, uint32_t val);
/* False if no device claims the address. */
bool mmio_access(uint32_t gpa, unsigned int len, uint32_t *val, bool write);

/* virtio.c: the device side of a split virtqueue. */
void vq_enable(struct virtqueue *vq);
void vq_start(struct virtqueue *vq);
void vq_stop_all(struct device *dev);
void vq_kick(struct virtqueue *vq);
/*
 * Wait until the driver made a buffer available; false when the device
 * is being reset and the thread should return.
 */
bool vq_wait(struct virtqueue *vq);
/* Wait until fd is readable; false when the device is being reset. */
bool vq_wait_fd(struct virtqueue *vq, int fd);
bool vq_has_buffer(struct virtqueue *vq);
/*
 * Take the next available chain: its buffers go in iov, the device-read
 * ones first (*out of them), then the device-written ones (*in).
 */
unsigned int vq_pop(struct virtqueue *vq, struct iovec *iov,
		    unsigned int max, unsigned int *out, unsigned int *in);
void vq_push(struct virtqueue *vq, unsigned int head, uint32_t len);
/* n used entries at once: the driver sees all of them or none. */
void vq_push_n(struct virtqueue *vq, const uint16_t *heads,
	       const uint32_t *lens, unsigned int n);
void vq_interrupt(struct virtqueue *vq);

/* console.c */
void console_setup(void);
/* If stdin is a terminal, make it raw until we exit. */
void console_raw_tty(void);
void console_restore_tty(void);

/*
 * block.c: a virtio disk backed by a file (or block device) of ours;
 * arg is FILE, or FILE,ro for a read-only disk.
 */
void block_setup(const char *arg);

/*
 * net.c: a virtio NIC whose other end is a new tap device in the host;
 * val is the option's value, "IPADDR[:MAC]" or "bridge:NAME[:MAC]".
 */
void net_setup(const char *val);

/* rng.c: a virtio entropy source fed from /dev/urandom. */
void rng_setup(void);

#endif
