/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lgfuzz and its guest (guest/fuzzguest.c) share: a page of guest
 * memory at a fixed guest-physical address, outside the guest's image,
 * which the launcher fills before the guest starts and reads while the
 * guest runs and after it died.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>

/* Guest-physical (and, in the guest's page tables, virtual) address. */
#define FUZZ_SHARED	0x1000u
#define FUZZ_HIST	8
#define FUZZ_MAGIC	0x7a7a4c47u	/* "GLzz" */

/* The guest's modes (fuzz_shared.mode). */
enum fuzz_mode {
	/* Fuzzer 2: anything, hostile included; the host may kill it. */
	FUZZ_HOSTILE,
	/*
	 * Fuzzer 1's guest: only what the ABI allows, so that it lives while
	 * lgfuzz fuzzes /dev/lguest around it.
	 */
	FUZZ_TAME,
};

/* The ucall codes of this guest (see tests/selftests/include/ucall.h). */
enum fuzz_ucall {
	FUZZ_UCALL_PROGRESS = 16,	/* arg: ops done */
	FUZZ_UCALL_FINISHED,		/* arg: ops done; max_ops reached */
	FUZZ_UCALL_ANOMALY,		/* arg: the check's line; see note */
};

struct fuzz_shared {
	uint32_t magic;
	uint32_t seed_lo, seed_hi;
	uint32_t mode;
	uint32_t max_ops;		/* 0: no limit */
	/* Written by the guest as it goes. */
	uint32_t done;			/* operations completed */
	uint32_t op, arg[4];		/* the current one, for a post-mortem */
	uint32_t may_kill;		/* the current op may get it killed */
	uint32_t corrupted;		/* it broke its own tables earlier */
	/*
	 * An armed fixup: any fault or launcher trap until it is disarmed
	 * resumes at fix_to, with the stack pointer fix_esp (the probe's
	 * own).  The launcher uses it for the traps it is given.
	 */
	uint32_t fix_from, fix_to, fix_esp;
	uint32_t faults;		/* faults the fixups caught */
	uint32_t irqs;			/* interrupts taken */
	uint32_t unexpected;		/* faults with no fixup armed */
	char note[128];			/* what an anomaly was about */
	/* The last operations: op, arg[0], arg[1], at [n % FUZZ_HIST]. */
	uint32_t hist[FUZZ_HIST][3];
	uint32_t nhist;
};

#endif
