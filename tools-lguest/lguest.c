// SPDX-License-Identifier: GPL-2.0
/*
 * lguest: run a Linux kernel as a process, on a host with lg.ko loaded.
 *
 *	lguest [--initrd=FILE] [--block=FILE[,ro]]... [--rng]
 *	       [--tunnet=IPADDR[:MAC]|--tunnet=bridge:NAME[:MAC]]...
 *	       [--user=USER] [--group=GROUP] [--chroot=DIR]
 *	       [--restart=exit|exec] [--verbose] MEM_MB KERNEL [ARGS...]
 *
 * This file reads the command line and sets the guest up: we give the
 * guest an anonymous mapping as its physical memory, put the kernel and
 * its boot data in it (boot.c), add the devices (the console, then those
 * the options ask for), hand it all to the host with LHREQ_INITIALIZE
 * (lhreq.c), drop root if asked (privs.c), and run it (run.c).  The exit
 * status says how it ended, and scripts can rely on it:
 *
 *	0	the guest powered off (LHCALL_SHUTDOWN, reason "Power down")
 *	2	bad usage or setup: a message names the file, the cause, the fix
 *	3	the guest asked to restart (unless --restart=exec)
 *	255	the guest panicked (any other shutdown reason), the host killed
 *		it, a guest driver broke the virtio rules, or lguest failed
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/lguest.h>
#include "boot.h"
#include "device.h"
#include "lhreq.h"
#include "privs.h"
#include "run.h"
#include "util.h"
#include "version.h"

/*
 * The most guest RAM we hand out: on an i386 host it and the device
 * window must fit in our 3 GiB, below the host's switcher; on x86_64 we
 * keep the same limit, which is what the guest side has been run with.
 */
#define MAX_MEM_MB	2048
#define MIN_MEM_MB	2
/* A gap of unbacked pages between RAM and the devices, as 4.13 had. */
#define DEVICE_GAP	(1u << 20)

enum opt_id {
	OPT_INITRD, OPT_BLOCK, OPT_TUNNET, OPT_RNG, OPT_USER, OPT_GROUP,
	OPT_CHROOT, OPT_RESTART, OPT_VERBOSE, OPT_VERSION, OPT_HELP,
};

/*
 * Every option: its long name, its short one (or NULL), and what its
 * value is ("--name=VALUE"; NULL: it takes none; "A|B": either form).
 */
static const struct opt {
	const char *name, *short_name, *value;
	enum opt_id id;
} options[] = {
	{ "--initrd", NULL, "FILE", OPT_INITRD },
	{ "--block", NULL, "FILE[,ro]", OPT_BLOCK },
	{ "--tunnet", NULL, "IPADDR[:MAC]|bridge:NAME[:MAC]", OPT_TUNNET },
	{ "--rng", NULL, NULL, OPT_RNG },
	{ "--user", NULL, "USER", OPT_USER },
	{ "--group", NULL, "GROUP", OPT_GROUP },
	{ "--chroot", NULL, "DIR", OPT_CHROOT },
	{ "--restart", NULL, "exit|exec", OPT_RESTART },
	{ "--verbose", "-v", NULL, OPT_VERBOSE },
	{ "--version", "-V", NULL, OPT_VERSION },
	{ "--help", "-h", NULL, OPT_HELP },
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: lguest [OPTIONS] MEM_MB KERNEL [KERNEL ARGS...]\n"
"\n"
"Runs KERNEL (an i386 vmlinux or bzImage built for lguest) as a guest with\n"
"MEM_MB MiB of memory (%u to %u) and a virtio console on our stdin and stdout.\n"
"The host must have lg.ko loaded (/dev/lguest).  The kernel arguments become\n"
"its command line, after noreplace-smp (a one-CPU guest keeps its lock\n"
"prefixes).  Options come before MEM_MB, and take values as --opt=VALUE.\n"
"The console is PCI slot 1 (IRQ 1); --block, --tunnet and --rng devices follow\n"
"in the order given, in slots (and IRQs) 2, 3 and so on.\n"
"\n"
"When stdin is a terminal it is put in raw mode while the guest runs (line\n"
"editing, echo and ^C are the guest's) and restored when lguest exits; three\n"
"^C within a second stop the guest.\n"
"\n"
"  --initrd=FILE         load FILE at the top of guest memory as its initrd\n"
"  --block=FILE          a virtio disk backed by FILE (its size a multiple of\n"
"                        512 bytes); repeatable: /dev/vda, vdb...  Read-write,\n"
"                        unless FILE cannot be opened for writing: then the\n"
"                        disk is read-only (-v says so)\n"
"  --block=FILE,ro       the same, read-only: the guest sees a read-only disk\n"
"                        and its writes fail; FILE is opened read-only\n"
"  --tunnet=IPADDR[:MAC] a virtio NIC whose other end is a new tap device in\n"
"                        this host (tap0, tap1...), with the IPv4 address\n"
"                        IPADDR/24 and up; the guest takes another address\n"
"                        in that /24.  MAC (52:54:00:12:34:56) is the guest's\n"
"                        (default: the guest makes one up); repeatable\n"
"  --tunnet=bridge:NAME[:MAC]\n"
"                        the same, but the tap joins the existing bridge NAME\n"
"                        (and is up, with no address)\n"
"  --rng                 a virtio entropy device fed from /dev/urandom\n"
"                        (the guest's /dev/hwrng)\n"
"  --user=USER           once the files above and /dev/lguest are open, run as\n"
"                        USER (a name in /etc/passwd, or a UID), with its group\n"
"                        and the groups /etc/group lists it in\n"
"  --group=GROUP         run with group GROUP (a name in /etc/group, or a GID);\n"
"                        needed with a UID that /etc/passwd does not have\n"
"  --chroot=DIR          once set up, chroot to DIR (an empty one is best)\n"
"  --restart=exit|exec   when the guest reboots: exit with status 3 (default)\n"
"                        or start it again (re-execute lguest; not with\n"
"                        --user, --group or --chroot)\n"
"  -v, --verbose         trace devices, port I/O and MMIO on stderr\n"
"  -V, --version         print the launcher's version and lguest ABI\n"
"  -h, --help            this text\n"
"\n"
"--user, --group and --chroot need root; they act after setup, chroot first.\n"
"Names are read from /etc/passwd and /etc/group, not through NSS (lguest is\n"
"static): give users and groups that only NSS knows (LDAP...) by number.\n"
"\n"
"Exit status: 0 the guest powered off; 2 bad usage or setup (a message says\n"
"what to fix); 3 the guest asked to restart; 255 the guest panicked or was\n"
"killed, or a guest driver broke the virtio rules (the reason is on stderr).\n",
		MIN_MEM_MB, MAX_MEM_MB);
}

/* The version, and what identifies the ABI this build speaks. */
static void version(void)
{
	printf("lguest launcher %s (%s)\n", LGUEST_VERSION, LGUEST_GIT);
	printf("lguest ABI: /dev/lguest requests 0 to %d (LHREQ_TRAP), hypercalls through vector %#x, boot_params hardware_subarch 1 (as in Linux 4.13)\n",
	       LHREQ_TRAP, LGUEST_TRAP_ENTRY);
	printf("built for an %s host: /dev/lguest request words of %zu bits; guests are 32-bit kernels\n",
	       LGUEST_HOST, 8 * sizeof(unsigned long));
}

static __printf(1, 2) noreturn void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "lguest: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see lguest --help\n");
	exit(EXIT_SETUP);
}

/* An option without the value it needs: say its forms. */
static noreturn void needs_value(const char *a, const struct opt *o)
{
	char forms[160] = "";
	const char *v = o->value;
	size_t n;

	while (*v) {
		n = strcspn(v, "|");
		snprintf(forms + strlen(forms), sizeof(forms) - strlen(forms),
			 "%s%s=%.*s", *forms ? " or " : "", o->name, (int)n, v);
		v += n + (v[n] == '|');
	}
	usage_error("%s needs a value, as %s", a, forms);
}

/* The option a names, with its value in *val (NULL: none given). */
static const struct opt *find_option(const char *a, const char **val)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		const struct opt *o = &options[i];

		n = strlen(o->name);
		if (!strncmp(a, o->name, n) && (a[n] == '\0' || a[n] == '=')) {
			*val = a[n] == '=' ? a + n + 1 : NULL;
			return o;
		}
		if (o->short_name && !strcmp(a, o->short_name)) {
			*val = NULL;
			return o;
		}
	}
	usage_error("unknown option '%s'", a);
}

static uint32_t parse_mem(const char *s)
{
	unsigned long mb;
	size_t n = strspn(s, "0123456789");

	if (!n || s[n])
		usage_error("MEM_MB '%s' is not a whole number of MiB", s);
	mb = n > 6 ? MAX_MEM_MB + 1 : strtoul(s, NULL, 10);
	if (mb > MAX_MEM_MB)
		die(EXIT_SETUP, "MEM_MB %s is too large: the limit is %u MiB (%s)",
		    s, MAX_MEM_MB, sizeof(long) == 4 ?
		    "guest memory and its device window must fit in this 32-bit launcher, below the host's switcher" :
		    "the limit of the 32-bit launcher, kept on the x86_64 host");
	if (mb < MIN_MEM_MB)
		die(EXIT_SETUP, "MEM_MB %s is too small: give at least %u", s, MIN_MEM_MB);
	return mb << 20;
}

/* FIRST and the kernel arguments, joined by spaces. */
static char *join_args(const char *first, char **args, int n)
{
	size_t len = strlen(first) + 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = calloc_or_die(len);
	strcpy(s, first);
	for (i = 0; i < n; i++) {
		strcat(s, " ");
		strcat(s, args[i]);
	}
	return s;
}

/*
 * Guest-physical memory: RAM, a gap, then the devices' BAR pages; with
 * a PROT_NONE page on each side so that a stray access faults.
 */
static void map_guest_memory(uint32_t window_end)
{
	size_t len = (size_t)window_end + 2 * PAGE_SIZE;
	uint8_t *p;

	p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		die(EXIT_SETUP, "cannot reserve %u MiB of address space for the guest: %s; give a smaller MEM_MB",
		    (unsigned int)(len >> 20), strerror(errno));
	guest_base = p + PAGE_SIZE;
	if (mprotect(guest_base, window_end, PROT_READ | PROT_WRITE) < 0)
		die(EXIT_SETUP, "cannot map %u MiB for the guest: %s; give a smaller MEM_MB",
		    guest_ram >> 20, strerror(errno));
	trace("guest memory: %u MiB at %p, devices up to guest-physical %#x",
	      guest_ram >> 20, (void *)guest_base, window_end);
}

/* A signal that ends us must not leave the terminal raw. */
static void fatal_signal(int sig)
{
	console_restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* What the options ask for; the devices in the order given. */
struct config {
	struct boot_setup boot;
	bool restart_exec;
	int ndevs;
	const struct opt **dev_opt;
	const char **dev_arg;
};

/* Read the options, argv[1] up to (not including) argv[end]. */
static void parse_options(char **argv, int end, struct config *c)
{
	const struct opt *o;
	const char *v;
	int i;

	c->dev_opt = calloc_or_die(sizeof(*c->dev_opt) * end);
	c->dev_arg = calloc_or_die(sizeof(*c->dev_arg) * end);
	for (i = 1; i < end; i++) {
		o = find_option(argv[i], &v);
		if (o->value && (!v || !*v))
			needs_value(argv[i], o);
		if (!o->value && v)
			usage_error("%s takes no value", o->name);

		switch (o->id) {
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			version();
			exit(0);
		case OPT_VERBOSE:
			verbose = 1;
			break;
		case OPT_INITRD:
			c->boot.initrd = v;
			break;
		case OPT_BLOCK:
		case OPT_TUNNET:
		case OPT_RNG:
			c->dev_opt[c->ndevs] = o;
			c->dev_arg[c->ndevs++] = v;
			break;
		case OPT_USER:
			privs_user(v);
			break;
		case OPT_GROUP:
			privs_group(v);
			break;
		case OPT_CHROOT:
			privs_chroot(v);
			break;
		case OPT_RESTART:
			if (strcmp(v, "exit") && strcmp(v, "exec"))
				usage_error("%s: use --restart=exit or --restart=exec", argv[i]);
			c->restart_exec = !strcmp(v, "exec");
			break;
		}
	}
}

static void add_devices(const struct config *c)
{
	int i;

	for (i = 0; i < c->ndevs; i++) {
		switch (c->dev_opt[i]->id) {
		case OPT_BLOCK:
			block_setup(c->dev_arg[i]);
			break;
		case OPT_TUNNET:
			net_setup(c->dev_arg[i]);
			break;
		default:
			rng_setup();
			break;
		}
	}
}

int main(int argc, char *argv[])
{
	struct config c = { 0 };
	int memarg;

	/* MEM_MB is the first argument that is not an option. */
	for (memarg = 1; memarg < argc && argv[memarg][0] == '-'; memarg++)
		;
	parse_options(argv, memarg, &c);
	if (memarg >= argc)
		usage_error("no MEM_MB and KERNEL given");
	/* A re-executed launcher could not open /dev/lguest again. */
	if (c.restart_exec && privs_wanted())
		usage_error("--restart=exec cannot be used with --user, --group or --chroot (the restarted launcher could not reopen its files); use --restart=exit and restart it from a script");
	if (memarg + 1 >= argc)
		usage_error("no KERNEL given after MEM_MB");

	guest_ram = parse_mem(argv[memarg]);
	privs_resolve();
	c.boot.kernel = argv[memarg + 1];
	/*
	 * A guest has one CPU, so an SMP kernel would patch each of its
	 * 2600 lock prefixes away with text_poke(), two page-table
	 * switches (exits) each: 40% of a boot's exits, for lock prefixes
	 * that cost next to nothing.  First, so it stays before any "--".
	 */
	c.boot.cmdline = join_args("noreplace-smp", argv + memarg + 2,
				   argc - memarg - 2);

	/* The devices' BARs sit above RAM and the gap. */
	devices_init(guest_ram + DEVICE_GAP);
	console_setup();
	add_devices(&c);
	map_guest_memory(devices_end());
	load_guest(&c.boot);

	lguest_open();
	lguest_initialize(guest_base, guest_ram, c.boot.entry, devices_end());
	/* Every file is open, and the service threads are not started yet. */
	privs_drop();

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, fatal_signal);
	signal(SIGHUP, fatal_signal);
	signal(SIGINT, fatal_signal);
	signal(SIGQUIT, fatal_signal);
	atexit(console_restore_tty);
	console_raw_tty();
	run_guest(c.restart_exec, argv);
}
