/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lgrt: the freestanding runtime of the lguest test guests, the
 * launcher's (tools-lguest/tests) and lg.ko's selftests
 * (tests/selftests/guest).  The host starts a guest in ring 1 at
 * guest-physical 1 MiB, where lgrt.lds links it, in "linear" mode
 * (virtual == physical) on flat segments, with no stack.  _start
 * (lgrt.c) sets one up and calls guest_start(), which each set of guests
 * defines: what runs before and after a guest's guest_main().
 */
#ifndef LGRT_H
#define LGRT_H

#include <stdint.h>
#include <linux/lguest.h>

/* A hypercall: number in eax, arguments in ebx, ecx, edx and esi. */
static inline unsigned long hcall(unsigned long nr, unsigned long a1,
				  unsigned long a2, unsigned long a3,
				  unsigned long a4)
{
	asm volatile("int %[trap]"
		     : "+a" (nr)
		     : [trap] "i" (LGUEST_TRAP_ENTRY),
		       "b" (a1), "c" (a2), "d" (a3), "S" (a4)
		     : "memory");
	return nr;
}

/* The page this guest shares with the host. */
extern struct lguest_data lguest_data;

/* Fill in the guest's fields of lguest_data, as Linux does. */
void lgrt_init_lguest_data(void);

/* That, then LHCALL_LGUEST_INIT saying the page-table format (0: none). */
void lgrt_lguest_init(unsigned long paging);

/* LHCALL_SHUTDOWN with a reason for the launcher (LGUEST_SHUTDOWN_*). */
__attribute__((noreturn)) void lgrt_shutdown(const char *why,
					     unsigned long how);

/* Each set of guests: run guest_main() and stop. */
void guest_start(void);
/* Each guest: what it tests. */
void guest_main(void);

/* For the compiler's own calls, and the guests'. */
void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);

#endif
