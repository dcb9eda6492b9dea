/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lguest launcher: what its parts share.
 *
 * lguest.c runs the guest and emulates the instructions it traps on,
 * boot.c puts the kernel and its boot data into guest memory, pci.c is
 * the PCI bus the guest probes and the virtio-PCI registers of each
 * device, virtio.c walks the virtqueues, console.c is the one device
 * every guest has, and block.c, net.c and rng.c are the devices the
 * command line adds.  privs.c drops root once all of that is set up.
 */
#ifndef LGUEST_LAUNCHER_H
#define LGUEST_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <pthread.h>
#include <sys/uio.h>
#include <linux/lguest.h>
#include <linux/lguest_launcher.h>
#include <linux/virtio_ring.h>

/* Exit statuses: what a script running us can rely on. */
#define EXIT_POWEROFF	0	/* the guest powered off */
#define EXIT_SETUP	2	/* bad usage, a bad file, no /dev/lguest */
#define EXIT_RESTART	3	/* the guest asked to be restarted */
#define EXIT_CRASH	255	/* the guest panicked or was killed */

#define PAGE_SIZE	4096u
/* The largest queue a device offers. */
#define VIRTQUEUE_MAX	256

/* Guest-physical 0 is guest_base in our address space. */
extern uint8_t *guest_base;
/* Bytes of guest RAM: guest-physical [0, guest_ram). */
extern uint32_t guest_ram;
extern int verbose;
/* /dev/lguest, once it is open. */
extern int lguest_fd;

void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * A pointer to guest-physical [gpa, gpa + len), or NULL if any of it
 * lies outside guest RAM.
 */
void *gpa_ptr(uint64_t gpa, uint64_t len);
void *calloc_or_die(size_t size);

/* Raise one of the guest's interrupt lines (any thread may). */
void raise_irq(unsigned int irq);

/* boot.c */
struct boot_setup {
	const char *kernel, *initrd;
	const char *cmdline;
	uint32_t entry;		/* guest-physical address to start at */
};
void load_guest(struct boot_setup *b);

/* pci.c and virtio.c: the devices. */
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
noreturn void bad_driver(struct device *dev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct device *add_device(const struct device_type *type, void *priv);
/* The end of the devices' BAR window, once they are all added. */
uint32_t devices_end(void);
/* The first BAR goes here: call before add_device(). */
void devices_init(uint32_t mmio_base);

/* Port I/O and MMIO accesses, as lguest.c decodes them. */
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
 * arg is the option without its dashes, "tunnet=IPADDR[:MAC]" or
 * "tunnet=bridge:NAME[:MAC]".
 */
void net_setup(const char *arg);

/* rng.c: a virtio entropy source fed from /dev/urandom. */
void rng_setup(void);

/* privs.c: --user, --group and --chroot. */
void privs_user(const char *arg);
void privs_group(const char *arg);
void privs_chroot(const char *dir);
bool privs_wanted(void);
/* Look the names up and check the directory (before setup). */
void privs_resolve(void);
/* Chroot, then drop groups and user (after setup). */
void privs_drop(void);

#endif
