// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's half of the exit counting in tests/60-guest.sh.
 *
 * sysloop syscalls N: N lseek() system calls through int $0x80, the way a
 * 32-bit program without SYSENTER makes them, each to a different offset
 * of a file, so that each one's result shows it really ran.
 *
 * sysloop pci FILE N: N reads of the first dword of a PCI device's config
 * space (FILE, its sysfs "config"), each of which the kernel makes with
 * two port accesses that the launcher emulates; all must read the same.
 *
 * sysloop spin KHZ: 63 times, spin for a millisecond by the TSC (KHZ
 * cycles: the rate the QEMU host's kernel measured for it; QEMU's TSC
 * follows real time) and time that with clock_gettime(), in the guest.
 * A clock with a tick's resolution measures 0 or a tick, one with the
 * wrong scale something other than a millisecond.  The spin follows the
 * TSC, not the CPU, so a busy machine does not change what it should
 * measure.
 *
 * sysloop mm: changes to the mappings of pages this process has just
 * touched, so that they are in the host's shadow, which must then hold
 * what a TLB could after the kernel's flush: a fork's copy-on-write both
 * ways (the parent writes first, then the child), and mprotect, a new
 * mapping over an old one, mremap and munmap of more pages than the
 * kernel flushes one by one, so that it flushes the whole address space;
 * then munmap of single pages just written after a fork, whose one-page
 * flushes must reach the host once the write's fault is over.
 *
 * Each says what it did; the exit status is 0 only if every call did what
 * it should.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_LSEEK 19

static long int80_lseek(int fd, long off)
{
	long ret = NR_LSEEK;

	asm volatile("int $0x80"
		     : "+a" (ret)
		     : "b" (fd), "c" (off), "d" (SEEK_SET)
		     : "memory");
	return ret;
}

static int syscalls(long n)
{
	long i, ret;
	int fd = open("/proc/self/exe", O_RDONLY);

	if (fd < 0) {
		perror("sysloop: /proc/self/exe");
		return 1;
	}
	for (i = 0; i < n; i++) {
		ret = int80_lseek(fd, i);
		if (ret != i) {
			printf("sysloop: lseek call %ld returned %ld\n", i, ret);
			return 1;
		}
	}
	printf("sysloop: %ld lseek calls through int $0x80, each returned its offset\n", n);
	return 0;
}

static int pci(const char *path, long n)
{
	unsigned int first = 0, v;
	long i;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	for (i = 0; i < n; i++) {
		if (pread(fd, &v, 4, 0) != 4) {
			printf("sysloop: config read %ld of %s failed\n", i, path);
			return 1;
		}
		if (i == 0)
			first = v;
		if (v != first || v == 0xffffffff) {
			printf("sysloop: config read %ld of %s gave %#x after %#x\n", i, path, v, first);
			return 1;
		}
	}
	printf("sysloop: %ld config reads of %s, each %#x\n", n, path, first);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return (unsigned long long)hi << 32 | lo;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

#define ROUNDS 63

static int spin(const char *arg)
{
	long long t[ROUNDS], t0;
	unsigned long long c0, khz = strtoull(arg, NULL, 10);
	int r;

	if (!khz) {
		printf("sysloop: spin: no TSC rate given\n");
		return 2;
	}
	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		c0 = rdtsc();
		while (rdtsc() - c0 < khz)
			;
		t[r] = now_ns() - t0;
	}
	qsort(t, ROUNDS, sizeof(t[0]), cmp_ll);
	printf("sysloop: spin 1 ms by the TSC at %llu kHz: median of %d runs %lld ns\n",
	       khz, ROUNDS, t[ROUNDS / 2]);
	return 0;
}

/* More than x86's tlb_single_page_flush_ceiling (33): a full flush. */
#define MM_PAGES 256
#define PG 4096
/* Pages written, then unmapped one by one. */
#define MM_COW_UNMAP 32

static sigjmp_buf mm_jmp;

static void mm_segv(int sig)
{
	siglongjmp(mm_jmp, sig);
}

/* Does a read (or a write of v) of *p fault? */
static int faults(volatile unsigned int *p, int write, unsigned int v)
{
	if (sigsetjmp(mm_jmp, 1))
		return 1;
	if (write)
		*p = v;
	else
		(void)*p;
	return 0;
}

static unsigned int *mm_map(unsigned int base)
{
	unsigned int *m = mmap(NULL, MM_PAGES * PG, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int i;

	if (m == MAP_FAILED)
		return NULL;
	for (i = 0; i < MM_PAGES; i++)
		m[i * PG / 4] = base + i;
	return m;
}

/* The first page of m whose word is not base + i, or -1. */
static int mm_bad(const unsigned int *m, unsigned int base)
{
	int i;

	for (i = 0; i < MM_PAGES; i++)
		if (m[i * PG / 4] != base + i)
			return i;
	return -1;
}

/*
 * Fork with m touched by the parent; the parent writes first (its own
 * entries, present and writable before the fork, must have become
 * read-only), then tells the child, which must still see the old values
 * and then writes its own, which the parent must not see.
 */
static int mm_fork(unsigned int *m)
{
	int go[2], st, bad, i;
	char c = 0;
	pid_t pid;

	if (pipe(go))
		return perror("sysloop: mm: pipe"), 1;
	pid = fork();
	if (pid < 0)
		return perror("sysloop: mm: fork"), 1;
	if (!pid) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		bad = mm_bad(m, 0);
		if (bad >= 0) {
			printf("sysloop: mm: the child sees the parent's write to page %d after fork\n",
			       bad);
			_exit(1);
		}
		for (i = 0; i < MM_PAGES; i++)
			m[i * PG / 4] = 2000 + i;
		_exit(mm_bad(m, 2000) >= 0);
	}
	for (i = 0; i < MM_PAGES; i++)
		m[i * PG / 4] = 1000 + i;
	if (write(go[1], &c, 1) != 1 || waitpid(pid, &st, 0) != pid)
		return perror("sysloop: mm: child"), 1;
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("sysloop: mm: fork: the child failed (status %#x)\n", st);
		return 1;
	}
	bad = mm_bad(m, 1000);
	if (bad >= 0) {
		printf("sysloop: mm: the parent sees the child's write to page %d\n",
		       bad);
		return 1;
	}
	return 0;
}

/* Fork a child that exits at once: our pages stay read-only. */
static int mm_wait_child(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return perror("sysloop: mm: fork"), 1;
	if (!pid)
		_exit(0);
	if (waitpid(pid, &st, 0) != pid)
		return perror("sysloop: mm: waitpid"), 1;
	return 0;
}

static int mm(void)
{
	struct sigaction sa = { .sa_handler = mm_segv };
	unsigned int *m, *n;
	int bad, i;

	sigaction(SIGSEGV, &sa, NULL);
	m = mm_map(0);
	if (!m)
		return perror("sysloop: mm: mmap"), 1;
	if (mm_fork(m))
		return 1;

	/* mprotect: a write must fault, a read still see the page. */
	m = mm_map(3000);
	if (!m || mprotect(m, MM_PAGES * PG, PROT_READ))
		return perror("sysloop: mm: mprotect"), 1;
	for (i = 0; i < MM_PAGES; i++)
		if (!faults(m + i * PG / 4, 1, 0) || faults(m + i * PG / 4, 0, 0)) {
			printf("sysloop: mm: page %d after mprotect(PROT_READ): a write did not fault or a read did\n",
			       i);
			return 1;
		}
	if (mm_bad(m, 3000) >= 0) {
		printf("sysloop: mm: a write went through after mprotect(PROT_READ)\n");
		return 1;
	}

	/* A new mapping over the old one: it reads as zeroes. */
	m = mm_map(4000);
	if (!m || mmap(m, MM_PAGES * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != m)
		return perror("sysloop: mm: mmap MAP_FIXED"), 1;
	for (i = 0; i < MM_PAGES; i++)
		if (m[i * PG / 4]) {
			printf("sysloop: mm: page %d still holds %u after a new mapping over it\n",
			       i, m[i * PG / 4]);
			return 1;
		}

	/* mremap: the pages move, the old addresses fault. */
	m = mm_map(5000);
	n = mmap(NULL, MM_PAGES * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (!m || n == MAP_FAILED ||
	    mremap(m, MM_PAGES * PG, MM_PAGES * PG,
		   MREMAP_MAYMOVE | MREMAP_FIXED, n) != n)
		return perror("sysloop: mm: mremap"), 1;
	bad = mm_bad(n, 5000);
	if (bad >= 0) {
		printf("sysloop: mm: page %d did not move with mremap\n", bad);
		return 1;
	}
	for (i = 0; i < MM_PAGES; i++)
		if (!faults(m + i * PG / 4, 0, 0)) {
			printf("sysloop: mm: page %d is still mapped where mremap moved it from\n",
			       i);
			return 1;
		}

	/* munmap: every page faults. */
	if (munmap(n, MM_PAGES * PG))
		return perror("sysloop: mm: munmap"), 1;
	for (i = 0; i < MM_PAGES; i++)
		if (!faults(n + i * PG / 4, 0, 0)) {
			printf("sysloop: mm: page %d is still mapped after munmap\n",
			       i);
			return 1;
		}

	/*
	 * Writes to pages fork left read-only, each followed by munmap of
	 * that page alone and a read: the write's fault named the page to
	 * the guest (lguest_data.fault_readonly), and the one-page flush of
	 * the munmap must not be skipped once that fault is over.
	 */
	m = mm_map(6000);
	if (!m)
		return perror("sysloop: mm: mmap"), 1;
	if (mm_wait_child())
		return 1;
	for (i = 0; i < MM_COW_UNMAP; i++) {
		m[i * PG / 4] = 7000 + i;
		if (munmap(m + i * PG / 4, PG))
			return perror("sysloop: mm: munmap"), 1;
		if (!faults(m + i * PG / 4, 0, 0)) {
			printf("sysloop: mm: page %d is still mapped after a write that faulted and munmap of it\n",
			       i);
			return 1;
		}
	}
	printf("sysloop: mm: fork's copy-on-write both ways, mprotect, mmap over a mapping, mremap and munmap over %d pages, munmap after a write fault\n",
	       MM_PAGES);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "syscalls"))
		return syscalls(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "pci"))
		return pci(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return spin(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "mm"))
		return mm();
	fprintf(stderr, "usage: sysloop syscalls N | sysloop pci FILE N | sysloop spin KHZ | sysloop mm\n");
	return 2;
}
