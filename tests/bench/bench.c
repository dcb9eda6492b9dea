// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the micro and macro operations scripts/bench times, natively in
 * the QEMU host and inside an lguest guest.  Static i386, run inside QEMU.
 *
 *   bench ROW ROUNDS    time ROW ROUNDS times; print one line per round
 *                       and a summary:
 *     BENCH ROW ops=N round=I ns=T
 *     BENCH-ROW ROW ops=N median_ns_per_op=X
 *   bench --list        the rows, one per line
 *
 * Every row does a fixed amount of work, the same natively and in a
 * guest, so exits per operation can be counted from the host around it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static const char *self;

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime");
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static long row_syscall(void)
{
	long i, n = 100000;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	return n;
}

/* One operation: a byte to the child and back, two context switches. */
static long row_ctxsw(void)
{
	int a[2], b[2], i, n = 2000;
	char c = 'x';
	pid_t pid;

	if (pipe(a) || pipe(b))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		/* Its own copy of the write end would keep read() from EOF. */
		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1)
			if (write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < n; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			die("ping-pong");
	close(a[1]);
	waitpid(pid, NULL, 0);
	close(a[0]);
	close(b[0]);
	close(b[1]);
	return n;
}

/* One operation: the first touch of an anonymous page. */
static long row_pagefault(void)
{
	long i, n = 2048;
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	for (i = 0; i < n; i++)
		p[i * PAGE] = 1;
	munmap(p, n * PAGE);
	return n;
}

static long row_fork(void)
{
	int i, n = 100, st;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid)
			_exit(0);
		if (waitpid(pid, &st, 0) != pid || st)
			die("fork child");
	}
	return n;
}

/*
 * One operation: a write to a page that fork left shared, copy-on-write,
 * by the parent while its child lives (as a server that forks a child to
 * save its memory goes on writing).  The parent has written every page
 * of a 1 MiB buffer before it forks.
 */
static long row_cow(void)
{
	int i, j, n = 16, pages = 256, st, fd[2];
	char *p, c = 0;
	pid_t pid;

	p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (j = 0; j < pages; j++)
		p[j * PAGE] = 1;
	for (i = 0; i < n; i++) {
		if (pipe(fd))
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			close(fd[1]);
			_exit(read(fd[0], &c, 1) != 1);
		}
		close(fd[0]);
		for (j = 0; j < pages; j++)
			p[j * PAGE] = 2;
		if (write(fd[1], &c, 1) != 1)
			die("write");
		close(fd[1]);
		if (waitpid(pid, &st, 0) != pid || st)
			die("cow child");
	}
	munmap(p, pages * PAGE);
	return (long)n * pages;
}

/* Run n children that exec path with argv, each waited for and checked. */
static long run_children(int n, const char *path, char *const argv[])
{
	int i, st;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			execv(path, argv);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid || st)
			die(path);
	}
	return n;
}

static long row_exec(void)
{
	char *argv[] = { (char *)self, "--noop", NULL };

	return run_children(40, self, argv);
}

/* One operation: a small shell script of pipes, forks and files. */
static long row_shell(void)
{
	char *argv[] = { "sh", "-c",
		"d=/tmp/bench-sh.$$; mkdir -p $d; "
		"seq 1 200 | sort -r | head -n 50 > $d/a; "
		"cat $d/a $d/a | wc -l > $d/b; grep -c 1 $d/a > /dev/null; "
		"ls -l $d | wc -l > /dev/null; rm -rf $d", NULL };

	return run_children(10, "/bin/sh", argv);
}

/* One operation: compressing and sorting a generated tree of text. */
static long row_macro(void)
{
	char *argv[] = { "sh", "-c",
		"d=/tmp/bench-macro.$$; mkdir -p $d/src; i=0; "
		"while [ $i -lt 40 ]; do seq $i 3 600 > $d/src/f$i.txt; i=$((i + 1)); done; "
		"cat $d/src/*.txt | sort -n | uniq -c | sort -rn > $d/sorted; "
		"tar -C $d -cf - src | gzip -c > $d/src.tgz; gzip -dc $d/src.tgz | tar -tf - | wc -l > /dev/null; "
		"md5sum $d/src/*.txt > /dev/null; rm -rf $d", NULL };

	return run_children(2, "/bin/sh", argv);
}

/* One operation: copying 1 MiB. */
static long row_memcpy(void)
{
	static char a[1 << 20], b[1 << 20];
	int i, n = 64;

	memset(a, 1, sizeof(a));
	for (i = 0; i < n; i++) {
		memcpy(b, a, sizeof(a));
		a[i] = b[sizeof(b) - 1 - i];
	}
	return n;
}

/* One operation: an mprotect that changes 16 present PTEs, and back. */
static long row_ptupdate(void)
{
	long i, n = 1000, len = 16 * PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 1, len);
	for (i = 0; i < n; i++) {
		if (mprotect(p, len, PROT_READ) ||
		    mprotect(p, len, PROT_READ | PROT_WRITE))
			die("mprotect");
		p[(i % 16) * PAGE] = i;
	}
	munmap(p, len);
	return n;
}

/* One operation: 10000 rounds of arithmetic, no system calls. */
static volatile unsigned int sink;
static long row_compute(void)
{
	unsigned int x = 12345, i, j, n = 2000;

	for (j = 0; j < n; j++)
		for (i = 0; i < 10000; i++)
			x = x * 1103515245u + 12345u + (x >> 7);
	sink = x;
	return n;
}

static const struct row {
	const char *name;
	long (*run)(void);
} rows[] = {
	{ "syscall", row_syscall },
	{ "ctxsw", row_ctxsw },
	{ "pagefault", row_pagefault },
	{ "fork", row_fork },
	{ "cow", row_cow },
	{ "exec", row_exec },
	{ "shell", row_shell },
	{ "macro", row_macro },
	{ "memcpy", row_memcpy },
	{ "ptupdate", row_ptupdate },
	{ "compute", row_compute },
};

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned long long t[64];
	const struct row *r = NULL;
	long ops = 0;
	int i, rounds;

	self = argv[0];
	if (argc == 2 && !strcmp(argv[1], "--noop"))
		return 0;
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < (int)(sizeof(rows) / sizeof(rows[0])); i++)
			puts(rows[i].name);
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: bench ROW ROUNDS | bench --list\n");
		return 2;
	}
	for (i = 0; i < (int)(sizeof(rows) / sizeof(rows[0])); i++)
		if (!strcmp(argv[1], rows[i].name))
			r = &rows[i];
	rounds = atoi(argv[2]);
	if (!r || rounds < 1 || rounds > 64) {
		fprintf(stderr, "bench: no row '%s' or ROUNDS not 1-64 (bench --list)\n", argv[1]);
		return 2;
	}
	r->run();	/* warm up: page cache, shadow page tables */
	for (i = 0; i < rounds; i++) {
		unsigned long long t0 = now_ns();

		ops = r->run();
		t[i] = now_ns() - t0;
		printf("BENCH %s ops=%ld round=%d ns=%llu\n", r->name, ops, i, t[i]);
	}
	qsort(t, rounds, sizeof(t[0]), cmp_ull);
	printf("BENCH-ROW %s ops=%ld rounds=%d median_ns_per_op=%llu\n",
	       r->name, ops, rounds, t[rounds / 2] / ops);
	fflush(stdout);
	return 0;
}
