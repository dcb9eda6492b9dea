/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The interface between the lguest launcher and the host module, lg.ko.
 *
 * The launcher opens /dev/lguest and talks to it with write() and pread().
 * Every write() buffer is an array of 32-bit words: the first is one of the
 * LHREQ_* codes below, the rest are that request's arguments.  The file
 * offset of pwrite() and pread() selects the virtual CPU; lguest guests are
 * uniprocessor, so it is always 0.
 *
 * pread() runs the guest until something needs the launcher: it returns a
 * struct lguest_pending when the guest did port I/O (trap 13) or touched
 * the MMIO window (trap 14), -ENOENT once the guest is dead (a further read
 * then returns the reason as a string), or -ERESTART when the guest asked
 * to be restarted.
 *
 * This is the ABI of Linux 4.13's lguest: the values below must not change.
 * Additions get new request codes after LHREQ_TRAP.
 */
#ifndef _UAPI_LINUX_LGUEST_LAUNCHER_H
#define _UAPI_LINUX_LGUEST_LAUNCHER_H

#include <linux/types.h>

/**
 * struct lguest_pending - why pread() returned to the launcher
 * @trap: 13 for a general protection fault with error code 0 (an in or out
 *	instruction, for example), 14 for a page fault in the MMIO window.
 * @insn: the first bytes of the instruction at the guest's eip; bytes the
 *	guest has not mapped read as zero.
 * @addr: for trap 14, the guest-physical address that was touched.
 */
struct lguest_pending {
	__u8 trap;
	__u8 insn[7];
	__u32 addr;
};

/* The write() requests, in word 0 of the buffer. */
enum lguest_req {
	/* base, pfnlimit, start, device_limit: create and start the guest. */
	LHREQ_INITIALIZE,
	LHREQ_GETDMA,		/* Obsolete: always -EINVAL. */
	/* irq: raise one of the guest's 32 interrupt lines. */
	LHREQ_IRQ,
	LHREQ_BREAK,		/* Obsolete: always -EINVAL. */
	LHREQ_EVENTFD,		/* Obsolete since 4.1: always -EINVAL. */
	/* offset: the next read() returns that pt_regs word instead. */
	LHREQ_GETREG,
	/* offset, value: set a general register, eip or esp. */
	LHREQ_SETREG,
	/* trapnum: deliver that trap to the guest, as the CPU would. */
	LHREQ_TRAP,
};

/*
 * The guest-physical memory of a guest is one contiguous range in the
 * launcher: guest-physical address 0 is launcher address "base".  Pages from
 * "pfnlimit" up to "device_limit" are the MMIO window: every access there
 * comes back to the launcher as trap 14.
 */

#endif /* _UAPI_LINUX_LGUEST_LAUNCHER_H */
