// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio entropy device (--rng): the guest's /dev/hwrng.
 *
 * It has one queue and no configuration.  The driver hands us empty
 * buffers; we fill each from our /dev/urandom and give it back.  urandom
 * never blocks once the host's pool is initialised, so a request is
 * answered at once, and the guest gets good randomness early in boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/virtio_ids.h>
#include "device.h"
#include "util.h"

static void rng_request(struct virtqueue *vq)
{
	int fd = *(int *)vq->dev->priv;
	struct iovec iov[VIRTQUEUE_MAX];
	unsigned int head, out, in, i;
	uint32_t total;
	ssize_t r;

	while (vq_wait(vq)) {
		head = vq_pop(vq, iov, VIRTQUEUE_MAX, &out, &in);
		if (out)
			bad_driver(vq->dev, "entropy request with a buffer the device may only read");
		/* Fill every byte of every buffer: a short read is no error. */
		total = 0;
		for (i = 0; i < in; i++) {
			uint8_t *p = iov[i].iov_base;
			size_t left = iov[i].iov_len;

			while (left) {
				r = read(fd, p, left);
				if (r < 0 && errno == EINTR)
					continue;
				if (r <= 0)
					die(EXIT_CRASH, "reading /dev/urandom for the guest's entropy: %s",
					    r < 0 ? strerror(errno) : "end of file");
				p += r;
				left -= r;
				total += r;
			}
		}
		vq_push(vq, head, total);
		vq_interrupt(vq);
	}
}

static const struct device_type rng_type = {
	.name = "rng",
	.virtio_id = VIRTIO_ID_RNG,
	.class_code = 0xFF0000,		/* unclassified device */
	.nr_queues = 1,
	.service = { rng_request },
};

void rng_setup(void)
{
	int *fd = calloc_or_die(sizeof(*fd));

	*fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		die(EXIT_SETUP, "--rng: /dev/urandom: %s; the host needs /dev/urandom for the guest's entropy device",
		    strerror(errno));
	add_device(&rng_type, fd);
}
