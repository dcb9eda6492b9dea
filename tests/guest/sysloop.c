// SPDX-License-Identifier: GPL-2.0
/*
 * sysloop N: make N getppid() system calls with int $0x80, the way a
 * 32-bit program without SYSENTER does, and say how many it made.  The
 * guest tests count the host's exits while it runs.
 */
#include <stdio.h>
#include <stdlib.h>

#define NR_GETPPID 64

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000, i, ret = 0;

	for (i = 0; i < n; i++) {
		ret = NR_GETPPID;
		asm volatile("int $0x80" : "+a" (ret) : : "memory");
	}
	printf("sysloop: %ld getppid calls, parent %ld\n", n, ret);
	return ret > 0 ? 0 : 1;
}
