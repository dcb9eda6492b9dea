// SPDX-License-Identifier: GPL-2.0
/*
 * The device half of a split virtqueue.
 *
 * Each enabled queue gets a service thread when the driver sets
 * DRIVER_OK.  The guest's write to the notify register traps to the main
 * thread, which bumps the queue's eventfd; the thread wakes, takes the
 * buffers the driver made available, puts them in the used ring and
 * raises the device's interrupt with an LHREQ_IRQ write.  While a thread
 * is busy it sets VRING_USED_F_NO_NOTIFY, so that a driver adding more
 * buffers meanwhile does not trap for nothing.
 *
 * Everything the guest wrote is checked before it is used: ring indices,
 * descriptor chains, buffer addresses.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include "device.h"
#include "lhreq.h"
#include "util.h"

/* The rings are the guest's: the same layout on every host. */
_Static_assert(sizeof(struct vring_desc) == 16 && sizeof(struct vring_used_elem) == 8,
	       "virtio ring entries have their spec sizes");

static uint16_t load16(const volatile uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store16(volatile uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* The driver enabled the queue: check its rings and keep pointers. */
void vq_enable(struct virtqueue *vq)
{
	struct device *dev = vq->dev;
	uint32_t n = vq->size;

	if (vq->desc_gpa % 16 || vq->avail_gpa % 2 || vq->used_gpa % 4)
		bad_driver(dev, "queue %u rings misaligned (desc %#x, avail %#x, used %#x)",
			   vq->index, vq->desc_gpa, vq->avail_gpa, vq->used_gpa);
	vq->desc = gpa_ptr(vq->desc_gpa, 16 * n);
	vq->avail = gpa_ptr(vq->avail_gpa, 6 + 2 * n);
	vq->used = gpa_ptr(vq->used_gpa, 6 + 8 * n);
	if (!vq->desc || !vq->avail || !vq->used)
		bad_driver(dev, "queue %u rings outside guest memory (desc %#x, avail %#x, used %#x, size %u)",
			   vq->index, vq->desc_gpa, vq->avail_gpa, vq->used_gpa, n);
	if (vq->used->flags)
		bad_driver(dev, "queue %u: used ring flags %#x at enable (must be 0)",
			   vq->index, vq->used->flags);
	vq->last_avail = 0;
	if (vq->kick_fd < 0) {
		vq->kick_fd = eventfd(0, EFD_CLOEXEC);
		if (vq->kick_fd < 0)
			die(EXIT_CRASH, "eventfd: %s", strerror(errno));
	}
	vq->enabled = true;
	trace("virtio %s: queue %u enabled, size %u, desc %#x avail %#x used %#x",
	      dev->type->name, vq->index, n, vq->desc_gpa, vq->avail_gpa,
	      vq->used_gpa);
}

void vq_kick(struct virtqueue *vq)
{
	uint64_t one = 1;

	if (write(vq->kick_fd, &one, sizeof(one)) != sizeof(one))
		die(EXIT_CRASH, "eventfd write: %s", strerror(errno));
}

/*
 * A service thread says it has finished with its queue on the device's
 * done_fd rather than through pthread_join(): 32-bit glibc waits for a
 * thread with the time32 futex call, which a host kernel built without
 * CONFIG_COMPAT_32BIT_TIME does not have (ENOSYS, and glibc aborts).
 * The threads are detached; an eventfd read is an ordinary syscall.
 */
static void *vq_thread(void *arg)
{
	struct virtqueue *vq = arg;
	uint64_t one = 1;

	vq->dev->type->service[vq->index](vq);
	if (write(vq->dev->done_fd, &one, sizeof(one)) != sizeof(one))
		die(EXIT_CRASH, "eventfd write: %s", strerror(errno));
	return NULL;
}

void vq_start(struct virtqueue *vq)
{
	struct device *dev = vq->dev;
	pthread_attr_t attr;
	sigset_t all, old;
	int err;

	if (!dev->type->service[vq->index])
		return;
	if (dev->done_fd < 0) {
		dev->done_fd = eventfd(0, EFD_CLOEXEC);
		if (dev->done_fd < 0)
			die(EXIT_CRASH, "eventfd: %s", strerror(errno));
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Signals are for the main thread, which runs the guest. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&vq->thread, &attr, vq_thread, vq);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		die(EXIT_CRASH, "cannot start a thread for virtio %s queue %u: %s",
		    dev->type->name, vq->index, strerror(err));
	vq->running = true;
}

/* On reset: tell the threads to return, and wait until they have. */
void vq_stop_all(struct device *dev)
{
	uint64_t running = 0, done = 0, count;
	unsigned int i;

	dev->stopping = true;
	for (i = 0; i < dev->type->nr_queues; i++) {
		struct virtqueue *vq = &dev->vqs[i];

		if (!vq->running)
			continue;
		vq_kick(vq);
		vq->running = false;
		running++;
	}
	while (done < running) {
		if (read(dev->done_fd, &count, sizeof(count)) != sizeof(count)) {
			if (errno == EINTR)
				continue;
			die(EXIT_CRASH, "eventfd read: %s", strerror(errno));
		}
		done += count;
	}
	/* Forget kicks from before the reset. */
	for (i = 0; i < dev->type->nr_queues; i++) {
		if (dev->vqs[i].kick_fd >= 0) {
			close(dev->vqs[i].kick_fd);
			dev->vqs[i].kick_fd = -1;
		}
	}
	dev->stopping = false;
}

bool vq_has_buffer(struct virtqueue *vq)
{
	uint16_t avail = load16(&vq->avail->idx);

	if ((uint16_t)(avail - vq->last_avail) > vq->size)
		bad_driver(vq->dev, "queue %u: available index moved from %u to %u, more than the queue size %u",
			   vq->index, vq->last_avail, avail, vq->size);
	return avail != vq->last_avail;
}

/* Sleep until the queue is kicked or fd (if not -1) is readable. */
static void vq_sleep(struct virtqueue *vq, int fd)
{
	struct pollfd pfd[2] = {
		{ .fd = vq->kick_fd, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	uint64_t count;

	if (poll(pfd, fd >= 0 ? 2 : 1, -1) < 0) {
		if (errno == EINTR)
			return;
		die(EXIT_CRASH, "poll: %s", strerror(errno));
	}
	if ((pfd[0].revents & POLLIN) &&
	    read(vq->kick_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		die(EXIT_CRASH, "eventfd read: %s", strerror(errno));
}

bool vq_wait(struct virtqueue *vq)
{
	for (;;) {
		if (vq->dev->stopping)
			return false;
		if (vq_has_buffer(vq))
			return true;
		/* Ask for a notification, then look again before sleeping. */
		store16(&vq->used->flags, 0);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!vq_has_buffer(vq))
			vq_sleep(vq, -1);
		store16(&vq->used->flags, VRING_USED_F_NO_NOTIFY);
	}
}

bool vq_wait_fd(struct virtqueue *vq, int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	for (;;) {
		if (vq->dev->stopping)
			return false;
		if (poll(&pfd, 1, 0) > 0)
			return true;
		vq_sleep(vq, fd);
	}
}

/* A descriptor's buffer, checked against guest memory. */
static void add_iov(struct virtqueue *vq, const struct vring_desc *d,
		    struct iovec *iov)
{
	iov->iov_base = gpa_ptr(d->addr, d->len);
	iov->iov_len = d->len;
	if (!iov->iov_base)
		bad_driver(vq->dev, "queue %u: buffer %#llx+%#x outside guest memory",
			   vq->index, (unsigned long long)d->addr, d->len);
}

unsigned int vq_pop(struct virtqueue *vq, struct iovec *iov, unsigned int max,
		    unsigned int *out, unsigned int *in)
{
	struct device *dev = vq->dev;
	const struct vring_desc *table = vq->desc;
	unsigned int head, i, n = 0, table_size = vq->size, count = 0;
	bool indirect = false;

	if (!vq_has_buffer(vq))
		bad_driver(dev, "internal: vq_pop on an empty queue");
	/* The ring entry is read after the index (vq_has_buffer's acquire). */
	head = vq->avail->ring[vq->last_avail % vq->size];
	vq->last_avail++;
	if (head >= vq->size)
		bad_driver(dev, "queue %u: available head %u beyond the queue size %u",
			   vq->index, head, vq->size);

	*out = *in = 0;
	i = head;
	for (;;) {
		struct vring_desc d = table[i];

		if (++count > table_size)
			bad_driver(dev, "queue %u: descriptor chain from %u is longer than its table (a loop?)",
				   vq->index, head);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (!(dev->drv_features & (1ull << VIRTIO_RING_F_INDIRECT_DESC)))
				bad_driver(dev, "queue %u: indirect descriptor, but INDIRECT_DESC was not negotiated",
					   vq->index);
			if (indirect)
				bad_driver(dev, "queue %u: indirect descriptor inside an indirect table",
					   vq->index);
			if (d.flags & VRING_DESC_F_NEXT)
				bad_driver(dev, "queue %u: indirect descriptor with NEXT set",
					   vq->index);
			if (!d.len || d.len % 16 || d.len / 16 > 0xFFFF)
				bad_driver(dev, "queue %u: indirect table of %u bytes",
					   vq->index, d.len);
			table = gpa_ptr(d.addr, d.len);
			if (!table || d.addr % 16)
				bad_driver(dev, "queue %u: indirect table at %#llx outside guest memory or misaligned",
					   vq->index, (unsigned long long)d.addr);
			table_size = d.len / 16;
			indirect = true;
			count = 0;
			i = 0;
			continue;
		}
		if (n == max)
			bad_driver(dev, "queue %u: more than %u buffers in one chain",
				   vq->index, max);
		add_iov(vq, &d, &iov[n++]);
		if (d.flags & VRING_DESC_F_WRITE) {
			(*in)++;
		} else {
			if (*in)
				bad_driver(dev, "queue %u: a device-readable buffer after a device-writable one",
					   vq->index);
			(*out)++;
		}
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		i = d.next;
		if (i >= table_size)
			bad_driver(dev, "queue %u: next descriptor %u beyond the table of %u",
				   vq->index, i, table_size);
	}
	return head;
}

void vq_push(struct virtqueue *vq, unsigned int head, uint32_t len)
{
	uint16_t idx = vq->used->idx;

	vq->used->ring[idx % vq->size].id = head;
	vq->used->ring[idx % vq->size].len = len;
	/* The entry must be visible before the index that publishes it. */
	store16(&vq->used->idx, idx + 1);
}

/*
 * Several used entries published at once, so that the driver sees all
 * of them or none: a frame spread over merged receive buffers.
 */
void vq_push_n(struct virtqueue *vq, const uint16_t *heads,
	       const uint32_t *lens, unsigned int n)
{
	uint16_t idx = vq->used->idx;
	unsigned int i;

	for (i = 0; i < n; i++) {
		vq->used->ring[(uint16_t)(idx + i) % vq->size].id = heads[i];
		vq->used->ring[(uint16_t)(idx + i) % vq->size].len = lens[i];
	}
	store16(&vq->used->idx, idx + n);
}

void vq_interrupt(struct virtqueue *vq)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (load16(&vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	__atomic_or_fetch(&vq->dev->isr, 1, __ATOMIC_SEQ_CST);
	raise_irq(vq->dev->irq);
}
