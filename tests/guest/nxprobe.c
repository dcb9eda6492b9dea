// SPDX-License-Identifier: GPL-2.0
/*
 * nxprobe: does the CPU, as the guest sees it, refuse to run code from a
 * page mapped without PROT_EXEC?  Put a "ret" in such a page and call it:
 * with NX that is a SIGSEGV, without NX it returns.  Prints
 * "nxprobe: enforced" or "nxprobe: not enforced".
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf env;

static void on_segv(int sig)
{
	siglongjmp(env, 1);
}

int main(void)
{
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void (*fn)(void) = (void (*)(void))page;

	if (page == MAP_FAILED) {
		perror("nxprobe: mmap");
		return 1;
	}
	page[0] = 0xc3;	/* ret */
	signal(SIGSEGV, on_segv);
	if (sigsetjmp(env, 1)) {
		puts("nxprobe: enforced");
		return 0;
	}
	fn();
	puts("nxprobe: not enforced");
	return 0;
}
