// SPDX-License-Identifier: GPL-2.0
/*
 * distro-check: does this kernel have what a distribution's user space
 * calls (guest-config/distro.config)?  Each check uses the interface the
 * way systemd, dpkg, apt or python3 do, and checks that it worked, not
 * only that the call exists:
 *
 *   flock      a second open file cannot take an exclusive flock()
 *   fcntl      a child cannot take an F_SETLK lock the parent holds
 *              (dpkg's and apt's lock files)
 *   epoll      a pipe's read end is reported readable after a write
 *   timerfd    a 50 ms timer, waited for with epoll, expires once, and
 *              not before 50 ms
 *   signalfd   a blocked SIGUSR1 is read from the signalfd
 *   eventfd    the counter reads back what was written
 *   inotify    creating a file in a watched directory is reported, by name
 *   fhandle    name_to_handle_at() gives a handle for a tmpfs file
 *   boot-id    /proc/sys/kernel/random/boot_id is a UUID
 *   cgroup2    the cgroup2 filesystem mounts and has cgroup.procs
 *   ipv6       an AF_INET6 datagram socket binds to ::1 after lo is up
 *   pty        a pty pair from /dev/ptmx passes bytes
 *   sysvipc    a System V shared memory segment attaches
 *   seccomp    a filter that turns getppid() into EPERM works in a child
 *   netns      a child unshares network, UTS, IPC and PID namespaces
 *   userns     a child in a new user namespace is root there, mapped to
 *              the overflow user outside until it writes its uid_map
 *   kcmp       kcmp() finds a dup()ed descriptor the same file and
 *              another open of it a different one
 *   mqueue     a message sent to a POSIX message queue comes back
 *   aio        an io_submit() read of a file completes with its bytes
 *   membarrier a private expedited barrier, once registered, runs
 *   rseq       glibc registered this thread's restartable sequence area
 *              and the kernel keeps its cpu_id up to date
 *   xattr      a tmpfs file keeps a user.* attribute and has ACL support
 *   madvise    MADV_DONTNEED zeroes a private anonymous page
 *   fs         /proc/filesystems lists ext4, autofs and devtmpfs
 *
 * Each prints "CHECK name: ok" or "CHECK name: FAIL: why"; the exit
 * status is the number of failures.  Run as root in the guest's
 * initramfs (it mounts devpts and cgroup2 under /tmp).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <linux/aio_abi.h>
#include <linux/filter.h>
#include <linux/kcmp.h>
#include <linux/membarrier.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#define DIR "/tmp/distro-check"

static int failures;

/* fail(name, fmt, ...): report a failed check, with errno's text. */
static int fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	printf("CHECK %s: FAIL: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d: %s)\n", e, strerror(e));
	failures++;
	return -1;
}

static int ok(const char *name)
{
	printf("CHECK %s: ok\n", name);
	return 0;
}

/* Run fn in a child; its exit status (or 255 if it died). */
static int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 255;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

static int flock_other(void *path)
{
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return 2;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 1;
	return errno == EWOULDBLOCK ? 0 : 3;
}

static int check_flock(void)
{
	const char *path = DIR "/flock";
	int fd = open(path, O_RDWR | O_CREAT, 0600), r;

	if (fd < 0)
		return fail("flock", "open %s", path);
	if (flock(fd, LOCK_EX) < 0)
		return fail("flock", "flock(LOCK_EX)");
	r = in_child(flock_other, (void *)path);
	close(fd);
	if (r != 0)
		return fail("flock", "another open file's flock(LOCK_EX|LOCK_NB): child status %d, not EWOULDBLOCK", r);
	return ok("flock");
}

static int fcntl_other(void *path)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return 2;
	if (fcntl(fd, F_SETLK, &fl) == 0)
		return 1;
	return (errno == EAGAIN || errno == EACCES) ? 0 : 3;
}

static int check_fcntl(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	const char *path = DIR "/lock-frontend";
	int fd = open(path, O_RDWR | O_CREAT, 0600), r;

	if (fd < 0)
		return fail("fcntl", "open %s", path);
	if (fcntl(fd, F_SETLK, &fl) < 0)
		return fail("fcntl", "F_SETLK F_WRLCK");
	r = in_child(fcntl_other, (void *)path);
	close(fd);
	if (r != 0)
		return fail("fcntl", "a child's F_SETLK on the locked file: status %d, not EAGAIN", r);
	return ok("fcntl");
}

static int check_epoll(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, got;
	int p[2], ep, n;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return fail("epoll", "epoll_create1");
	if (pipe(p) < 0)
		return fail("epoll", "pipe");
	ev.data.fd = p[0];
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) < 0)
		return fail("epoll", "EPOLL_CTL_ADD");
	n = epoll_wait(ep, &got, 1, 0);
	if (n != 0)
		return fail("epoll", "an empty pipe is ready (%d)", n);
	if (write(p[1], "x", 1) != 1)
		return fail("epoll", "write");
	n = epoll_wait(ep, &got, 1, 1000);
	if (n != 1 || got.data.fd != p[0] || !(got.events & EPOLLIN))
		return fail("epoll", "epoll_wait after a write: %d events", n);
	close(p[0]);
	close(p[1]);
	close(ep);
	return ok("epoll");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int check_timerfd(void)
{
	struct itimerspec its = { .it_value = { 0, 50 * 1000 * 1000 } };
	struct epoll_event ev = { .events = EPOLLIN }, got;
	uint64_t expired;
	double t0, t;
	int tfd, ep, n;

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (tfd < 0)
		return fail("timerfd", "timerfd_create");
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) < 0)
		return fail("timerfd", "epoll on the timerfd");
	t0 = now();
	if (timerfd_settime(tfd, 0, &its, NULL) < 0)
		return fail("timerfd", "timerfd_settime");
	n = epoll_wait(ep, &got, 1, 5000);
	t = now() - t0;
	if (n != 1)
		return fail("timerfd", "a 50 ms timer: epoll_wait gave %d in %.3f s", n, t);
	if (read(tfd, &expired, sizeof(expired)) != sizeof(expired) || expired != 1)
		return fail("timerfd", "read of the expirations");
	if (t < 0.049)
		return fail("timerfd", "a 50 ms timer fired after %.3f s", t);
	close(tfd);
	close(ep);
	printf("CHECK timerfd: ok (a 50 ms timer fired after %.3f s)\n", t);
	return 0;
}

static int check_signalfd(void)
{
	struct signalfd_siginfo si;
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return fail("signalfd", "sigprocmask");
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return fail("signalfd", "signalfd");
	if (raise(SIGUSR1) != 0)
		return fail("signalfd", "raise");
	if (read(fd, &si, sizeof(si)) != sizeof(si) || si.ssi_signo != SIGUSR1)
		return fail("signalfd", "read of SIGUSR1");
	close(fd);
	return ok("signalfd");
}

static int check_eventfd(void)
{
	uint64_t v = 3;
	int fd = eventfd(0, EFD_CLOEXEC);

	if (fd < 0)
		return fail("eventfd", "eventfd");
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		return fail("eventfd", "write");
	v = 0;
	if (read(fd, &v, sizeof(v)) != sizeof(v) || v != 3)
		return fail("eventfd", "read back %llu, not 3", (unsigned long long)v);
	close(fd);
	return ok("eventfd");
}

static int check_inotify(void)
{
	char buf[sizeof(struct inotify_event) + 256]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	struct inotify_event *ev = (struct inotify_event *)buf;
	int fd, f;
	ssize_t n;

	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0)
		return fail("inotify", "inotify_init1");
	if (inotify_add_watch(fd, DIR, IN_CREATE) < 0)
		return fail("inotify", "inotify_add_watch %s", DIR);
	f = open(DIR "/created", O_WRONLY | O_CREAT, 0600);
	if (f < 0)
		return fail("inotify", "create");
	close(f);
	n = read(fd, buf, sizeof(buf));
	if (n < (ssize_t)sizeof(*ev) || !(ev->mask & IN_CREATE) || !ev->len ||
	    strcmp(ev->name, "created"))
		return fail("inotify", "no IN_CREATE event for 'created' (read %zd)", n);
	close(fd);
	return ok("inotify");
}

/* A file of our own on tmpfs, for the checks that need one. */
static const char *tmpfs_file(void)
{
	const char *path = DIR "/file";
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	if (fd >= 0)
		close(fd);
	return path;
}

static int check_fhandle(void)
{
	struct file_handle *fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	int mount_id;

	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, tmpfs_file(), fh, &mount_id, 0) < 0)
		return fail("fhandle", "name_to_handle_at on tmpfs");
	if (!fh->handle_bytes)
		return fail("fhandle", "an empty handle");
	free(fh);
	return ok("fhandle");
}

static int check_boot_id(void)
{
	char id[64] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	if (!f)
		return fail("boot-id", "open /proc/sys/kernel/random/boot_id");
	if (!fgets(id, sizeof(id), f) || strlen(id) != 37 || id[8] != '-')
		return fail("boot-id", "not a UUID: '%s'", id);
	fclose(f);
	return ok("boot-id");
}

static int check_cgroup2(void)
{
	const char *dir = DIR "/cgroup";

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return fail("cgroup2", "mkdir %s", dir);
	if (mount("cgroup2", dir, "cgroup2", 0, NULL) < 0)
		return fail("cgroup2", "mount -t cgroup2");
	if (access(DIR "/cgroup/cgroup.procs", R_OK) < 0)
		return fail("cgroup2", "no cgroup.procs");
	if (mkdir(DIR "/cgroup/test", 0755) < 0 || rmdir(DIR "/cgroup/test") < 0)
		return fail("cgroup2", "make and remove a child cgroup");
	umount(dir);
	return ok("cgroup2");
}

static int check_ipv6(void)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET6, SOCK_DGRAM, 0), s4;

	if (s < 0)
		return fail("ipv6", "socket(AF_INET6)");
	/* lo up, as systemd brings it up: then ::1 exists. */
	s4 = socket(AF_INET, SOCK_DGRAM, 0);
	if (s4 < 0 || ioctl(s4, SIOCGIFFLAGS, &ifr) < 0)
		return fail("ipv6", "lo's flags");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s4, SIOCSIFFLAGS, &ifr) < 0)
		return fail("ipv6", "lo up");
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return fail("ipv6", "bind to [::1]");
	close(s4);
	close(s);
	return ok("ipv6");
}

static int check_pty(void)
{
	char buf[8] = "";
	int m, s;

	mkdir(DIR "/pts", 0755);
	if (mount("devpts", DIR "/pts", "devpts", 0, "newinstance,ptmxmode=0666") < 0)
		return fail("pty", "mount -t devpts");
	m = open(DIR "/pts/ptmx", O_RDWR | O_NOCTTY);
	if (m < 0)
		return fail("pty", "open ptmx");
	if (unlockpt(m) < 0)
		return fail("pty", "unlockpt");
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (s < 0)
		return fail("pty", "TIOCGPTPEER");
	if (write(m, "hi\n", 3) != 3 || read(s, buf, sizeof(buf)) < 2 || strncmp(buf, "hi", 2))
		return fail("pty", "master to slave: '%s'", buf);
	close(s);
	close(m);
	umount(DIR "/pts");
	return ok("pty");
}

static int check_sysvipc(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	char *p;

	if (id < 0)
		return fail("sysvipc", "shmget");
	p = shmat(id, NULL, 0);
	if (p == (void *)-1)
		return fail("sysvipc", "shmat");
	p[0] = 1;
	shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	return ok("sysvipc");
}

static int seccomp_child(void *arg)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = insns };

	(void)arg;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return 2;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return 3;
	errno = 0;
	if (syscall(SYS_getppid) != -1 || errno != EPERM)
		return 4;
	return getpid() > 0 ? 0 : 5;
}

static int check_seccomp(void)
{
	int r = in_child(seccomp_child, NULL);

	if (r)
		return fail("seccomp", "filtered child: status %d (2 no_new_privs, 3 seccomp(), 4 getppid not denied)", r);
	return ok("seccomp");
}

static int netns_child(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID) ? 1 : 0;
}

static int check_netns(void)
{
	if (in_child(netns_child, NULL))
		return fail("netns", "unshare(NEWNET|NEWUTS|NEWIPC|NEWPID) failed in a child");
	return ok("netns");
}

/*
 * In a new user namespace a child is root (uid 0 once its uid_map maps
 * it), and before that its uid reads as the overflow uid.
 */
static int userns_child(void *arg)
{
	char map[32];
	uid_t outside = *(uid_t *)arg;
	int fd;

	if (unshare(CLONE_NEWUSER) < 0)
		return 1;
	if (getuid() != 65534)
		return 2;
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0)
		return 3;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)outside);
	if (write(fd, map, strlen(map)) != (ssize_t)strlen(map))
		return 4;
	close(fd);
	return getuid() == 0 ? 0 : 5;
}

static int check_userns(void)
{
	uid_t me = getuid();
	int r = in_child(userns_child, &me);

	if (r)
		return fail("userns", "child in a new user namespace: status %d (1 unshare, %s)",
			    r, "2 not the overflow uid, 3-4 uid_map, 5 not root after the map");
	return ok("userns");
}

static int check_kcmp(void)
{
	const char *path = tmpfs_file();
	int a = open(path, O_RDONLY), b = dup(a), c = open(path, O_RDONLY);
	long same, other;
	pid_t me = getpid();

	if (a < 0 || b < 0 || c < 0)
		return fail("kcmp", "open and dup %s", path);
	same = syscall(SYS_kcmp, me, me, KCMP_FILE, a, b);
	if (same != 0)
		return fail("kcmp", "a dup()ed descriptor: kcmp gave %ld, not 0 (the same file)",
			    same);
	other = syscall(SYS_kcmp, me, me, KCMP_FILE, a, c);
	if (other <= 0 || other > 2)
		return fail("kcmp", "another open of the file: kcmp gave %ld, not 1 or 2", other);
	close(a);
	close(b);
	close(c);
	return ok("kcmp");
}

static int check_mqueue(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 16 };
	char buf[16] = "";
	unsigned int prio = 0;
	mqd_t q;

	q = mq_open("/distro-check", O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
	if (q == (mqd_t)-1)
		return fail("mqueue", "mq_open");
	mq_unlink("/distro-check");
	if (mq_send(q, "apt", 3, 7) < 0)
		return fail("mqueue", "mq_send");
	if (mq_receive(q, buf, sizeof(buf), &prio) != 3 || memcmp(buf, "apt", 3) || prio != 7)
		return fail("mqueue", "mq_receive gave '%.3s' priority %u, not 'apt' 7", buf, prio);
	mq_close(q);
	return ok("mqueue");
}

static int check_aio(void)
{
	const char *path = DIR "/aio";
	struct iocb cb = { .aio_lio_opcode = IOCB_CMD_PREAD };
	struct iocb *cbs[1] = { &cb };
	struct io_event ev;
	aio_context_t ctx = 0;
	char buf[8] = "";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	long n;

	if (fd < 0 || write(fd, "libaio", 6) != 6)
		return fail("aio", "write %s", path);
	if (syscall(SYS_io_setup, 1, &ctx) < 0)
		return fail("aio", "io_setup");
	cb.aio_fildes = fd;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = 6;
	if (syscall(SYS_io_submit, ctx, 1, cbs) != 1)
		return fail("aio", "io_submit of a read");
	n = syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL);
	if (n != 1 || ev.res != 6 || memcmp(buf, "libaio", 6))
		return fail("aio", "io_getevents: %ld event(s), res %lld, read '%.6s'",
			    n, (long long)ev.res, buf);
	syscall(SYS_io_destroy, ctx);
	close(fd);
	return ok("aio");
}

static int check_membarrier(void)
{
	long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (cmds < 0)
		return fail("membarrier", "MEMBARRIER_CMD_QUERY");
	if (!(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
		return fail("membarrier", "no private expedited barrier (commands %#lx)", cmds);
	errno = 0;
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != -1 || errno != EPERM)
		return fail("membarrier", "%s", "an unregistered private expedited barrier: not EPERM");
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) < 0 ||
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) < 0)
		return fail("membarrier", "register, then a private expedited barrier");
	return ok("membarrier");
}

static int check_rseq(void)
{
	unsigned int cpu = ~0u;
	struct rseq *rs;
	char *tp;

	/* glibc leaves __rseq_size 0 when the kernel refused it. */
	if (__rseq_size < 20) {
		errno = 0;
		return fail("rseq", "glibc registered no rseq area (__rseq_size %u)", __rseq_size);
	}
	/* The thread pointer on i386: %gs:0 holds the TCB's own address. */
	__asm__("movl %%gs:0, %0" : "=r"(tp));
	rs = (struct rseq *)(tp + __rseq_offset);
	if (syscall(SYS_getcpu, &cpu, NULL, NULL) < 0)
		return fail("rseq", "getcpu");
	if ((int)rs->cpu_id < 0 || rs->cpu_id != cpu)
		return fail("rseq", "the area's cpu_id %d is not this CPU, %u",
			    (int)rs->cpu_id, cpu);
	return ok("rseq");
}

static int check_xattr(void)
{
	const char *path = tmpfs_file();
	char v[8] = "";

	if (setxattr(path, "user.distro", "yes", 3, 0) < 0)
		return fail("xattr", "setxattr user.distro on tmpfs");
	if (getxattr(path, "user.distro", v, sizeof(v)) != 3 || strncmp(v, "yes", 3))
		return fail("xattr", "getxattr user.distro");
	/* No ACL set: ENODATA with ACL support, EOPNOTSUPP without. */
	if (getxattr(path, "system.posix_acl_access", v, sizeof(v)) >= 0 || errno != ENODATA)
		return fail("xattr", "system.posix_acl_access on tmpfs (no ACL support?)");
	return ok("xattr");
}

static int check_madvise(void)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return fail("madvise", "mmap");
	p[0] = 1;
	if (madvise(p, 4096, MADV_DONTNEED) < 0)
		return fail("madvise", "MADV_DONTNEED");
	if (p[0] != 0)
		return fail("madvise", "the page kept its data after MADV_DONTNEED");
	munmap(p, 4096);
	return ok("madvise");
}

static int check_fs(void)
{
	static const char *const want[] = { "ext4", "autofs", "devtmpfs", "cgroup2" };
	char line[128], all[4096] = "";
	FILE *f = fopen("/proc/filesystems", "r");
	size_t i;

	if (!f)
		return fail("fs", "open /proc/filesystems");
	while (fgets(line, sizeof(line), f))
		if (strlen(all) + strlen(line) < sizeof(all))
			strcat(all, line);
	fclose(f);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char tab[32];

		snprintf(tab, sizeof(tab), "\t%s\n", want[i]);
		if (!strstr(all, tab)) {
			errno = ENODEV;
			return fail("fs", "no %s in /proc/filesystems", want[i]);
		}
	}
	return ok("fs");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdir(DIR, 0755) < 0 && errno != EEXIST) {
		perror(DIR);
		return 1;
	}
	check_flock();
	check_fcntl();
	check_epoll();
	check_timerfd();
	check_signalfd();
	check_eventfd();
	check_inotify();
	check_fhandle();
	check_boot_id();
	check_cgroup2();
	check_ipv6();
	check_pty();
	check_sysvipc();
	check_seccomp();
	check_netns();
	check_userns();
	check_kcmp();
	check_mqueue();
	check_aio();
	check_membarrier();
	check_rseq();
	check_xattr();
	check_madvise();
	check_fs();
	printf("distro-check: %d failure(s)\n", failures);
	return failures > 125 ? 125 : failures;
}
