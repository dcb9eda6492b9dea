// SPDX-License-Identifier: GPL-2.0
/*
 * ptyrun: run a command (the launcher) on a pseudo-terminal, and check
 * that it makes its terminal raw while it runs and leaves it as it found
 * it.
 *
 *	ptyrun [--stdin=TTY] SIGNAL TEXT COMMAND [ARGS...]
 *
 * The command gets a new session whose controlling terminal is the pty
 * slave, as its stdin, stdout and stderr (with --stdin, TTY is its stdin
 * instead, e.g. /dev/console: the terminal whose modes are checked).
 *
 * Before it starts, the pty's output is stopped (tcflow TCOOFF): the
 * command's first write to it blocks, so it cannot go on, exit and put
 * the terminal back before we have looked.  Once the terminal is raw (or
 * after 30 s, or when the command has ended) we look, then restart the
 * output.  We read what it writes until TEXT appears; then we send
 * SIGNAL (TERM, INT or HUP; "none" waits for the command to end by
 * itself), wait for it, and compare the terminal's settings with those
 * from before.  Each finding is a line on stdout; the exit status is 0
 * only if the terminal was raw while the command ran and restored after.
 *
 * Built static for the QEMU host by tests/Makefile; see in-qemu.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int parse_signal(const char *s)
{
	if (!strcmp(s, "TERM"))
		return SIGTERM;
	if (!strcmp(s, "INT"))
		return SIGINT;
	if (!strcmp(s, "HUP"))
		return SIGHUP;
	if (!strcmp(s, "none"))
		return 0;
	fprintf(stderr, "ptyrun: signal '%s': give TERM, INT, HUP or none\n", s);
	exit(2);
}

/* Has the command ended?  (It stays a zombie for waitpid() later.) */
static int ended(pid_t pid)
{
	siginfo_t si = { 0 };

	return waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid;
}

/*
 * Read from the master until text shows up, or the command has ended
 * and written nothing more (we hold a slave open, so no EOF comes).
 */
static int wait_for(int master, const char *text, pid_t pid)
{
	static char buf[65536];
	struct pollfd pfd = { .fd = master, .events = POLLIN };
	size_t len = 0;
	ssize_t r;

	for (;;) {
		if (poll(&pfd, 1, 100) <= 0) {
			if (ended(pid) && poll(&pfd, 1, 0) <= 0)
				return 0;
			continue;
		}
		r = read(master, buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		fwrite(buf + len, 1, r, stdout);
		len += r;
		buf[len] = '\0';
		if (strstr(buf, text))
			return 1;
		if (len == sizeof(buf) - 1)
			len = 0;
	}
}

static int is_raw(const struct termios *t)
{
	return !(t->c_lflag & (ICANON | ECHO | ISIG | IEXTEN)) && !(t->c_iflag & (ICRNL | IXON));
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Until the terminal is raw, the command has ended, or 30 s have gone by:
 * the command is stuck in its first write meanwhile, so what we see is
 * its state while it runs.  Returns 1 if raw, with its settings in *t.
 */
static int wait_raw(int tty, pid_t pid, struct termios *t)
{
	double end = now() + 30;

	for (;;) {
		if (tcgetattr(tty, t) == 0 && is_raw(t))
			return 1;
		if (ended(pid) || now() > end)
			return 0;
		sched_yield();
	}
}

/* The settings the launcher must put back, compared one by one. */
static int same_tty(const struct termios *a, const struct termios *b)
{
	int ok = 1;

	if (a->c_iflag != b->c_iflag)
		printf("c_iflag %#x, was %#x\n", b->c_iflag, a->c_iflag), ok = 0;
	if (a->c_oflag != b->c_oflag)
		printf("c_oflag %#x, was %#x\n", b->c_oflag, a->c_oflag), ok = 0;
	if (a->c_cflag != b->c_cflag)
		printf("c_cflag %#x, was %#x\n", b->c_cflag, a->c_cflag), ok = 0;
	if (a->c_lflag != b->c_lflag)
		printf("c_lflag %#x, was %#x\n", b->c_lflag, a->c_lflag), ok = 0;
	if (memcmp(a->c_cc, b->c_cc, sizeof(a->c_cc)))
		printf("c_cc changed\n"), ok = 0;
	return ok;
}

int main(int argc, char *argv[])
{
	struct termios before, during, after;
	int master, slave, tty, sig, status, ok = 1;
	const char *text, *stdin_tty = NULL;
	char *name;
	pid_t pid;

	if (argc > 1 && !strncmp(argv[1], "--stdin=", 8)) {
		stdin_tty = argv[1] + 8;
		argv++, argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: ptyrun [--stdin=TTY] TERM|INT|HUP|none TEXT COMMAND [ARGS...]\n");
		return 2;
	}
	sig = parse_signal(argv[1]);
	text = argv[2];
	setvbuf(stdout, NULL, _IONBF, 0);

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
	    !(name = ptsname(master))) {
		perror("ptyrun: a pseudo-terminal");
		return 2;
	}
	/* Ours stays open, to read the settings after the command is gone. */
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		perror("ptyrun: the pty slave");
		return 2;
	}
	tty = slave;
	if (stdin_tty) {
		tty = open(stdin_tty, O_RDWR | O_NOCTTY);
		if (tty < 0) {
			perror(stdin_tty);
			return 2;
		}
		name = (char *)stdin_tty;
	}
	if (tcgetattr(tty, &before) < 0) {
		perror("ptyrun: tcgetattr");
		return 2;
	}
	printf("terminal %s: icanon %d echo %d isig %d\n", name, !!(before.c_lflag & ICANON),
	       !!(before.c_lflag & ECHO), !!(before.c_lflag & ISIG));
	if (tcflow(slave, TCOOFF) < 0) {
		perror("ptyrun: tcflow TCOOFF");
		return 2;
	}

	pid = fork();
	if (pid < 0) {
		perror("ptyrun: fork");
		return 2;
	}
	if (pid == 0) {
		/* A session of its own, with the pty as its terminal. */
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) < 0)
			perror("ptyrun: TIOCSCTTY");
		dup2(stdin_tty ? tty : slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(master);
		if (slave > 2)
			close(slave);
		if (tty > 2 && tty != slave)
			close(tty);
		execv(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}

	if (wait_raw(tty, pid, &during)) {
		printf("raw while running: ICANON ECHO ISIG IEXTEN ICRNL IXON off\n");
	} else {
		printf("NOT raw while running: lflag %#x iflag %#x\n", during.c_lflag, during.c_iflag);
		ok = 0;
	}
	tcflow(slave, TCOON);

	if (!wait_for(master, text, pid)) {
		printf("\nptyrun: '%s' never came\n", text);
		ok = 0;
	} else {
		printf("\nptyrun: saw '%s'\n", text);
	}
	if (sig) {
		printf("sending SIG%s\n", argv[1]);
		kill(pid, sig);
	}
	/* Drain its output meanwhile, so it never blocks writing. */
	fcntl(master, F_SETFL, O_NONBLOCK);
	while (waitpid(pid, &status, WNOHANG) == 0) {
		char buf[512];
		ssize_t r = read(master, buf, sizeof(buf));

		if (r > 0)
			fwrite(buf, 1, r, stdout);
		else
			sched_yield();
	}
	/* What it wrote just before it exited may still be in the pty. */
	for (;;) {
		char buf[512];
		ssize_t r = read(master, buf, sizeof(buf));

		if (r <= 0)
			break;
		fwrite(buf, 1, r, stdout);
	}
	if (WIFSIGNALED(status))
		printf("\nlauncher killed by signal %d\n", WTERMSIG(status));
	else
		printf("\nlauncher exit status %d\n", WEXITSTATUS(status));
	if (sig && !(WIFSIGNALED(status) && WTERMSIG(status) == sig)) {
		printf("it was not ended by the signal we sent\n");
		ok = 0;
	}
	if (tcgetattr(tty, &after) < 0) {
		perror("ptyrun: tcgetattr");
		return 2;
	}
	if (same_tty(&before, &after)) {
		printf("tty restored\n");
	} else {
		printf("tty NOT restored\n");
		ok = 0;
	}
	return ok ? 0 : 1;
}
