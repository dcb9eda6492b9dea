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
 * Each says what it did; the exit status is 0 only if every call did what
 * it should.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "syscalls"))
		return syscalls(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "pci"))
		return pci(argv[2], atol(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return spin(argv[2]);
	fprintf(stderr, "usage: sysloop syscalls N | sysloop pci FILE N | sysloop spin calibrate|N\n");
	return 2;
}
