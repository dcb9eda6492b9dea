// SPDX-License-Identifier: GPL-2.0
/*
 * lgfuzz: lguest's two fuzzers, run inside a host with lg.ko loaded.
 *
 *	lgfuzz dev|guest [--seed N] [--ops N] [--seconds N] [--guest ELF]
 *
 * "dev" fuzzes /dev/lguest: random and mutated requests of every code and
 * size, good and bad buffers, guest memory made read-only, unmapped or
 * replaced while the guest runs, requests from other threads and from
 * forked children sharing the file, closes in the middle of a run, runners
 * killed.  Around it, tame fuzzing guests (guest/fuzzguest.c) run.  Where
 * the ABI (include/uapi/linux/lguest_launcher.h) fixes a request's result,
 * lgfuzz checks it.
 *
 * "guest" runs hostile fuzzing guests one after another, each with a seed
 * of its own derived from --seed: they make random hypercalls and do what
 * a guest kernel should not.  The host must do what the ABI says or kill
 * the guest with a reason; a guest killed for an operation the ABI allows,
 * a death with no reason, or a check the guest makes failing is an error.
 *
 * Both print their seed first and a summary last; the same seed and --ops
 * replay the same run (timing aside: interrupts and signals land where
 * they land).  Exit status 1 when a check failed, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../selftests/lib/lguest_test.h"
#include "fuzz.h"

#define PAGE		4096UL
#define RAM_MB		4
#define MMIO_PAGES	16

static const char *guest_elf = "/lg/fuzzguest.elf";
static unsigned long long opt_seed, opt_ops, opt_seconds = 10, opt_one;
static int seed_given, one_given;
/* The operation the main loop is at, for a replay hint. */
static unsigned long long cur_op;
static unsigned int failures;
static double t_start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64: the launcher's random stream. */
static uint64_t rstate;

static uint64_t rand64_r(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(void)
{
	return (uint32_t)rand64_r(&rstate);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int one_in(uint32_t n)
{
	return below(n) == 0;
}

__attribute__((format(printf, 1, 2)))
static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (replay: --seed %llu --ops %llu)\n", opt_seed, cur_op + 1);
	fflush(stdout);
}

/* A thread runs beside the main one: results are not predictable. */
static volatile int racing;

/* Why guests died, counted by the reason's text up to its first number. */
#define NREASONS 64
static struct {
	char text[64];
	unsigned long n;
} reasons[NREASONS];
static unsigned long deaths, restarts, finished, stalls, started, anomalies;
/* Guests that broke their own tables and then lost their way. */
static unsigned long lost;

static void count_reason(const char *r)
{
	char key[64];
	unsigned int i;

	/* A hostile guest's LHCALL_SHUTDOWN text is whatever it pointed at. */
	if (!strncmp(r, "CRASH: ", 7) && strncmp(r + 7, "fuzz:", 5))
		r = "CRASH: (text the guest pointed at)";
	for (i = 0; r[i] && i < sizeof(key) - 1 && !(r[i] >= '0' && r[i] <= '9') &&
		    r[i] >= ' ' && r[i] < 0x7f; i++)
		key[i] = r[i];
	key[i] = '\0';
	for (i = 0; i < NREASONS && reasons[i].text[0]; i++)
		if (!strcmp(reasons[i].text, key))
			break;
	if (i == NREASONS)
		i = NREASONS - 1;
	if (!reasons[i].text[0])
		strcpy(reasons[i].text, key);
	reasons[i].n++;
}

/* SIGALRM ends a pread() that runs a guest: no SA_RESTART. */
static void on_alarm(int sig)
{
}

static void start_ticks(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* A fuzzing guest and what the launcher knows of it. */
struct fz {
	struct lgt_vm vm;
	/* The shared page, or a stand-in once lgfuzz unmapped guest memory. */
	volatile struct fuzz_shared *sh;
	int live;		/* initialized, not yet seen dead */
	int dead;
	uint32_t last_done, idle;
	uint64_t seed;
	/* From the PROGRESS ucalls: ops done, as the guest's registers said. */
	uint32_t progress;
	/* The guest said it broke its own tables (it may then overwrite that). */
	int corrupted;
};

/*
 * Operations a guest did: its count in the shared page, unless a guest
 * that wrote all over its memory put a number there its last PROGRESS
 * ucall (every 64) contradicts.
 */
static uint32_t ops_done(struct fz *g, volatile struct fuzz_shared *sh)
{
	uint32_t d = sh->done;

	return d >= g->progress && d - g->progress <= 64 ? d : g->progress;
}

static struct fuzz_shared stand_in;

static volatile struct fuzz_shared *shared(struct fz *g)
{
	return g->sh ? g->sh : &stand_in;
}

/* Create, load and start one, in @mode; 0 or -errno. */
static int fz_start(struct fz *g, uint64_t seed, enum fuzz_mode mode, uint32_t max_ops)
{
	volatile struct fuzz_shared *sh;
	int err;

	memset(g, 0, sizeof(*g));
	err = lgt_create(&g->vm, RAM_MB, MMIO_PAGES);
	if (!err)
		err = lgt_load_elf(&g->vm, guest_elf);
	if (err) {
		lgt_destroy(&g->vm);
		return err;
	}
	sh = g->sh = (volatile struct fuzz_shared *)(g->vm.mem + FUZZ_SHARED);
	sh->magic = FUZZ_MAGIC;
	sh->seed_lo = (uint32_t)seed;
	sh->seed_hi = seed >> 32;
	sh->mode = mode;
	sh->max_ops = max_ops;
	err = lgt_start(&g->vm);
	if (err) {
		lgt_destroy(&g->vm);
		return err;
	}
	g->seed = seed;
	g->live = 1;
	started++;
	return 0;
}

enum run_result { R_GO, R_DEAD, R_DONE, R_STALLED, R_ERR };

static const char *const op_names[] = {
	"hcall", "shaped", "ring", "pte", "pgd", "gdt", "priv", "fault",
	"int", "data", "halt", "corrupt",
};

static void describe_op(volatile struct fuzz_shared *sh, char *buf, size_t len)
{
	int n = snprintf(buf, len, "op %u (%s) args %#x %#x %#x %#x, op #%u of the guest%s%s; before it:",
			 sh->op, sh->op < 12 ? op_names[sh->op] : "?", sh->arg[0],
			 sh->arg[1], sh->arg[2], sh->arg[3], sh->done,
			 sh->may_kill ? ", may kill" : "",
			 sh->corrupted ? ", after it broke its own tables" : "");
	uint32_t i, h = sh->nhist;

	for (i = h > FUZZ_HIST ? h - FUZZ_HIST : 0; i + 1 < h && n > 0 && (size_t)n < len; i++) {
		volatile uint32_t *e = sh->hist[i % FUZZ_HIST];

		n += snprintf(buf + n, len - n, " %s(%#x,%#x)",
			      e[0] < 12 ? op_names[e[0]] : "?", e[1], e[2]);
	}
}

/*
 * One pread() of a guest and what follows from it: a ucall answered, a
 * fault the guest armed a fixup for resumed there, a death counted.
 * @hostile: the guest is fuzzer 2's, whose deaths are checked.
 */
static enum run_result fz_step(struct fz *g, int hostile)
{
	volatile struct fuzz_shared *sh = shared(g);
	struct lgt_exit_info e;
	char what[512];

	lgt_run(&g->vm, &e);
	g->corrupted |= sh->corrupted;
	/* Interrupts at random moments, besides the guest's own clock. */
	if (hostile && e.why != LGT_DEAD && one_in(16))
		lgt_irq(&g->vm, below(LGUEST_IRQS));
	switch (e.why) {
	case LGT_UCALL:
		g->idle = 0;
		if (e.code == FUZZ_UCALL_PROGRESS && e.arg >= g->progress)
			g->progress = e.arg;
		if (e.code == FUZZ_UCALL_FINISHED) {
			finished++;
			return R_DONE;
		}
		if (e.code == FUZZ_UCALL_ANOMALY || e.code == UCALL_FAIL) {
			/*
			 * A guest that broke its own tables (a data segment
			 * with another base, say) may get here by mistake;
			 * so may a tame one, whose memory lgfuzz dev zaps
			 * (its "tame" flag with the rest).
			 */
			if (g->corrupted || !hostile) {
				lost++;
				return R_DONE;
			}
			describe_op(sh, what, sizeof(what));
			anomalies++;
			fail("guest seed %llu (lgfuzz guest --one %llu): %s (line/vector %u) at %s",
			     (unsigned long long)g->seed, (unsigned long long)g->seed,
			     (const char *)sh->note,
			     e.arg, what);
			return R_DONE;
		}
		return R_GO;
	case LGT_PENDING:
		g->idle = 0;
		if (sh->fix_from) {
			/* A probe the guest made on purpose: resume after it. */
			sh->faults++;
			if (lgt_setreg(&g->vm, LGUEST_REG_EIP, sh->fix_to))
				return R_ERR;
			return R_GO;
		}
		/* Not one it asked for: give it to the guest as the CPU would. */
		if (lgt_trap(&g->vm, e.pending.trap))
			return R_STALLED;
		return R_GO;
	case LGT_DEAD:
		g->live = 0;
		g->dead = 1;
		deaths++;
		count_reason(e.reason);
		describe_op(sh, what, sizeof(what));
		/* (A thread may have put /dev/null in the file's place.) */
		if (!e.reason[0] && !racing)
			fail("guest seed %llu died with no reason at %s",
			     (unsigned long long)g->seed, what);
		else if (hostile && !sh->may_kill && !g->corrupted &&
			 strncmp(e.reason, "CRASH: fuzz: ", 13))
			fail("guest seed %llu (lgfuzz guest --one %llu) killed for an operation the ABI allows: \"%s\" at %s",
			     (unsigned long long)g->seed, (unsigned long long)g->seed,
			     e.reason, what);
		return R_DEAD;
	case LGT_ERROR:
	default:
		if (e.err == ERESTART) {
			g->live = 0;
			g->dead = 1;
			restarts++;
			return R_DEAD;
		}
		if (e.err == EINTR) {
			/* Ticks with no progress: wake it, then give up on it. */
			if (sh->done == g->last_done) {
				g->idle++;
				lgt_irq(&g->vm, below(LGUEST_IRQS));
			} else {
				g->idle = 0;
			}
			g->last_done = sh->done;
			if (g->idle > 300) {
				stalls++;
				describe_op(sh, what, sizeof(what));
				printf("# guest seed %llu stalled at %s\n",
				       (unsigned long long)g->seed, what);
				return R_STALLED;
			}
			return R_GO;
		}
		return R_ERR;
	}
}

static void print_reasons(void)
{
	unsigned int i;

	for (i = 0; i < NREASONS && reasons[i].text[0]; i++)
		printf("#   %6lu  %s\n", reasons[i].n, reasons[i].text);
}

static int budget_left(unsigned long long ops)
{
	if (opt_ops)
		return ops < opt_ops;
	return now() - t_start < opt_seconds;
}

/* Fuzzer 2: hostile guests, one after another. */
static int fuzz_guests(void)
{
	unsigned long long ops = 0, i;
	double t;
	struct fz g;

	start_ticks();
	for (i = 0; budget_left(ops) && (!one_given || i == 0); i++) {
		uint64_t s = one_given ? opt_one : opt_seed ^ (i * 0x9e3779b97f4a7c15ULL);
		uint32_t max = 0;
		enum run_result r;
		int err;

		/* The last guest stops at the budget, to replay exactly. */
		if (opt_ops)
			max = opt_ops - ops;
		err = fz_start(&g, s, FUZZ_HOSTILE, max);
		if (err) {
			fail("starting guest %llu: %s", i, strerror(-err));
			break;
		}
		do
			r = fz_step(&g, 1);
		while (r == R_GO && (opt_ops || now() - t_start < opt_seconds));
		cur_op = ops + ops_done(&g, shared(&g));
		if (r == R_ERR)
			fail("guest seed %llu: pread: %s", (unsigned long long)s,
			     strerror(errno));
		ops += ops_done(&g, shared(&g));
		lgt_destroy(&g.vm);
	}
	t = now() - t_start;
	printf("# lgfuzz guest: seed %llu: %llu operations in %.1f s: %.0f ops/s\n",
	       opt_seed, ops, t, ops / t);
	printf("# guests %lu: killed with a reason %lu, restarted %lu, finished %lu, stalled (stopped by lgfuzz) %lu, lost after breaking their own tables %lu, anomalies %lu\n",
	       started, deaths, restarts, finished, stalls, lost, anomalies);
	printf("# the reasons (up to their first number):\n");
	print_reasons();
	return failures ? 1 : 0;
}

/*
 * Fuzzer 1.  A few slots, each an open /dev/lguest, maybe with a tame
 * guest in it; the operations act on a random one.
 */
#define SLOTS 4
static struct fz slot[SLOTS];
static int slot_fd[SLOTS] = { -1, -1, -1, -1 };	/* opened, maybe not initialized */
/* Buffers: good, read-only, and one that ends where the mapping ends. */
static uint8_t *ro_page, *edge_page;
/* Operations by threads and children, counted in shared memory. */
static unsigned long *side_ops;

/*
 * Memory for the guests random requests create on bare files: whatever
 * such a guest does to its memory stays in here, not in lgfuzz's own.
 */
#define ARENA_PAGES 2048
static uint8_t *arena;
static int slot_raw[SLOTS];	/* initialized by a random request */
static unsigned long mismatches;

static const char *const lhreq_names[] = {
	"INITIALIZE", "GETDMA", "IRQ", "BREAK", "EVENTFD", "GETREG",
	"SETREG", "TRAP",
};

/* A pointer for a request or a pread: good, or one of the bad kinds. */
enum bufkind { B_GOOD, B_NULL, B_KERNEL, B_UNMAPPED, B_EDGE, B_RO, B_KINDS };

static void *buffer(enum bufkind k, void *good, size_t len)
{
	switch (k) {
	case B_GOOD: return good;
	case B_NULL: return NULL;
	case B_KERNEL: return (void *)0xc0001000UL;
	case B_UNMAPPED: return (void *)0x10UL;
	/* The request runs off the end of a mapping into nothing. */
	case B_EDGE: memcpy(edge_page + PAGE - (len < 4 ? len : 4), good, len < 4 ? len : 4);
		return edge_page + PAGE - (len < 4 ? len : 4);
	default: return ro_page;
	}
}

/* A word for a request argument: the edges, or random. */
static unsigned long warg(void)
{
	static const unsigned long t[] = {
		0, 1, 2, 4, 31, 32, 33, 255, 256, 0x1000, 0x7fffffff,
		0x80000000, 0xbffff000, 0xc0000000, 0xfffffffc, 0xffffffff,
	};

	return one_in(3) ? rnd() : t[below(16)];
}

/* The fd of a slot: its guest's or a bare one; -1 if none. */
static int fd_of(unsigned int s)
{
	return slot[s].vm.fd > 0 && (slot[s].live || slot[s].dead) ? slot[s].vm.fd : slot_fd[s];
}

static void slot_close(unsigned int s)
{
	if (slot[s].live || slot[s].dead)
		lgt_destroy(&slot[s].vm);
	memset(&slot[s], 0, sizeof(slot[s]));
	slot[s].vm.fd = -1;
	if (slot_fd[s] >= 0)
		close(slot_fd[s]);
	slot_fd[s] = -1;
	slot_raw[s] = 0;
}

/*
 * What write() must give for a well-formed buffer, from the ABI: the
 * result, or -errno; 1 for "cannot tell" (a request that races).
 */
static long predict(unsigned int s, const unsigned long *w, size_t len, off_t off,
		    int dead)
{
	static const int nargs[] = { 4, -1, 1, -1, -1, 1, 2, 1 };
	static const long ok[] = { 16, 0, 0, 0, 0, 8, 12, 0 };
	unsigned long code = w[0];
	struct fz *g = &slot[s];
	int init = g->live || g->dead || slot_raw[s];
	uint64_t end = (uint64_t)w[1] + ((uint64_t)w[4] << 12);
	int layout_ok = !(w[1] & 4095) && w[2] && w[2] <= w[4] && end <= 0xc0000000ULL;

	if (racing || slot_raw[s])
		return 1;
	if (len < sizeof(long))
		return -EINVAL;
	if (code < 8 && nargs[code] > 0 && len < (1 + nargs[code]) * sizeof(long))
		return -EINVAL;
	if (code != 0) {
		if (!init || off)
			return -EINVAL;
		if (dead)
			return -ENOENT;
	}
	if (code >= 8 || nargs[code] < 0)
		return -EINVAL;
	switch (code) {
	case 0:
		/* The layout check comes first. */
		return !layout_ok ? -EINVAL : init ? -EBUSY : 16;
	case 2:
		return w[1] < 32 ? 0 : -EINVAL;
	case 5:
		if (w[1] == 68 || w[1] == 72 || w[1] == 76)
			return ok[code];
		return w[1] % 4 || w[1] > 64 || w[1] == 44 ? -ENOENT : ok[code];
	case 6:
		if (w[1] % 4 || w[1] > 64)
			return -ENOENT;
		/* eax..ebp, eip, esp only. */
		return w[1] <= 24 || w[1] == 48 || w[1] == 60 ? ok[code] : -ENOENT;
	case 7:
		return 1;	/* whether the guest has that gate */
	}
	return 1;
}

/* A random request on slot s, checked against predict() where it can. */
static void random_request(unsigned int s)
{
	unsigned long w[8];
	size_t len;
	enum bufkind k = one_in(6) ? below(B_KINDS) : B_GOOD;
	off_t off = one_in(10) ? (off_t)warg() & 0x7fffffff : 0;
	int fd = fd_of(s);
	long want, got;
	unsigned int i;

	w[0] = one_in(8) ? warg() : below(9);
	for (i = 1; i < 8; i++)
		w[i] = warg();
	switch (w[0]) {
	case 0:
		/* Sometimes a layout that fits this slot's memory, or nearly. */
		if (slot[s].vm.mem && one_in(2)) {
			w[1] = (unsigned long)slot[s].vm.mem + (one_in(4) ? below(3) * 2048 : 0);
			w[2] = slot[s].vm.ram_pages + (one_in(4) ? below(3) - 1 : 0);
			w[4] = w[2] + below(MMIO_PAGES + 2);
		}
		break;
	case 2:
		w[1] = below(40);
		break;
	case 5:
	case 6:
		w[1] = below(4) ? below(84) : warg();
		/* eip and esp are what kill a guest quickest: not too often. */
		if (w[0] == 6 && (w[1] == 48 || w[1] == 60) && !one_in(4))
			w[1] = 24;
		break;
	case 7:
		w[1] = below(4) ? below(40) : warg();
		break;
	}
	len = one_in(4) ? below(8 * sizeof(long) + 1) :
	      (1 + (w[0] < 8 ? ((int[]){4, 0, 1, 0, 0, 1, 2, 1})[w[0]] : 1)) * sizeof(long);
	if (fd < 0)
		return;
	if (w[0] == 0) {
		uint64_t end = (uint64_t)w[1] + ((uint64_t)w[4] << 12);

		/* A layout the host takes gets memory in the arena. */
		if (!(w[1] & 4095) && w[2] && w[2] <= w[4] && end <= 0xc0000000ULL) {
			w[4] %= ARENA_PAGES + 1;
			w[2] = w[4] ? 1 + w[2] % w[4] : 0;
			w[1] = (unsigned long)arena + below(ARENA_PAGES - w[4] + 1) * PAGE;
		}
	}
	want = k == B_GOOD ? predict(s, w, len, off, slot[s].dead) : 1;
	got = off ? pwrite(fd, buffer(k, w, len), len, off) : write(fd, buffer(k, w, len), len);
	if (got < 0)
		got = -errno;
	/* A bare file with a guest now: one with no image, in the arena. */
	if (w[0] == 0 && got == 16 && !(slot[s].live || slot[s].dead)) {
		slot_raw[s] = 1;
		started++;
	}
	/*
	 * A guest we think lives may have died (of LHREQ_TRAP, say): then
	 * what the ABI says for a dead one.
	 */
	if (want != 1 && got != want && slot[s].live &&
	    got == predict(s, w, len, off, 1)) {
		want = got;
		slot[s].live = 0;
		slot[s].dead = 1;
	}
	if (want != 1 && got != want && got != -EINTR) {
		mismatches++;
		fail("write(%s) of %zu bytes, words %#lx %#lx %#lx, offset %lld on slot %u (%s): got %ld, the ABI says %ld",
		     w[0] < 8 ? lhreq_names[w[0]] : "unknown", len, w[0], w[1], w[2],
		     (long long)off, s, slot[s].live ? "live" : slot[s].dead ? "dead" : "bare",
		     got, want);
	}

}

/* Run a slot's guest a little, with a random pread buffer sometimes. */
static void run_slot(unsigned int s)
{
	struct fz *g = &slot[s];
	enum run_result r;
	unsigned int n = 1 + below(20), i;

	if (!g->live) {
		/* Dead or bare: pread must say so, whatever the buffer. */
		uint8_t buf[300];
		int fd = fd_of(s);
		ssize_t got;

		if (fd < 0)
			return;
		memset(buf, 0x5a, sizeof(buf));
		got = pread(fd, one_in(4) ? buffer(below(B_KINDS), buf, 4) : buf,
			    below(2) ? sizeof(buf) : below(16), one_in(8) ? 1 : 0);
		if (got < 0 && errno != EINVAL && errno != EFAULT && errno != ENOENT &&
		    errno != EPERM && errno != ERESTART && errno != EINTR && !racing) {
			mismatches++;
			fail("pread on %s slot %u: %s", g->dead ? "a dead" : "a bare", s,
			     strerror(errno));
		}
		return;
	}
	for (i = 0; i < n && g->live; i++) {
		if (one_in(16)) {
			/* A short buffer for what comes back: the rest untouched. */
			uint8_t buf[32];
			size_t len = below(12);
			ssize_t got;

			memset(buf, 0x5a, sizeof(buf));
			got = pread(g->vm.fd, buf, len, 0);
			if (got > (ssize_t)len || buf[len] != 0x5a) {
				mismatches++;
				fail("pread(fd, buf, %zu) returned %zd and wrote past its %zu bytes",
				     len, got, len);
			}
			if (got < 0 && errno == ENOENT) {
				g->live = 0;
				g->dead = 1;
				deaths++;
			}
			continue;
		}
		r = fz_step(g, 0);
		if (r == R_DEAD || r == R_DONE || r == R_STALLED)
			break;
		if (r == R_ERR && errno != EFAULT && errno != EPERM && errno != EBADF)
			break;
	}
}

/*
 * Part of a guest's memory, from page 2 on (page 1 is the shared page
 * lgfuzz reads): read-only, inaccessible, replaced by fresh pages (the old
 * ones freed: what munmap does to them, with no hole left that a later
 * mmap could fill and lgt_destroy() then unmap), zapped, or back to
 * normal.  Whole-mapping munmap is the main loop's.
 */
static void mangle(uint8_t *mem, size_t pages, uint64_t *st)
{
	size_t first = 2 + rand64_r(st) % (pages - 2), n;
	uint8_t *at;

	n = 1 + rand64_r(st) % 64;
	if (first + n > pages)
		n = pages - first;
	at = mem + first * PAGE;
	switch (rand64_r(st) % 5) {
	case 0:
		mprotect(at, n * PAGE, PROT_READ);
		break;
	case 1:
		mprotect(at, n * PAGE, PROT_NONE);
		break;
	case 2:
		mmap(at, n * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	case 3:
		madvise(at, n * PAGE, MADV_DONTNEED);
		break;
	default:
		mmap(at, n * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		break;
	}
}

/* A thread: requests on the slots while the main thread runs guests. */
struct side {
	uint64_t seed;
	unsigned int n;
	uint8_t *mem;		/* slot 0's guest memory, or NULL */
	size_t pages;
	/*
	 * Close slot 0's file in the middle of a run: dup2() /dev/null over
	 * its number, so that the number cannot go to another open meanwhile.
	 */
	int fd0;
	unsigned int replace_at;
	int replaced;
};

static void *side_thread(void *arg)
{
	struct side *sd = arg;
	uint64_t st = sd->seed;
	sigset_t set;
	unsigned int i;

	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < sd->n; i++) {
		unsigned int s = rand64_r(&st) % SLOTS, k = rand64_r(&st) % 10;

		if (i == sd->replace_at && sd->fd0 >= 0) {
			int null = open("/dev/null", O_RDWR);

			if (null >= 0) {
				sd->replaced = dup2(null, sd->fd0) == sd->fd0;
				close(null);
			}
		}
		int fd = fd_of(s);
		unsigned long w[3] = { 0, 0, 0 };
		uint8_t buf[64];

		if (fd < 0)
			continue;
		switch (k) {
		case 0: case 1:
			w[0] = 2;	/* IRQ */
			w[1] = rand64_r(&st) % 34;
			break;
		case 2:
			w[0] = 7;	/* TRAP: the same mm, so allowed */
			w[1] = rand64_r(&st) % 64;
			break;
		case 3:
			w[0] = 5;
			w[1] = (rand64_r(&st) % 20) * 4;
			break;
		case 4:
			w[0] = 6;
			w[1] = (rand64_r(&st) % 7) * 4;
			w[2] = rand64_r(&st);
			break;
		case 5:
			/* Not the runner: EPERM, or EINVAL/ENOENT. */
			pread(fd, buf, sizeof(buf), 0);
			__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
			continue;
		case 6:
			close(dup(fd));
			__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
			continue;
		case 7:
			/* Slot 0's memory, which the main thread keeps meanwhile. */
			if (sd->mem && rand64_r(&st) % 4 == 0) {
				mangle(sd->mem, sd->pages, &st);
				__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
			}
			continue;
		default:
			w[0] = rand64_r(&st) % 10;
			w[1] = rand64_r(&st);
			break;
		}
		write(fd, w, sizeof(w));
		__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/*
 * A child sharing the slots' files: its requests, its pread()s (not the
 * runner: EPERM), a guest of its own, maybe one it starts on a bare fd
 * of the parent's and leaves behind when it exits.
 */
static dev_t lguest_rdev;

/* Is fd /dev/lguest (and not the /dev/null a thread put in its place)? */
static int is_lguest(int fd)
{
	struct stat st;

	return !fstat(fd, &st) && S_ISCHR(st.st_mode) && st.st_rdev == lguest_rdev;
}

static void child(uint64_t seed)
{
	unsigned int i, n = 10 + seed % 200;
	uint8_t buf[64];
	struct fz own;

	rstate = seed;
	racing = 1;
	for (i = 0; i < n; i++) {
		unsigned int s = below(SLOTS);
		int fd = fd_of(s);
		unsigned long w[3] = { below(9), below(40), rnd() };

		if (fd < 0)
			continue;
		if (one_in(3)) {
			errno = 0;
			if (is_lguest(fd) &&
			    (pread(fd, buf, sizeof(buf), 0) >= 0 ||
			     (slot[s].live && errno != EPERM))) {
				printf("FAIL: a child's pread of its parent's guest did not fail with EPERM: %s\n",
				       errno ? strerror(errno) : "it ran");
				fflush(stdout);
				_exit(3);
			}
		} else {
			write(fd, w, sizeof(w));
		}
		__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
	}
	if (one_in(2) && fz_start(&own, seed, FUZZ_TAME, 0) == 0) {
		start_ticks();
		for (i = 0; i < 50 && fz_step(&own, 0) == R_GO; i++)
			__atomic_add_fetch(side_ops, 1, __ATOMIC_RELAXED);
		/* Exits with it open, or closes it: both must clean up. */
		if (one_in(2))
			lgt_destroy(&own.vm);
	}
	_exit(0);
}

static void dev_summary(unsigned long long ops, double t)
{
	unsigned long side = *side_ops;

	printf("# lgfuzz dev: seed %llu: %llu operations (%llu by the main thread, %lu by threads and children) in %.1f s: %.0f ops/s\n",
	       opt_seed, ops + side, ops, side, t, (ops + side) / t);
	printf("# guests %lu: killed with a reason %lu, restarted %lu, stalled %lu; ABI mismatches %lu\n",
	       started, deaths, restarts, stalls, mismatches);
	printf("# the reasons (up to their first number):\n");
	print_reasons();
}

static int fuzz_dev(void)
{
	unsigned long long ops = 0;
	pthread_t th;
	struct side sd;
	int th_live = 0;
	pid_t kid = 0;
	unsigned int s, i;

	{
		struct stat st;

		if (stat("/dev/lguest", &st)) {
			perror("lgfuzz: /dev/lguest");
			return 1;
		}
		lguest_rdev = st.st_rdev;
	}
	side_ops = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	edge_page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (side_ops == MAP_FAILED || ro_page == MAP_FAILED || edge_page == MAP_FAILED) {
		perror("lgfuzz: mmap");
		return 1;
	}
	munmap(edge_page + PAGE, PAGE);
	arena = mmap(NULL, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED) {
		perror("lgfuzz: mmap");
		return 1;
	}
	for (s = 0; s < SLOTS; s++)
		slot[s].vm.fd = -1;
	start_ticks();
	for (; budget_left(ops); ops++) {
		unsigned int op = below(100);

		cur_op = ops;
		s = below(SLOTS);
		/* While a thread works on slot 0's memory, slot 0 stays. */
		if (th_live && s == 0 && (op <= 12 || op >= 97))
			s = 1 + below(SLOTS - 1);
		switch (op) {
		case 0 ... 3:
			slot_close(s);
			slot_fd[s] = open("/dev/lguest", O_RDWR);
			break;
		case 4 ... 9:
			slot_close(s);
			{
				int err = fz_start(&slot[s], rnd() | (uint64_t)rnd() << 32,
						   FUZZ_TAME, 0);

				if (err)
					fail("starting a tame guest: %s", strerror(-err));
			}
			break;
		case 10 ... 12:
			slot_close(s);
			break;
		case 13 ... 44:
			random_request(s);
			break;
		case 45 ... 84:
			run_slot(s);
			break;
		case 85 ... 87:
			if (!slot[s].live || below(3))
				break;
			{
				uint64_t ms = rnd();

				mangle(slot[s].vm.mem, slot[s].vm.map_size / PAGE, &ms);
			}
			break;
		case 88 ... 91:
			if (th_live) {
				pthread_join(th, NULL);
				th_live = 0;
				racing = 0;
				/* Slot 0's number is /dev/null's now. */
				if (sd.replaced)
					slot_close(0);
				break;
			}
			sd.seed = rnd() | (uint64_t)rnd() << 32;
			sd.n = 20 + below(500);
			sd.mem = slot[0].live ? slot[0].vm.mem : NULL;
			sd.pages = slot[0].vm.map_size / PAGE;
			sd.fd0 = fd_of(0);
			sd.replace_at = one_in(4) ? below(sd.n) : ~0u;
			sd.replaced = 0;
			racing = 1;
			th_live = !pthread_create(&th, NULL, side_thread, &sd);
			if (!th_live)
				racing = 0;
			break;
		case 92 ... 94:
			if (kid) {
				/* Killed in the middle of its run, or waited for. */
				if (one_in(2))
					kill(kid, SIGKILL);
				int st = 0;

				/* The ticks (SIGALRM) interrupt it. */
				while (waitpid(kid, &st, 0) < 0 && errno == EINTR)
					;
				if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
					fail("a child saw its parent's guest run (see above)");
				kid = 0;
				break;
			}
			{
				uint64_t cs = rnd() | (uint64_t)rnd() << 32;

				fflush(stdout);
				kid = fork();
				if (kid == 0)
					child(cs);
				if (kid < 0)
					kid = 0;
			}
			break;
		case 95 ... 96:
			/* Another number for the same file, closed again. */
			i = fd_of(s);
			if ((int)i >= 0)
				close(dup2(i, 200 + s));
			break;
		default:
			/* All of the guest's memory goes, and it runs on. */
			if (slot[s].live && one_in(4)) {
				munmap(slot[s].vm.mem, slot[s].vm.map_size);
				slot[s].sh = NULL;
				run_slot(s);
				slot[s].vm.mem = NULL;
				slot_close(s);
			}
			break;
		}
	}
	if (th_live)
		pthread_join(th, NULL);
	racing = 0;
	if (kid) {
		kill(kid, SIGKILL);
		while (waitpid(kid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	for (s = 0; s < SLOTS; s++)
		slot_close(s);
	dev_summary(ops, now() - t_start);
	return failures ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: lgfuzz dev|guest [--seed N] [--ops N] [--seconds N] [--guest ELF]\n"
		"       lgfuzz guest --one SEED\n"
		"\n"
		"  dev          fuzz /dev/lguest around tame guests (fuzzer 1)\n"
		"  guest        run hostile fuzzing guests (fuzzer 2)\n"
		"  --seed N     the seed (default: from the clock; printed)\n"
		"  --ops N      stop after N operations (replays exactly)\n"
		"  --seconds N  stop after N seconds (default 10; without --ops)\n"
		"  --guest ELF  the fuzzing guest (default /lg/fuzzguest.elf)\n"
		"  --one SEED   run the one hostile guest with this seed (its own,\n"
		"               as a failure names it)\n"
		"\n"
		"The same seed and --ops give the same operations; where interrupts,\n"
		"signals and threads land depends on timing.\n");
}

int main(int argc, char **argv)
{
	const char *mode;
	int i, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || (strcmp(argv[1], "dev") && strcmp(argv[1], "guest"))) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	mode = argv[1];
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			opt_seed = strtoull(argv[++i], NULL, 0);
			seed_given = 1;
		} else if (!strcmp(argv[i], "--ops") && i + 1 < argc) {
			opt_ops = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			opt_seconds = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--one") && i + 1 < argc) {
			opt_one = strtoull(argv[++i], NULL, 0);
			one_given = 1;
		} else if (!strcmp(argv[i], "--guest") && i + 1 < argc) {
			guest_elf = argv[++i];
		} else {
			fprintf(stderr, "lgfuzz: unknown argument '%s'\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!seed_given) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt_seed = (unsigned long long)ts.tv_sec * 1000003ULL ^ ts.tv_nsec ^ getpid();
	}
	if (access(guest_elf, R_OK)) {
		fprintf(stderr, "lgfuzz: no guest %s: %s (give it with --guest)\n",
			guest_elf, strerror(errno));
		return 2;
	}
	rstate = opt_seed;
	if (one_given)
		printf("# lgfuzz %s: the one guest with seed %llu\n", mode, opt_one);
	else if (opt_ops)
		printf("# lgfuzz %s: seed %llu (replay: lgfuzz %s --seed %llu --ops %llu)\n",
		       mode, opt_seed, mode, opt_seed, opt_ops);
	else
		printf("# lgfuzz %s: seed %llu (replay: lgfuzz %s --seed %llu --seconds %llu)\n",
		       mode, opt_seed, mode, opt_seed, opt_seconds);
	t_start = now();
	rc = !strcmp(mode, "dev") ? fuzz_dev() : fuzz_guests();
	printf("# host survived: lgfuzz %s ends with %u failure(s)\n", mode, failures);
	return rc;
}
