/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the selftest guests talk to the test: a "ucall" is an "out" to
 * UCALL_PORT with the code in eax and an argument in ebx.  The guest runs
 * in ring 1 without I/O permission, so the out faults (#GP, error code 0)
 * and the host hands it to the test as trap 13; the test reads eax and
 * ebx with LHREQ_GETREG and steps over the 2-byte instruction.
 */
#ifndef UCALL_H
#define UCALL_H

#define UCALL_PORT	0xf4

enum ucall_code {
	UCALL_DONE = 1,		/* the guest's checks passed */
	UCALL_FAIL,		/* arg: the line of the failed check */
	UCALL_REPORT,		/* arg: a value for the test to check */
	UCALL_LANDED,		/* guest/farjump.c: a far transfer went through */
};

#endif
