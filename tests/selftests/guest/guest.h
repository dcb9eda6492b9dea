/* SPDX-License-Identifier: GPL-2.0 */
/* The freestanding runtime of the selftest guests. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <linux/lguest.h>
#include "../include/ucall.h"

static inline unsigned long hcall(unsigned long nr, unsigned long a1,
				  unsigned long a2, unsigned long a3,
				  unsigned long a4)
{
	asm volatile("int $0x1f"
		     : "+a" (nr)
		     : "b" (a1), "c" (a2), "d" (a3), "S" (a4)
		     : "memory");
	return nr;
}

static inline void ucall(unsigned long code, unsigned long arg)
{
	asm volatile("outl %%eax, $0xf4" : : "a" (code), "b" (arg) : "memory");
}

#define GUEST_ASSERT(cond)					\
	do {							\
		if (!(cond))					\
			ucall(UCALL_FAIL, __LINE__);		\
	} while (0)
#define GUEST_REPORT(v)		ucall(UCALL_REPORT, (v))
#define GUEST_DONE()		ucall(UCALL_DONE, 0)

/* Shut down with a reason; the test reads it from the dead guest. */
static inline void guest_shutdown(const char *why)
{
	hcall(LHCALL_SHUTDOWN, (unsigned long)why, LGUEST_SHUTDOWN_POWEROFF,
	      0, 0);
}

/* The lguest_data of every guest; crt.S fills in the guest's fields. */
extern struct lguest_data lguest_data;
void guest_init_lguest_data(void);

void guest_main(void);

#endif
