/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every part of the launcher uses: its exit statuses, its messages
 * and the guest's memory as seen from here.  This header depends on no
 * other of ours.
 */
#ifndef LGUEST_UTIL_H
#define LGUEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Exit statuses: what a script running us can rely on. */
#define EXIT_POWEROFF	0	/* the guest powered off */
#define EXIT_SETUP	2	/* bad usage, a bad file, no /dev/lguest */
#define EXIT_RESTART	3	/* the guest asked to be restarted */
#define EXIT_CRASH	255	/* the guest panicked or was killed */

#define PAGE_SIZE	4096u

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

/* Set by -v: trace() prints. */
extern int verbose;

__printf(1, 2) void trace(const char *fmt, ...);
__printf(1, 2) void warnx_(const char *fmt, ...);
__printf(2, 3) noreturn void die(int status, const char *fmt, ...);
void *calloc_or_die(size_t size);

/* The low size bytes (1, 2 or 4) of a 32-bit value. */
static inline uint32_t size_mask(unsigned int size)
{
	return size >= 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

/*
 * The guest's physical memory is one mapping of ours: guest-physical
 * address 0 is guest_base, and RAM is [0, guest_ram).  Guest-physical
 * addresses are 32 bits (the guest is a 32-bit kernel), whatever the
 * width of our own pointers.
 */
extern uint8_t *guest_base;
extern uint32_t guest_ram;

/*
 * A pointer to guest-physical [gpa, gpa + len), or NULL if any of it
 * lies outside guest RAM.
 */
void *gpa_ptr(uint64_t gpa, uint64_t len);

#endif
