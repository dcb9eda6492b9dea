// SPDX-License-Identifier: GPL-2.0
/*
 * The soak's start/stop cycles (tests/soak/in-qemu.sh): run the launcher
 * again and again on small guests, and kill some of them with SIGKILL at
 * a random moment of their run.
 *
 *   cycles --launcher L --seed N --cycles N [--kill-percent P]
 *          [--max-delay-ms MS] [--linux-every K --linux "ARGS"]
 *          -- "ARGS" ...
 *
 * Each "ARGS" after -- is one small guest: the launcher's arguments, split
 * at spaces (e.g. "16 /lg/guest/hello.bzImage"); "kill:ARGS" is a guest
 * that runs until it is stopped, always killed.  Each cycle picks one at
 * random, or every Kth cycle the --linux guest (a Linux guest: its boot
 * takes seconds, so its kill delays are ten times longer).  With
 * probability P percent the cycle is killed: after a random delay of up
 * to MS milliseconds (by CLOCK_MONOTONIC, polled: sleeping is not to be
 * trusted in every QEMU host here) the launcher gets SIGKILL.
 *
 * A cycle that is not killed must end by itself with exit status 0 (the
 * guest powered off); a killed one must die of SIGKILL, or have powered
 * off (exit 0) before the kill came.  Anything else is a failure, with
 * the launcher's last output.  Every choice comes from the seed (printed
 * first): --seed N replays the same cycles, the same guests, kills and
 * delays; where in the guest's run a kill lands depends on timing.
 *
 * Prints one summary line, "# soak cycles: ...", and exits 0 when no
 * cycle failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_GUESTS	16
#define MAX_ARGS	32
#define OUT		"/tmp/cycle.out"

static uint64_t rng;

/* xorshift64*: small, and the same sequence on every machine. */
static uint32_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: cycles --launcher L --seed N --cycles N [--kill-percent P]\n"
		"              [--max-delay-ms MS] [--linux-every K --linux \"ARGS\"] -- \"ARGS\"...\n");
	exit(2);
}

/* Split a copy of s at spaces into argv[1...], after the launcher. */
static void split(const char *launcher, const char *s, char **argv)
{
	char *copy = strdup(s), *tok, *save = NULL;
	int n = 0;

	argv[n++] = (char *)launcher;
	for (tok = strtok_r(copy, " ", &save); tok && n < MAX_ARGS - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[n++] = tok;
	argv[n] = NULL;
}

/* The launcher's last output, for a failure. */
static void show_output(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open(OUT, O_RDONLY);
	off_t end;

	if (fd < 0)
		return;
	end = lseek(fd, 0, SEEK_END);
	lseek(fd, end > (off_t)sizeof(buf) ? end - (off_t)sizeof(buf) : 0, SEEK_SET);
	printf("--- the launcher's last output:\n");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	printf("\n---\n");
	close(fd);
}

int main(int argc, char **argv)
{
	const char *launcher = NULL, *linux_args = NULL, *guests[MAX_GUESTS];
	unsigned long long seed = 0;
	long cycles = -1, kill_pct = 25, max_delay = 300, linux_every = 0;
	long ran_small = 0, ran_linux = 0, killed = 0, early = 0, failed = 0;
	int nguests = 0, i, have_seed = 0;
	double t0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			for (i++; i < argc && nguests < MAX_GUESTS; i++)
				guests[nguests++] = argv[i];
			break;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "--launcher"))
			launcher = argv[++i];
		else if (!strcmp(a, "--seed"))
			seed = strtoull(argv[++i], NULL, 0), have_seed = 1;
		else if (!strcmp(a, "--cycles"))
			cycles = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "--kill-percent"))
			kill_pct = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "--max-delay-ms"))
			max_delay = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "--linux-every"))
			linux_every = strtol(argv[++i], NULL, 0);
		else if (!strcmp(a, "--linux"))
			linux_args = argv[++i];
		else
			usage();
	}
	if (!launcher || cycles < 0 || !nguests || kill_pct < 0 || kill_pct > 100 ||
	    max_delay < 1 || (linux_every && !linux_args))
		usage();
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (ts.tv_sec ^ ts.tv_nsec ^ getpid()) % 1000000000;
	}
	printf("# soak cycles: seed %llu (replay: --seed %llu --cycles %ld)\n", seed, seed, cycles);
	fflush(stdout);
	rng = seed * 2654435761ULL + 0x9E3779B97F4A7C15ULL;

	t0 = now();
	for (long c = 1; c <= cycles; c++) {
		char *args[MAX_ARGS];
		const char *what;
		int is_linux = linux_every && c % linux_every == 0;
		int kill_it = (long)(rnd() % 100) < kill_pct;
		long delay = rnd() % max_delay;
		int pick = rnd() % nguests, status, fd;
		pid_t pid, w;
		double start;

		what = is_linux ? linux_args : guests[pick];
		/* A guest that only ends when it is stopped is always killed. */
		if (!strncmp(what, "kill:", 5)) {
			what += 5;
			kill_it = 1;
		}
		if (is_linux)
			delay *= 10, ran_linux++;
		else
			ran_small++;
		split(launcher, what, args);

		pid = fork();
		if (pid < 0) {
			perror("cycles: fork");
			return 1;
		}
		if (!pid) {
			fd = open(OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			fd = open("/dev/null", O_RDONLY);
			if (fd >= 0)
				dup2(fd, 0);
			execv(launcher, args);
			perror("cycles: exec");
			_exit(127);
		}

		w = 0;
		if (kill_it) {
			start = now();
			while (!w && now() - start < delay / 1000.0) {
				w = waitpid(pid, &status, WNOHANG);
				if (!w)
					sched_yield();
			}
			if (!w)
				kill(pid, SIGKILL);
		}
		if (!w) {
			do
				w = waitpid(pid, &status, 0);
			while (w < 0 && errno == EINTR);
		}
		if (w != pid) {
			perror("cycles: waitpid");
			return 1;
		}

		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			if (kill_it)
				early++;
			continue;
		}
		if (kill_it && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
			killed++;
			continue;
		}
		failed++;
		printf("FAIL: cycle %ld (%s%s, %s): ", c, is_linux ? "linux: " : "",
		       what, kill_it ? "to be killed" : "not killed");
		if (WIFEXITED(status))
			printf("the launcher exited %d, not 0\n", WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			printf("the launcher died of signal %d\n", WTERMSIG(status));
		else
			printf("wait status 0x%x\n", status);
		show_output();
		fflush(stdout);
		if (failed >= 10) {
			printf("FAIL: stopping after 10 failed cycles\n");
			cycles = c;
			break;
		}
	}
	printf("# soak cycles: seed %llu: %ld cycles (%ld small, %ld Linux) in %.0f s, "
	       "%ld killed with SIGKILL (%ld more powered off before the kill), %ld failed\n",
	       seed, cycles, ran_small, ran_linux, now() - t0, killed, early, failed);
	return failed ? 1 : 0;
}
