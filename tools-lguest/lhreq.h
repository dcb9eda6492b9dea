/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The requests to /dev/lguest: creating the guest, running it, its
 * registers, its interrupts and its traps.  Only lhreq.c knows how they
 * are laid out.
 */
#ifndef LGUEST_LHREQ_H
#define LGUEST_LHREQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/lguest_launcher.h>

/* Open /dev/lguest, or exit with a message that says what to do. */
void lguest_open(void);
/*
 * LHREQ_INITIALIZE: guest-physical 0 is base; RAM ends at guest-physical
 * ram_end, the MMIO window at mmio_end; the guest starts at entry.
 */
void lguest_initialize(void *base, uint32_t ram_end, uint32_t entry,
		       uint32_t mmio_end);
/* off: one of the LGUEST_REG_* of linux/lguest_launcher.h. */
uint32_t lguest_get_reg(unsigned int off);
void lguest_set_reg(unsigned int off, uint32_t val);
/* Raise one of the guest's interrupt lines (any thread may). */
void raise_irq(unsigned int irq);
/* Give the guest a trap; false (errno set) if it could not take it. */
bool lguest_trap(unsigned int trap);
/*
 * Run the guest until it needs us: true with *p filled in, or false with
 * errno saying why it stopped (ENOENT: it is dead; ERESTART: it asked to
 * restart; EINTR: a signal).
 */
bool lguest_run(struct lguest_pending *p);
/* Once the guest is dead: why, as the host put it; < 0 on error. */
ssize_t lguest_death_reason(char *buf, size_t size);

#endif
