// SPDX-License-Identifier: GPL-2.0
/*
 * lguest: run a Linux kernel as a process, on a host with lg.ko loaded.
 *
 *	lguest [--initrd=FILE] [--block=FILE[,ro]]... [--rng]
 *	       [--tunnet=IPADDR[:MAC]|--tunnet=bridge:NAME[:MAC]]...
 *	       [--user=USER] [--group=GROUP] [--chroot=DIR]
 *	       [--restart=exit|exec] [--verbose] MEM_MB KERNEL [ARGS...]
 *
 * We give the guest an anonymous mapping as its physical memory, put the
 * kernel and its boot data in it (boot.c), add the devices (the console,
 * then those the options ask for: block.c, net.c, rng.c), then hand it
 * all to the host with LHREQ_INITIALIZE on /dev/lguest, and drop root if
 * asked (privs.c).  From then on this thread runs the guest: each pread()
 * on /dev/lguest runs it until it does something only we can do, namely
 * port I/O (trap 13: the guest's PCI configuration accesses) or a touch
 * of the device window above its RAM (trap 14: the virtio registers).  We
 * decode that instruction, do what it asked, step the guest's eip past it
 * and go round again.  The guest's death ends the loop: its reason says
 * how we exit, and scripts can rely on the status:
 *
 *	0	the guest powered off (LHCALL_SHUTDOWN, reason "Power down")
 *	2	bad usage or setup: a message names the file, the cause, the fix
 *	3	the guest asked to restart (unless --restart=exec)
 *	255	the guest panicked (any other shutdown reason), the host killed
 *		it, a guest driver broke the virtio rules, or lguest failed
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "lguest.h"
#include "version.h"

/* The most guest RAM we hand out: the launcher is a 32-bit process. */
#define MAX_MEM_MB	2048
#define MIN_MEM_MB	2
/* A gap of unbacked pages between RAM and the devices, as 4.13 had. */
#define DEVICE_GAP	(1u << 20)

/* The pt_regs offsets that LHREQ_GETREG and LHREQ_SETREG take. */
enum {
	REG_EBX = 0, REG_ECX = 4, REG_EDX = 8, REG_ESI = 12, REG_EDI = 16,
	REG_EBP = 20, REG_EAX = 24, REG_EIP = 48, REG_CS = 52, REG_ESP = 60,
};
/* The general registers in x86 encoding order (ModRM reg field). */
static const unsigned int gpr_offset[8] = {
	REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP, REG_ESI, REG_EDI,
};

uint8_t *guest_base;
uint32_t guest_ram;
int verbose;
int lguest_fd = -1;
static char **saved_argv;

static void vmsg(const char *fmt, va_list ap)
{
	char buf[512];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	/* One write, so lines from different threads do not mix. */
	dprintf(STDERR_FILENO, "lguest: %s\n", buf);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	exit(status);
}

void *calloc_or_die(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		die(EXIT_CRASH, "out of memory");
	return p;
}

void *gpa_ptr(uint64_t gpa, uint64_t len)
{
	if (gpa > guest_ram || len > guest_ram - gpa)
		return NULL;
	return guest_base + gpa;
}

/* The requests to /dev/lguest: each is an array of 32-bit words. */
static void lguest_write(const uint32_t *req, size_t words, const char *what)
{
	ssize_t r = pwrite(lguest_fd, req, words * 4, 0);

	if (r < 0)
		die(EXIT_CRASH, "%s: %s", what, strerror(errno));
}

void raise_irq(unsigned int irq)
{
	uint32_t req[2] = { LHREQ_IRQ, irq };

	/* Once the guest is dead this fails; the main thread reports that. */
	if (pwrite(lguest_fd, req, sizeof(req), 0) < 0 && errno != ENOENT)
		warnx_("LHREQ_IRQ %u: %s", irq, strerror(errno));
}

static uint32_t get_reg(unsigned int off)
{
	uint32_t req[2] = { LHREQ_GETREG, off }, val;

	lguest_write(req, 2, "LHREQ_GETREG");
	if (pread(lguest_fd, &val, sizeof(val), 0) != sizeof(val))
		die(EXIT_CRASH, "reading register %u: %s", off, strerror(errno));
	return val;
}

static void set_reg(unsigned int off, uint32_t val)
{
	uint32_t req[3] = { LHREQ_SETREG, off, val };

	lguest_write(req, 3, "LHREQ_SETREG");
}

static const char *insn_hex(const uint8_t *insn, unsigned int n)
{
	static char buf[3 * 16 + 1];
	unsigned int i;

	for (i = 0; i < n && i < 16; i++)
		sprintf(buf + 3 * i, "%02x ", insn[i]);
	buf[i ? 3 * i - 1 : 0] = '\0';
	return buf;
}

/*
 * An instruction we do not emulate: give the guest the trap it would
 * have had on real hardware.  From the guest kernel that is a bug worth
 * a warning; from guest user space it is the guest's business.
 */
static void reflect_trap(const struct lguest_pending *p, uint32_t eip,
			 uint32_t cs)
{
	uint32_t req[2] = { LHREQ_TRAP, p->trap };

	if ((cs & 3) == 1)
		warnx_("cannot emulate the instruction at eip %#x (%s, trap %u, address %#x); passing the trap to the guest",
		       eip, insn_hex(p->insn, sizeof(p->insn)), p->trap, p->addr);
	else
		trace("trap %u from guest user space at %#x: passed to the guest", p->trap, eip);
	if (pwrite(lguest_fd, req, sizeof(req), 0) < 0)
		die(EXIT_CRASH, "guest died: trap %u at eip %#x and the guest has no handler for it (%s)",
		    p->trap, eip, strerror(errno));
}

/*
 * Trap 13: port I/O (in/out with an 8-bit port or %dx, 8, 16 or 32
 * bits) or a cli, from the guest kernel.  A cli is harmless to skip: the
 * guest's real interrupt flag is ours, and its virtual one is in
 * lguest_data.
 */
static void emulate_pio(const struct lguest_pending *p)
{
	const uint8_t *in = p->insn;
	uint32_t cs = get_reg(REG_CS), eip = get_reg(REG_EIP);
	unsigned int len = 0, size = 4, port;
	uint32_t mask, eax;
	uint8_t op;

	if ((cs & 3) != 1)
		goto reflect;
	if (in[0] == 0xFA) {
		set_reg(REG_EIP, eip + 1);
		return;
	}
	if (in[len] == 0x66) {
		size = 2;
		len++;
	}
	op = in[len++];
	switch (op) {
	case 0xE4: case 0xE5: case 0xE6: case 0xE7:
		port = in[len++];
		break;
	case 0xEC: case 0xED: case 0xEE: case 0xEF:
		port = get_reg(REG_EDX) & 0xFFFF;
		break;
	default:
		goto reflect;
	}
	if (!(op & 1))
		size = 1;
	mask = size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
	eax = get_reg(REG_EAX);
	if (op & 2) {
		pio_write(port, size, eax & mask);
	} else {
		uint32_t val = pio_read(port, size);

		set_reg(REG_EAX, (eax & ~mask) | (val & mask));
		trace("in%c %#x = %#x", "bwl"[size / 2], port, val & mask);
	}
	set_reg(REG_EIP, eip + len);
	return;
reflect:
	reflect_trap(p, eip, cs);
}

/* The MMIO instructions we emulate. */
enum mmio_kind {
	MOV_TO_MEM,	/* 88/89 (a2/a3): register to memory */
	MOV_IMM_TO_MEM,	/* c6/c7: immediate to memory */
	MOV_FROM_MEM,	/* 8a/8b (a0/a1): memory to register */
	MOVZX,		/* 0f b6/b7 */
	MOVSX,		/* 0f be/bf */
};

struct mmio_insn {
	enum mmio_kind kind;
	unsigned int len;	/* bytes, all of the instruction */
	unsigned int size;	/* of the memory access */
	unsigned int dsize;	/* of the register written (reads) */
	unsigned int reg;	/* ModRM reg field */
	uint32_t imm;
};

/* The length of a ModRM operand (ModRM, SIB, displacement); 0 if none. */
static unsigned int modrm_len(const uint8_t *b)
{
	unsigned int mod = b[0] >> 6, rm = b[0] & 7, n = 1;

	if (mod == 3)
		return 0;		/* a register, not memory */
	if (rm == 4) {
		n++;			/* SIB */
		if (mod == 0 && (b[1] & 7) == 5)
			n += 4;		/* no base: disp32 */
	} else if (mod == 0 && rm == 5) {
		n += 4;			/* disp32 alone */
	}
	if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return n;
}

/* Decode b (16 bytes, maybe zero-padded); false if we do not know it. */
static bool decode_mmio(const uint8_t *b, struct mmio_insn *mi)
{
	unsigned int i = 0, opsize = 4, m;
	uint8_t op;

	/* Operand size, and segment overrides (the address is known). */
	while (i < 4 && (b[i] == 0x66 || b[i] == 0x26 || b[i] == 0x2E ||
			 b[i] == 0x36 || b[i] == 0x3E || b[i] == 0x64 ||
			 b[i] == 0x65)) {
		if (b[i] == 0x66)
			opsize = 2;
		i++;
	}
	op = b[i++];
	if (op == 0x0F) {
		op = b[i++];
		switch (op) {
		case 0xB6: case 0xB7:
			mi->kind = MOVZX;
			break;
		case 0xBE: case 0xBF:
			mi->kind = MOVSX;
			break;
		default:
			return false;
		}
		mi->size = (op & 1) ? 2 : 1;
		mi->dsize = opsize;
	} else if (op >= 0xA0 && op <= 0xA3) {
		/* a0-a3: %al/%eax to or from a 32-bit absolute address */
		mi->kind = (op & 2) ? MOV_TO_MEM : MOV_FROM_MEM;
		mi->size = (op & 1) ? opsize : 1;
		mi->dsize = mi->size;
		mi->reg = 0;
		mi->len = i + 4;
		return true;
	} else {
		switch (op) {
		case 0x88: case 0x89:
			mi->kind = MOV_TO_MEM;
			break;
		case 0x8A: case 0x8B:
			mi->kind = MOV_FROM_MEM;
			break;
		case 0xC6: case 0xC7:
			mi->kind = MOV_IMM_TO_MEM;
			break;
		default:
			return false;
		}
		mi->size = (op & 1) ? opsize : 1;
		mi->dsize = mi->size;
	}
	m = modrm_len(b + i);
	if (!m)
		return false;
	mi->reg = (b[i] >> 3) & 7;
	i += m;
	if (mi->kind == MOV_IMM_TO_MEM) {
		if (mi->reg != 0)
			return false;
		mi->imm = 0;
		memcpy(&mi->imm, b + i, mi->size);
		i += mi->size;
	}
	mi->len = i;
	return true;
}

/*
 * The host gives us 7 bytes of the instruction; a long one (a SIB byte,
 * a 32-bit displacement and an immediate) may need more.  We do not have
 * the guest's page tables, but its kernel text is linear in physical
 * memory: try the identity and the usual PAGE_OFFSETs, and take the one
 * whose bytes match the 7 we have.
 */
static bool fetch_insn(uint32_t eip, const uint8_t *have, uint8_t *b)
{
	static const uint32_t offsets[] = { 0, 0xC0000000, 0x80000000, 0x40000000 };
	unsigned int i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		const uint8_t *p = gpa_ptr(eip - offsets[i], 16);

		if (p && eip >= offsets[i] && !memcmp(p, have, 7)) {
			memcpy(b, p, 16);
			return true;
		}
	}
	return false;
}

static uint32_t size_mask(unsigned int size)
{
	return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

/* Read the register an instruction names, at its width. */
static uint32_t read_gpr(unsigned int reg, unsigned int size)
{
	if (size == 1 && reg >= 4)	/* %ah, %ch, %dh, %bh */
		return (get_reg(gpr_offset[reg - 4]) >> 8) & 0xFF;
	return get_reg(gpr_offset[reg]) & size_mask(size);
}

static void write_gpr(unsigned int reg, unsigned int size, uint32_t val)
{
	unsigned int off = gpr_offset[size == 1 && reg >= 4 ? reg - 4 : reg];
	uint32_t old;

	if (size == 4) {
		set_reg(off, val);
		return;
	}
	old = get_reg(off);
	if (size == 1 && reg >= 4)
		set_reg(off, (old & ~0xFF00u) | ((val & 0xFF) << 8));
	else
		set_reg(off, (old & ~size_mask(size)) | (val & size_mask(size)));
}

/* Trap 14: a load or store in the device window. */
static void emulate_mmio(const struct lguest_pending *p)
{
	uint32_t eip = get_reg(REG_EIP), cs = get_reg(REG_CS), val = 0;
	uint8_t b[16] = { 0 };
	struct mmio_insn mi;
	bool write;

	memcpy(b, p->insn, sizeof(p->insn));
	if (!decode_mmio(b, &mi))
		goto reflect;
	/* Too long for the bytes the host gave us: find the rest. */
	if (mi.len > sizeof(p->insn) &&
	    (!fetch_insn(eip, p->insn, b) || !decode_mmio(b, &mi)))
		goto reflect;

	write = mi.kind == MOV_TO_MEM || mi.kind == MOV_IMM_TO_MEM;
	if (mi.kind == MOV_TO_MEM)
		val = read_gpr(mi.reg, mi.size);
	else if (mi.kind == MOV_IMM_TO_MEM)
		val = mi.imm;
	if (!mmio_access(p->addr, mi.size, &val, write))
		goto reflect;
	trace("mmio %s %u bytes at %#x: %#x", write ? "write" : "read",
	      mi.size, p->addr, val);
	if (!write) {
		val &= size_mask(mi.size);
		if (mi.kind == MOVSX && mi.size == 1)
			val = (uint32_t)(int32_t)(int8_t)val;
		else if (mi.kind == MOVSX)
			val = (uint32_t)(int32_t)(int16_t)val;
		write_gpr(mi.reg, mi.dsize, val);
	}
	set_reg(REG_EIP, eip + mi.len);
	return;
reflect:
	reflect_trap(p, eip, cs);
}

/*
 * The guest is dead: the host kept its reason.  LHCALL_SHUTDOWN reasons
 * come as "CRASH: <what the guest said>"; a clean power-off says
 * "Power down", a panic says what panicked.  Anything else is the host
 * killing a guest that broke the rules.
 */
static noreturn void guest_died(void)
{
	char reason[1024];
	const char *msg = reason;
	ssize_t r;

	r = pread(lguest_fd, reason, sizeof(reason) - 1, 0);
	if (r < 0)
		die(EXIT_CRASH, "guest died; its reason is lost: %s", strerror(errno));
	reason[r] = '\0';
	if (!strncmp(msg, "CRASH: ", 7))
		msg += 7;
	if (!strcmp(msg, "Power down")) {
		trace("the guest powered off");
		exit(EXIT_POWEROFF);
	}
	if (msg != reason)
		die(EXIT_CRASH, "guest panicked: %s", msg);
	die(EXIT_CRASH, "guest killed by the host: %s", msg);
}

static bool restart_exec;

static noreturn void guest_restart(void)
{
	if (!restart_exec) {
		warnx_("the guest asked to restart: exiting with status %d", EXIT_RESTART);
		exit(EXIT_RESTART);
	}
	trace("the guest asked to restart: starting again");
	console_restore_tty();
	/* Every fd we opened is close-on-exec; the threads die with exec. */
	execv("/proc/self/exe", saved_argv);
	execv(saved_argv[0], saved_argv);
	die(EXIT_CRASH, "restarting: cannot execute %s: %s", saved_argv[0], strerror(errno));
}

static noreturn void run_guest(void)
{
	for (;;) {
		struct lguest_pending p;
		ssize_t r = pread(lguest_fd, &p, sizeof(p), 0);

		if (r == sizeof(p)) {
			if (p.trap == 13)
				emulate_pio(&p);
			else if (p.trap == 14)
				emulate_mmio(&p);
			else
				die(EXIT_CRASH, "the host reported trap %u, which we do not know", p.trap);
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == ENOENT)
			guest_died();
		if (r < 0 && errno == ERESTART)
			guest_restart();
		die(EXIT_CRASH, "running the guest: %s",
		    r < 0 ? strerror(errno) : "short read from /dev/lguest");
	}
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: lguest [OPTIONS] MEM_MB KERNEL [KERNEL ARGS...]\n"
"\n"
"Runs KERNEL (an i386 vmlinux or bzImage built for lguest) as a guest with\n"
"MEM_MB MiB of memory (%u to %u) and a virtio console on our stdin and stdout.\n"
"The host must have lg.ko loaded (/dev/lguest).  The kernel arguments become\n"
"its command line.  Options come before MEM_MB, and take values as --opt=VALUE.\n"
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
}

static noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "lguest: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "; see lguest --help\n");
	exit(EXIT_SETUP);
}

/*
 * The value of option a if it is "name=VALUE"; NULL if a is another
 * option.  "name" or "name=" alone is a usage error that says what
 * value it takes.
 */
static const char *opt_value(const char *a, const char *name, const char *what)
{
	size_t n = strlen(name);
	char form[64];

	if (strncmp(a, name, n) || (a[n] && a[n] != '='))
		return NULL;
	if (a[n] == '=' && a[n + 1])
		return a + n + 1;
	snprintf(form, sizeof(form), "%s=%s", name, what);
	fprintf(stderr, "lguest: %s needs a value, as %s; see lguest --help\n", a, form);
	exit(EXIT_SETUP);
}

static uint32_t parse_mem(const char *s)
{
	unsigned long mb;
	size_t n = strspn(s, "0123456789");

	if (!n || s[n])
		usage_error("MEM_MB '%s' is not a whole number of MiB", s);
	mb = n > 6 ? MAX_MEM_MB + 1 : strtoul(s, NULL, 10);
	if (mb > MAX_MEM_MB)
		die(EXIT_SETUP, "MEM_MB %s is too large: the limit is %u MiB (guest memory and its device window must fit in this 32-bit launcher, below the host's switcher)",
		    s, MAX_MEM_MB);
	if (mb < MIN_MEM_MB)
		die(EXIT_SETUP, "MEM_MB %s is too small: give at least %u", s, MIN_MEM_MB);
	return mb << 20;
}

/* The kernel arguments, joined by spaces. */
static char *join_args(char **args, int n)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = calloc_or_die(len);
	for (i = 0; i < n; i++) {
		if (i)
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
}

static void open_lguest(void)
{
	lguest_fd = open("/dev/lguest", O_RDWR | O_CLOEXEC);
	if (lguest_fd >= 0)
		return;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		die(EXIT_SETUP, "/dev/lguest: %s; load the lg module (modprobe lg)",
		    strerror(errno));
	if (errno == EACCES || errno == EPERM)
		die(EXIT_SETUP, "/dev/lguest: %s; run lguest as root, or give this user access to /dev/lguest",
		    strerror(errno));
	die(EXIT_SETUP, "/dev/lguest: %s", strerror(errno));
}

/* A signal that ends us must not leave the terminal raw. */
static void fatal_signal(int sig)
{
	console_restore_tty();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The devices the options ask for, in the order given. */
struct device_arg {
	enum { DEV_BLOCK, DEV_NET, DEV_RNG } kind;
	const char *arg;
};

static void add_devices(const struct device_arg *d, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (d[i].kind == DEV_BLOCK)
			block_setup(d[i].arg);
		else if (d[i].kind == DEV_NET)
			net_setup(d[i].arg);
		else
			rng_setup();
	}
}

int main(int argc, char *argv[])
{
	struct boot_setup boot = { 0 };
	struct device_arg *devs;
	uint32_t req[5];
	int i, memarg, ndevs = 0;
	const char *v;

	saved_argv = argv;
	/* MEM_MB is the first argument that is not an option. */
	for (memarg = 1; memarg < argc && argv[memarg][0] == '-'; memarg++)
		;
	devs = calloc_or_die(sizeof(*devs) * memarg);
	for (i = 1; i < memarg; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = 1;
		} else if (!strncmp(a, "--initrd=", 9) && a[9]) {
			boot.initrd = a + 9;
		} else if (!strcmp(a, "--initrd") || !strcmp(a, "--initrd=")) {
			usage_error("%s needs a file, as --initrd=FILE", a);
		} else if (!strncmp(a, "--block=", 8) && a[8]) {
			devs[ndevs].kind = DEV_BLOCK;
			devs[ndevs++].arg = a + 8;
		} else if (!strcmp(a, "--block") || !strcmp(a, "--block=")) {
			usage_error("%s needs a disk image, as --block=FILE", a);
		} else if (!strncmp(a, "--tunnet=", 9) && a[9]) {
			devs[ndevs].kind = DEV_NET;
			devs[ndevs++].arg = a + 2;
		} else if (!strcmp(a, "--tunnet") || !strcmp(a, "--tunnet=")) {
			usage_error("%s needs the host end, as --tunnet=IPADDR[:MAC] or --tunnet=bridge:NAME[:MAC]", a);
		} else if (!strcmp(a, "--rng")) {
			devs[ndevs++].kind = DEV_RNG;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			version();
			return 0;
		} else if ((v = opt_value(a, "--user", "USER"))) {
			privs_user(v);
		} else if ((v = opt_value(a, "--group", "GROUP"))) {
			privs_group(v);
		} else if ((v = opt_value(a, "--chroot", "DIR"))) {
			privs_chroot(v);
		} else if (!strcmp(a, "--restart=exit")) {
			restart_exec = false;
		} else if (!strcmp(a, "--restart=exec")) {
			restart_exec = true;
		} else if (!strncmp(a, "--restart", 9)) {
			usage_error("%s: use --restart=exit or --restart=exec", a);
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	if (memarg >= argc)
		usage_error("%s", "no MEM_MB and KERNEL given");
	/* A re-executed launcher could not open /dev/lguest again. */
	if (restart_exec && privs_wanted())
		usage_error("%s", "--restart=exec cannot be used with --user, --group or --chroot (the restarted launcher could not reopen its files); use --restart=exit and restart it from a script");
	if (memarg + 1 >= argc)
		usage_error("%s", "no KERNEL given after MEM_MB");

	guest_ram = parse_mem(argv[memarg]);
	privs_resolve();
	boot.kernel = argv[memarg + 1];
	boot.cmdline = join_args(argv + memarg + 2, argc - memarg - 2);

	/* The devices' BARs sit above RAM and the gap. */
	devices_init(guest_ram + DEVICE_GAP);
	console_setup();
	add_devices(devs, ndevs);
	map_guest_memory(devices_end());
	load_guest(&boot);

	open_lguest();
	req[0] = LHREQ_INITIALIZE;
	req[1] = (uint32_t)(uintptr_t)guest_base;
	req[2] = guest_ram / PAGE_SIZE;
	req[3] = boot.entry;
	req[4] = devices_end() / PAGE_SIZE;
	if (pwrite(lguest_fd, req, sizeof(req), 0) < 0)
		die(EXIT_SETUP, "/dev/lguest: LHREQ_INITIALIZE: %s", strerror(errno));
	trace("guest: %u MiB at %p, devices up to %#x", guest_ram >> 20,
	      (void *)guest_base, devices_end());
	/* Every file is open, and the service threads are not started yet. */
	privs_drop();

	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, fatal_signal);
	signal(SIGHUP, fatal_signal);
	signal(SIGINT, fatal_signal);
	signal(SIGQUIT, fatal_signal);
	atexit(console_restore_tty);
	console_raw_tty();
	run_guest();
}
