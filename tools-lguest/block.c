// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio block device (--block=FILE): a file of ours is the guest's
 * disk, /dev/vda for the first one.
 *
 * The disk has one request queue.  Each request is a chain: a 16-byte
 * header the device reads (type, priority, first sector), then the data
 * (read by the device for a write, written by it for a read), and a
 * status byte the device writes, which is the last byte of the last
 * device-writable buffer.  The capacity is fixed when we start: the
 * file's size in 512-byte sectors.  A request that reaches past it gets
 * an I/O error and the file stays as it was; the block layer of a sane
 * guest never sends one.
 *
 * We offer FLUSH, so the guest treats the disk as having a write cache
 * and asks for a flush (our fdatasync) when it needs its writes to last:
 * what it wrote is in the file once a write completes, and on the disk
 * under the file once a flush completes.  We keep no cache of our own
 * (each write is a pwritev() on the file), so a launcher killed right
 * after a write loses nothing: the host kernel has it.
 *
 * A read-only disk (--block=FILE,ro, or a FILE we may not write) offers
 * VIRTIO_BLK_F_RO, so Linux marks it read-only; a write that comes
 * anyway gets an I/O error, and the file, opened read-only, is safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include "device.h"
#include "util.h"

#define SECTOR		512u
/* The data buffers one request may have: the chain also has a header and status. */
#define BLK_SEG_MAX	(VIRTQUEUE_MAX - 2)

struct blk {
	const char *path;
	int fd;
	uint64_t size;		/* bytes: a whole number of sectors */
	bool ro;
	char id[VIRTIO_BLK_ID_BYTES];
};

/* The bytes in iov[0..n). */
static uint64_t iov_total(const struct iovec *iov, unsigned int n)
{
	uint64_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += iov[i].iov_len;
	return len;
}

/* Take len bytes off the front of iov[0..n) into dst. */
static void iov_pull(struct iovec *iov, unsigned int n, void *dst, size_t len)
{
	unsigned int i;

	for (i = 0; i < n && len; i++) {
		size_t k = iov[i].iov_len < len ? iov[i].iov_len : len;

		memcpy(dst, iov[i].iov_base, k);
		dst = (uint8_t *)dst + k;
		len -= k;
		iov[i].iov_base = (uint8_t *)iov[i].iov_base + k;
		iov[i].iov_len -= k;
	}
}

/*
 * Read (or write) all of iov[0..n) from (to) the file at off; false on
 * an error or if the file ended first (someone else shrank it).
 */
static bool file_io(struct blk *b, struct iovec *iov, unsigned int n,
		    uint64_t off, bool write)
{
	while (n) {
		ssize_t r;

		if (!iov->iov_len) {
			iov++, n--;
			continue;
		}
		r = write ? pwritev(b->fd, iov, n, off) : preadv(b->fd, iov, n, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			warnx_("virtio block %s: %s at byte %llu: %s", b->path,
			       write ? "writing" : "reading", (unsigned long long)off,
			       r < 0 ? strerror(errno) : "the file ended (was it shrunk?)");
			return false;
		}
		off += r;
		/* Step past what was done; the rest goes round again. */
		while (n && (size_t)r >= iov->iov_len) {
			r -= iov->iov_len;
			iov++, n--;
		}
		if (n) {
			iov->iov_base = (uint8_t *)iov->iov_base + r;
			iov->iov_len -= r;
		}
	}
	return true;
}

/*
 * A read or write of len bytes from sector: whole sectors, all of them
 * inside the disk.  Anything else is an I/O error for the guest, not a
 * reason to touch the file.
 */
static bool in_range(struct blk *b, uint64_t sector, uint64_t len)
{
	if (len % SECTOR || sector > b->size / SECTOR ||
	    len > b->size - sector * SECTOR) {
		trace("virtio block %s: %llu bytes at sector %llu, past the end (%llu sectors) or not whole sectors: I/O error",
		      b->path, (unsigned long long)len, (unsigned long long)sector,
		      (unsigned long long)(b->size / SECTOR));
		return false;
	}
	return true;
}

/* Carry out one request; the bytes written to the guest go in *used. */
static uint8_t blk_do(struct virtqueue *vq, struct virtio_blk_outhdr *hdr,
		      struct iovec *data_out, unsigned int out,
		      struct iovec *data_in, unsigned int in, uint32_t *used)
{
	struct blk *b = vq->dev->priv;
	uint64_t out_len = iov_total(data_out, out), in_len = iov_total(data_in, in);

	*used = 0;
	switch (hdr->type) {
	case VIRTIO_BLK_T_IN:
		if (out_len)
			bad_driver(vq->dev, "read request with %llu bytes of data for the device to read",
				   (unsigned long long)out_len);
		if (!in_range(b, hdr->sector, in_len) ||
		    !file_io(b, data_in, in, hdr->sector * SECTOR, false))
			return VIRTIO_BLK_S_IOERR;
		*used = in_len;
		trace("virtio block: read %llu bytes at sector %llu",
		      (unsigned long long)in_len, (unsigned long long)hdr->sector);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		if (in_len)
			bad_driver(vq->dev, "write request with %llu bytes for the device to write besides the status",
				   (unsigned long long)in_len);
		if (b->ro) {
			trace("virtio block %s: write to the read-only disk at sector %llu: I/O error",
			      b->path, (unsigned long long)hdr->sector);
			return VIRTIO_BLK_S_IOERR;
		}
		if (!in_range(b, hdr->sector, out_len) ||
		    !file_io(b, data_out, out, hdr->sector * SECTOR, true))
			return VIRTIO_BLK_S_IOERR;
		trace("virtio block: wrote %llu bytes at sector %llu",
		      (unsigned long long)out_len, (unsigned long long)hdr->sector);
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		trace("virtio block: flush");
		if (fdatasync(b->fd) < 0) {
			warnx_("virtio block %s: fdatasync: %s", b->path, strerror(errno));
			return VIRTIO_BLK_S_IOERR;
		}
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID: {
		/* Up to 20 bytes, NUL-padded when shorter. */
		size_t n = in_len < sizeof(b->id) ? in_len : sizeof(b->id);
		unsigned int i;
		const char *id = b->id;

		for (i = 0; i < in && n; i++) {
			size_t k = data_in[i].iov_len < n ? data_in[i].iov_len : n;

			memcpy(data_in[i].iov_base, id, k);
			id += k;
			n -= k;
			*used += k;
		}
		return VIRTIO_BLK_S_OK;
	}
	default:
		trace("virtio block: request type %u is not supported", hdr->type);
		return VIRTIO_BLK_S_UNSUPP;
	}
}

static void blk_request(struct virtqueue *vq)
{
	struct iovec iov[VIRTQUEUE_MAX];
	struct virtio_blk_outhdr hdr;
	unsigned int head, out, in;
	struct iovec *last;
	uint8_t *status;
	uint32_t used;

	while (vq_wait(vq)) {
		do {
			head = vq_pop(vq, iov, VIRTQUEUE_MAX, &out, &in);
			/* The header first, then the data; the status byte last. */
			if (iov_total(iov, out) < sizeof(hdr))
				bad_driver(vq->dev, "request with a header of %llu bytes (it has %zu)",
					   (unsigned long long)iov_total(iov, out), sizeof(hdr));
			iov_pull(iov, out, &hdr, sizeof(hdr));
			last = &iov[out + in - 1];
			if (!in || !last->iov_len)
				bad_driver(vq->dev, "request without a status byte at the end of a device-writable buffer");
			status = (uint8_t *)last->iov_base + last->iov_len - 1;
			last->iov_len--;
			*status = blk_do(vq, &hdr, iov, out, iov + out, in, &used);
			vq_push(vq, head, used + 1);
		} while (vq_has_buffer(vq));
		vq_interrupt(vq);
	}
}

#define BLK_FEATURES	((1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_FLUSH) | \
			 (1ull << VIRTIO_RING_F_INDIRECT_DESC))

static const struct device_type blk_type = {
	.name = "block",
	.virtio_id = VIRTIO_ID_BLOCK,
	.class_code = 0x018000,		/* mass storage, other */
	.features = BLK_FEATURES,
	.nr_queues = 1,
	.service = { blk_request },
	.config_size = sizeof(struct virtio_blk_config),
};

/* The same disk, but the driver must not write to it. */
static const struct device_type blk_ro_type = {
	.name = "block",
	.virtio_id = VIRTIO_ID_BLOCK,
	.class_code = 0x018000,
	.features = BLK_FEATURES | (1ull << VIRTIO_BLK_F_RO),
	.nr_queues = 1,
	.service = { blk_request },
	.config_size = sizeof(struct virtio_blk_config),
};

/*
 * Open the image: read-only if asked to, else read-write, else (if the
 * file is there but we may not write it) read-only after all.
 */
static void blk_open(struct blk *b)
{
	int err;

	if (b->ro) {
		b->fd = open(b->path, O_RDONLY | O_CLOEXEC);
		if (b->fd < 0)
			die(EXIT_SETUP, "--block=%s,ro: %s; give a disk image we can read",
			    b->path, strerror(errno));
		return;
	}
	b->fd = open(b->path, O_RDWR | O_CLOEXEC);
	if (b->fd >= 0)
		return;
	err = errno;
	if (err == EACCES || err == EPERM || err == EROFS || err == ETXTBSY) {
		b->fd = open(b->path, O_RDONLY | O_CLOEXEC);
		if (b->fd >= 0) {
			b->ro = true;
			trace("virtio block %s: cannot open it for writing (%s): the guest gets a read-only disk",
			      b->path, strerror(err));
			return;
		}
		die(EXIT_SETUP, "--block=%s: %s; give a disk image we can read (and write, for a writable disk), or run lguest as a user who can",
		    b->path, strerror(errno));
	}
	die(EXIT_SETUP, "--block=%s: %s; give a disk image we can read and write (e.g. truncate -s 64M %s)",
	    b->path, strerror(err), b->path);
}

void block_setup(const char *arg)
{
	struct blk *b = calloc_or_die(sizeof(*b));
	struct virtio_blk_config cfg = { 0 };
	size_t len = strlen(arg);
	struct device *dev;
	const char *base, *path;
	struct stat st;
	off_t end;

	/* FILE,ro: a read-only disk. */
	if (len > 3 && !strcmp(arg + len - 3, ",ro")) {
		b->ro = true;
		path = strndup(arg, len - 3);
		if (!path)
			die(EXIT_CRASH, "out of memory");
	} else {
		path = arg;
	}
	b->path = path;
	blk_open(b);
	/* A directory opens read-only too; it is not a disk. */
	if (fstat(b->fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		die(EXIT_SETUP, "--block=%s: not a regular file or block device; give a disk image (e.g. truncate -s 64M disk.img)",
		    path);
	end = lseek(b->fd, 0, SEEK_END);
	if (end < 0)
		die(EXIT_SETUP, "--block=%s: cannot find its size: %s; give a regular file or a block device",
		    path, strerror(errno));
	b->size = end;
	if (!b->size)
		die(EXIT_SETUP, "--block=%s: the file is empty; give it a size (truncate -s 64M %s)",
		    path, path);
	if (b->size % SECTOR)
		die(EXIT_SETUP, "--block=%s: its size, %llu bytes, is not a whole number of 512-byte sectors; pad it (truncate -s %%512 %s)",
		    path, (unsigned long long)b->size, path);

	/* The serial number the guest sees: the file's name. */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	memcpy(b->id, base, strnlen(base, sizeof(b->id)));

	dev = add_device(b->ro ? &blk_ro_type : &blk_type, b);
	cfg.capacity = b->size / SECTOR;
	cfg.seg_max = BLK_SEG_MAX;
	memcpy(dev->config, &cfg, sizeof(cfg));
	trace("virtio block: %s, %llu sectors%s", path, (unsigned long long)cfg.capacity,
	      b->ro ? ", read-only" : "");
}
