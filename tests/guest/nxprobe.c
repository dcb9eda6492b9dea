// SPDX-License-Identifier: GPL-2.0
/*
 * nxprobe: does the CPU, as this kernel runs it, refuse to run code from
 * a page mapped without PROT_EXEC?  A child puts a "ret" in such a page
 * and calls it: with NX it dies of SIGSEGV, without NX it returns and
 * exits 0.  Prints "nxprobe: enforced" or "nxprobe: not enforced"; a
 * control call on a PROT_EXEC page must return in both cases.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Status of a child that calls a one-instruction page mapped with prot. */
static int call_page(int prot)
{
	unsigned char *page;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("nxprobe: fork");
		exit(1);
	}
	if (pid == 0) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | prot,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			_exit(2);
		page[0] = 0xc3;	/* ret */
		((void (*)(void))page)();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("nxprobe: waitpid");
		exit(1);
	}
	return status;
}

int main(void)
{
	int status;

	status = call_page(PROT_EXEC);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("nxprobe: even an executable page did not run (status %#x)\n",
		       status);
		return 1;
	}
	status = call_page(0);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV)
		puts("nxprobe: enforced");
	else if (WIFEXITED(status) && !WEXITSTATUS(status))
		puts("nxprobe: not enforced");
	else
		printf("nxprobe: odd status %#x\n", status);
	return 0;
}
