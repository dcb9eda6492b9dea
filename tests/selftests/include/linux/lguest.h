/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The interface between an lguest guest and the host: the hypercalls and
 * struct lguest_data, the page the guest shares with the host.
 *
 * lguest is 32-bit x86 only, and so is this layout: every field is 32 bits
 * unless it says otherwise.  It is the ABI of Linux 4.13's lguest, kept so
 * that old guests and launchers still work; additions get hypercall numbers
 * after LHCALL_SEND_INTERRUPTS and go at the end of struct lguest_data.
 */
#ifndef _UAPI_LINUX_LGUEST_H
#define _UAPI_LINUX_LGUEST_H

#ifndef __ASSEMBLY__
#include <linux/types.h>
#endif

/*
 * A hypercall is "int $LGUEST_TRAP_ENTRY" from the guest kernel (ring 1;
 * the gate is not reachable from guest user space) with the call number in
 * eax and up to four arguments in ebx, ecx, edx and esi.  An invalid call or
 * argument kills the guest: no hypercall returns an error.
 */
#define LGUEST_TRAP_ENTRY		0x1F

#define LHCALL_FLUSH_ASYNC		0	/* Run the queued calls. */
#define LHCALL_LGUEST_INIT		1	/* gpa of lguest_data, paging */
#define LHCALL_SHUTDOWN			2	/* gpa of reason, LGUEST_SHUTDOWN_* */
/* 3 was LHCALL_LOAD_GDT. */
#define LHCALL_NEW_PGTABLE		4	/* gpa of the page directory */
#define LHCALL_FLUSH_TLB		5	/* non-zero: kernel mappings too */
#define LHCALL_LOAD_IDT_ENTRY		6	/* vector, low word, high word */
#define LHCALL_SET_STACK		7	/* ss, esp, number of pages */
#define LHCALL_TS			8	/* Accepted and ignored since 4.10. */
#define LHCALL_SET_CLOCKEVENT		9	/* nanoseconds from now, 0: off */
#define LHCALL_HALT			10	/* Sleep until an interrupt. */
/* 11 was LHCALL_GET_WALLCLOCK, 12 LHCALL_BIND_DMA/SEND_DMA. */
#define LHCALL_SET_PMD			13	/* PAE only: gpa of the pmd, index */
#define LHCALL_SET_PTE			14	/* gpa of pgdir, vaddr, pte (, high) */
#define LHCALL_SET_PGD			15	/* gpa of pgdir, index */
#define LHCALL_LOAD_TLS			16	/* gpa of 3 descriptors, cpu */
/* 17 was LHCALL_NOTIFY. */
#define LHCALL_LOAD_GDT_ENTRY		18	/* index, low word, high word */
#define LHCALL_SEND_INTERRUPTS		19	/* Deliver what became unblocked. */

/*
 * LHCALL_LGUEST_INIT's second argument: the page-table format the guest's
 * kernel was built for, which must be the host's.  0 says nothing (the
 * guests of 4.13 left it so).
 */
#define LGUEST_PAGING_2LEVEL		1
#define LGUEST_PAGING_PAE		2

/* The second argument of LHCALL_SHUTDOWN. */
#define LGUEST_SHUTDOWN_POWEROFF	1
#define LGUEST_SHUTDOWN_RESTART		2

/* The interrupt lines of a guest; line 0 is its clock. */
#define LGUEST_IRQS			32

/* The entries of the asynchronous hypercall ring. */
#define LHCALL_RING_SIZE		64

#ifndef __ASSEMBLY__
/* One queued hypercall: the call number, then its arguments. */
struct lguest_hcall_args {
	__u32 arg0, arg1, arg2, arg3, arg4;
};

/*
 * struct lguest_data - the page the guest shares with the host
 *
 * The guest owns it and passes its guest-physical address to
 * LHCALL_LGUEST_INIT.  The comment on each field says who writes it.
 */
struct lguest_data {
	/* Guest: X86_EFLAGS_IF (0x200) when its virtual interrupts are on. */
	__u32 irq_enabled;
	/* Guest: a bitmap of the interrupt lines it has masked. */
	__u32 blocked_interrupts[(LGUEST_IRQS + 31) / 32];
	/* Host: the faulting address of the last page fault it delivered. */
	__u32 cr2;
	/*
	 * Host: the wall-clock time when it last delivered an interrupt.
	 * These are two signed 32-bit words, so the clock they carry ends
	 * in January 2038; a guest should prefer the TSC (tsc_khz below).
	 */
	struct {
		__s32 tv_sec;
		__s32 tv_nsec;
	} time;
	/* Host: 0x200 when an interrupt waits for irq_enabled. */
	__u32 irq_pending;
	/*
	 * The asynchronous hypercall ring.  The guest fills hcalls[n], then
	 * sets hcall_status[n] to 0; the host runs the call and sets the
	 * status back to 0xFF.  The guest sets every status to 0xFF first.
	 */
	__u8 hcall_status[LHCALL_RING_SIZE];
	struct lguest_hcall_args hcalls[LHCALL_RING_SIZE];

	/* Fields the host fills in at LHCALL_LGUEST_INIT. */
	/* The bytes at the top of the address space the guest must not use. */
	__u32 reserve_mem;
	/* The TSC frequency, or 0 when the guest must not trust its TSC. */
	__u32 tsc_khz;

	/* Fields the guest fills in before LHCALL_LGUEST_INIT. */
	/* The address of the one iret the host must never interrupt. */
	__u32 noirq_iret;
	/* The start of the guest kernel's mappings, shared by all its mms. */
	__u32 kernel_address;
	/* The vector of the guest's system call gate: 0x80. */
	__u32 syscall_vec;
};
#endif /* __ASSEMBLY__ */

#endif /* _UAPI_LINUX_LGUEST_H */
