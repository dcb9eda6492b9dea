// SPDX-License-Identifier: GPL-2.0
/*
 * The requests to /dev/lguest.  Each write() is an array of words, the
 * LHREQ_* code then its arguments; pread() runs the guest, or returns
 * what a request asked for.  The file offset picks the virtual CPU, and
 * an lguest guest has one: it is always 0.
 *
 * A word is the host kernel's unsigned long, 32 bits on an i386 host and
 * 64 on an x86_64 one, and we are built for the host we run on (ARCH in
 * the Makefile), so it is our unsigned long too.  Only the guest's base
 * address in our memory needs the whole word: everything about the guest
 * itself (its addresses, registers, interrupt and trap numbers) is a
 * 32-bit value.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "lhreq.h"
#include "util.h"

static int lguest_fd = -1;

/* The host fills the 32-bit layout whatever its width. */
_Static_assert(sizeof(struct lguest_pending) == 12, "struct lguest_pending is 12 bytes");

/* One request of n words; dies if the host refuses it. */
static void request(const unsigned long *req, size_t n, const char *what)
{
	if (pwrite(lguest_fd, req, n * sizeof(*req), 0) < 0)
		die(EXIT_CRASH, "%s: %s", what, strerror(errno));
}

void lguest_open(void)
{
	lguest_fd = open("/dev/lguest", O_RDWR | O_CLOEXEC);
	if (lguest_fd >= 0)
		return;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		die(EXIT_SETUP, "/dev/lguest: %s; load the lg module (modprobe lg)",
		    strerror(errno));
	if (errno == EACCES || errno == EPERM)
		die(EXIT_SETUP, "/dev/lguest: %s; run lguest as root, or give this user access to /dev/lguest",
		    strerror(errno));
	die(EXIT_SETUP, "/dev/lguest: %s", strerror(errno));
}

void lguest_initialize(void *base, uint32_t ram_end, uint32_t entry,
		       uint32_t mmio_end)
{
	unsigned long req[5] = {
		LHREQ_INITIALIZE, (unsigned long)base,
		ram_end / PAGE_SIZE, entry, mmio_end / PAGE_SIZE,
	};

	if (pwrite(lguest_fd, req, sizeof(req), 0) < 0)
		die(EXIT_SETUP, "/dev/lguest: LHREQ_INITIALIZE: %s", strerror(errno));
}

uint32_t lguest_get_reg(unsigned int off)
{
	unsigned long req[2] = { LHREQ_GETREG, off }, val;
	ssize_t r;

	request(req, 2, "LHREQ_GETREG");
	r = pread(lguest_fd, &val, sizeof(val), 0);
	if (r < 0)
		die(EXIT_CRASH, "reading register %u: %s", off, strerror(errno));
	/* A host of another width: we were built for the wrong ARCH. */
	if (r != sizeof(val))
		die(EXIT_CRASH, "reading register %u: %zd bytes, not %zu: this launcher is not built for this host's width (make ARCH=...)",
		    off, r, sizeof(val));
	return val;
}

void lguest_set_reg(unsigned int off, uint32_t val)
{
	unsigned long req[3] = { LHREQ_SETREG, off, val };

	request(req, 3, "LHREQ_SETREG");
}

void raise_irq(unsigned int irq)
{
	unsigned long req[2] = { LHREQ_IRQ, irq };

	/* Once the guest is dead this fails; the main thread reports that. */
	if (pwrite(lguest_fd, req, sizeof(req), 0) < 0 && errno != ENOENT)
		warnx_("LHREQ_IRQ %u: %s", irq, strerror(errno));
}

bool lguest_trap(unsigned int trap)
{
	unsigned long req[2] = { LHREQ_TRAP, trap };

	return pwrite(lguest_fd, req, sizeof(req), 0) >= 0;
}

bool lguest_run(struct lguest_pending *p)
{
	ssize_t r = pread(lguest_fd, p, sizeof(*p), 0);

	if (r == sizeof(*p))
		return true;
	if (r >= 0) {
		/* No request returns part of a struct lguest_pending. */
		errno = EPROTO;
	}
	return false;
}

ssize_t lguest_death_reason(char *buf, size_t size)
{
	return pread(lguest_fd, buf, size, 0);
}
