// SPDX-License-Identifier: GPL-2.0
/*
 * Messages and guest memory: the helpers every part of the launcher
 * uses.  Messages go to stderr, each in one write() so that the lines of
 * different threads do not mix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "util.h"

int verbose;
uint8_t *guest_base;
uint32_t guest_ram;

static void vmsg(const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	dprintf(STDERR_FILENO, "lguest: %s\n", buf);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

void *calloc_or_die(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		die(EXIT_CRASH, "out of memory");
	return p;
}

void *gpa_ptr(uint64_t gpa, uint64_t len)
{
	if (gpa > guest_ram || len > guest_ram - gpa)
		return NULL;
	return guest_base + gpa;
}
