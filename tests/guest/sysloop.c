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
 * Each says what it did; the exit status is 0 only if every call did what
 * it should.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "syscalls"))
		return syscalls(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "pci"))
		return pci(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: sysloop syscalls N | sysloop pci FILE N\n");
	return 2;
}
