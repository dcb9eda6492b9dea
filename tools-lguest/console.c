// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio console: the guest's stdin and stdout are ours.
 *
 * Queue 0 carries what we read from stdin to the guest, queue 1 what the
 * guest writes to our stdout.  Before its virtio driver is up, the guest
 * writes one character at a time to emerg_wr in the device config
 * (VIRTIO_CONSOLE_F_EMERG_WRITE), through the PCI_CFG window.
 *
 * When stdin is a terminal it goes raw (no line editing, no echo, no
 * signals: ^C is for the guest), and is restored when we exit.  Three ^C
 * in a row, within a second, stop the launcher.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/lguest.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>
#include "device.h"
#include "util.h"

#define CONSOLE_EMERG_WR	offsetof(struct virtio_console_config, emerg_wr)

static struct termios saved_tty;
static volatile sig_atomic_t tty_saved;

void console_restore_tty(void)
{
	if (tty_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

/* Write all of buf to stdout; if stdout is gone, drop the output. */
static void out_all(const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(STDOUT_FILENO, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		p += r;
		len -= r;
	}
}

static void console_config_write(struct device *dev, uint32_t off,
				 uint32_t len, uint32_t val)
{
	char c = val;

	if (off != CONSOLE_EMERG_WR || len != 4)
		bad_driver(dev, "%u-byte write to console config at %#x (only emerg_wr, 32 bits, is writable)",
			   len, off);
	out_all(&c, 1);
}

/* Three ^C, each read on its own, within a second: the user wants out. */
static void count_ctrl_c(const struct iovec *iov, ssize_t len)
{
	static unsigned int count;
	static struct timespec first;
	struct timespec now;

	if (!tty_saved || len != 1 || *(char *)iov[0].iov_base != 3) {
		count = 0;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0 || now.tv_sec - first.tv_sec > 1)
		count = 0, first = now;
	if (++count == 3) {
		console_restore_tty();
		die(EXIT_CRASH, "three ^C: stopping the guest");
	}
}

static bool stdin_eof;

static void console_rx(struct virtqueue *vq)
{
	struct iovec iov[VIRTQUEUE_MAX];
	unsigned int head, out, in;
	ssize_t len;

	for (;;) {
		if (stdin_eof) {
			/* Nothing more will come: just wait for a reset. */
			if (!vq_wait_fd(vq, -1))
				return;
			continue;
		}
		if (!vq_wait(vq) || !vq_wait_fd(vq, STDIN_FILENO))
			return;
		head = vq_pop(vq, iov, VIRTQUEUE_MAX, &out, &in);
		if (out)
			bad_driver(vq->dev, "console receive buffer the device may only read");
		len = readv(STDIN_FILENO, iov, in);
		if (len < 0 && (errno == EINTR || errno == EAGAIN)) {
			vq->last_avail--;
			continue;
		}
		if (len <= 0) {
			/* EOF (or stdin broke): give the buffer back, stop reading. */
			trace("console: stdin ended");
			vq->last_avail--;
			stdin_eof = true;
			continue;
		}
		count_ctrl_c(iov, len);
		vq_push(vq, head, len);
		vq_interrupt(vq);
	}
}

static void console_tx(struct virtqueue *vq)
{
	struct iovec iov[VIRTQUEUE_MAX];
	unsigned int head, out, in, i;

	while (vq_wait(vq)) {
		/* Everything there is, then one interrupt. */
		do {
			head = vq_pop(vq, iov, VIRTQUEUE_MAX, &out, &in);
			if (in)
				bad_driver(vq->dev, "console transmit buffer the device may write");
			for (i = 0; i < out; i++)
				out_all(iov[i].iov_base, iov[i].iov_len);
			vq_push(vq, head, 0);
		} while (vq_has_buffer(vq));
		vq_interrupt(vq);
	}
}

static const struct device_type console_type = {
	.name = "console",
	.virtio_id = VIRTIO_ID_CONSOLE,
	.class_code = 0x070000,		/* communication controller */
	.features = 1ull << VIRTIO_CONSOLE_F_EMERG_WRITE,
	.nr_queues = 2,
	.service = { console_rx, console_tx },
	.config_size = sizeof(struct virtio_console_config),
	.config_write = console_config_write,
};

void console_setup(void)
{
	struct device *dev = add_device(&console_type, NULL);

	/* The guest's boot console writes to this slot before it scans. */
	if (dev->slot != LGUEST_CONSOLE_PCI_SLOT)
		die(EXIT_CRASH, "internal error: the console is in PCI slot %u, not %u",
		    dev->slot, LGUEST_CONSOLE_PCI_SLOT);
}

void console_raw_tty(void)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return;
	/*
	 * Raw input: every byte goes to the guest as typed, and the guest's
	 * own tty does the editing, echo, ^C, ^S and CR to NL.  Output
	 * processing stays on, so that the early console's bare "\n" still
	 * starts a new line.
	 */
	raw = saved_tty;
	raw.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
			 ICRNL | IXON);
	raw.c_lflag &= ~(ICANON | ECHO | ECHONL | ISIG | IEXTEN);
	raw.c_cflag = (raw.c_cflag & ~(CSIZE | PARENB)) | CS8;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0)
		tty_saved = 1;
}
