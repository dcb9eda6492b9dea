// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzzing guest: a freestanding lguest guest (lgrt) that does random
 * operations, from a seed the launcher (lgfuzz) puts in struct
 * fuzz_shared: hypercalls with random and edge-case arguments, the
 * asynchronous ring, page-table entries and directories, GDT, TLS and IDT
 * entries and the segment loads that use them, privileged and odd
 * instructions, faults at many addresses, clock interrupts at random
 * moments.  Each fault it provokes is caught by a "fixup" (fuzz.h), so
 * the guest goes on; the host must do what the ABI says or kill it with a
 * reason.  In FUZZ_TAME mode it keeps to what the ABI allows (lgfuzz's
 * /dev/lguest fuzzer runs it), and a death is the host's fault.
 *
 * The checks it can make from inside (the ring is freed, a mapping reads
 * what the page holds, no fault where none was provoked) end in an
 * FUZZ_UCALL_ANOMALY ucall with the line, and a note in fuzz_shared.
 */
#include "lgrt.h"
#include "../../selftests/include/ucall.h"
#include "lgpt.h"
#include "../fuzz.h"

#define SH		((volatile struct fuzz_shared *)FUZZ_SHARED)
#define KERNEL_CS	0x61
#define KERNEL_DS	0x69
#define RAM_BYTES	(4u << 20)	/* lgfuzz gives every guest 4 MiB */
#define MMIO_PAGES	16
#define SCRATCH_VA	0x40000000u	/* 4 page tables' worth of it */
#define SCRATCH_PGD	(SCRATCH_VA >> PGD_SHIFT)
#define SCRATCH_TABLES	4

extern uint8_t lgrt_stack[];

/* A word of memory, read after every store before it. */
static inline uint32_t peek(uint32_t addr)
{
	uint32_t v;

	asm volatile("movl (%1), %0" : "=r" (v) : "r" (addr) : "memory");
	return v;
}

static inline void ucall(unsigned long code, unsigned long arg)
{
	asm volatile("outl %%eax, $0xf4" : : "a" (code), "b" (arg) : "memory");
}

/* xorshift64*: the same stream for the same seed, on any host. */
static uint64_t rng;

static uint32_t rand32(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static uint32_t below(uint32_t n)
{
	return n ? rand32() % n : 0;
}

/* True one time in n. */
static int one_in(uint32_t n)
{
	return below(n) == 0;
}

static int tame;
/* We broke our own tables: a fault may be ours, not the host's. */
#define corrupted	(SH->corrupted)
static uint32_t switcher;

static void note(const char *s)
{
	unsigned int i;

	for (i = 0; s[i] && i < sizeof(SH->note) - 1; i++)
		SH->note[i] = s[i];
	SH->note[i] = '\0';
}

/*
 * A check failed.  Not in the tame guest: lgfuzz's /dev/lguest fuzzer
 * changes its memory and sends it traps, so its checks tell nothing.
 */
#define ANOMALY(what)						\
	do {							\
		if (tame)					\
			break;					\
		note(what);					\
		ucall(FUZZ_UCALL_ANOMALY, __LINE__);		\
		lgrt_shutdown("fuzz: anomaly: " what,		\
			      LGUEST_SHUTDOWN_POWEROFF);	\
	} while (0)

/* A value from the places where bounds checks go wrong, or random. */
static uint32_t edge32(void)
{
	static const uint32_t table[] = {
		0, 1, 2, 3, 4, 7, 0xff, 0x100, 0xfff, 0x1000, 0x1001,
		RAM_BYTES - 4, RAM_BYTES - 1, RAM_BYTES, RAM_BYTES + 0x1000,
		RAM_BYTES + MMIO_PAGES * 0x1000, 0x7fffffff, 0x80000000,
		0xbfffffff, 0xc0000000, 0xfffff000, 0xfffffffc, 0xffffffff,
	};
	uint32_t n = sizeof(table) / sizeof(table[0]);
	uint32_t i = below(n + 6);

	if (i < n)
		return table[i];
	switch (i - n) {
	case 0:
		return switcher - 4 + below(8);
	case 1:
		return below(RAM_BYTES) & ~3u;
	case 2:
		return below(64);
	default:
		return rand32();
	}
}

/* Page tables: the first 4 MiB at 0, and the scratch window. */
static struct pt_dir dirs[3];
static pteval_t low_ptes[1024] __attribute__((aligned(4096)));
/* One array, so an index runs across the tables. */
static pteval_t scratch_ptes[SCRATCH_TABLES * 1024] __attribute__((aligned(4096)));
/* Pages the scratch window may map writable: nothing else lives there. */
#define SCRATCH_PAGES	16
static uint8_t scratch_data[SCRATCH_PAGES][4096] __attribute__((aligned(4096)));
static unsigned int cur_dir;

static void setup_dirs(void)
{
	unsigned int d, i;

	for (i = 0; i < 1024; i++)
		low_ptes[i] = (i << 12) | PTE_KERNEL;
	for (d = 0; d < 3; d++) {
		pt_map_tables(&dirs[d], 0, low_ptes, RAM_BYTES, PTE_KERNEL);
		for (i = 0; i < SCRATCH_TABLES; i++)
			dirs[d].pgd[SCRATCH_PGD + i] =
				(uint32_t)&scratch_ptes[i * 1024] | PTE_KERNEL;
	}
	pt_use(&dirs[0]);
}

/*
 * Fixups: a fault in [1:, 2:) resumes at 2:, on the same stack.  Through
 * %ss, the one data segment no probe leaves changed; %ds and %es are
 * ours again (%ss) before any C reads memory.
 */
#define ARM	"movl %%esp, %%ss:0x1000 + %c[fesp]\n\t"		\
		"movl $2f, %%ss:0x1000 + %c[fto]\n\t"		\
		"movl $1f, %%ss:0x1000 + %c[ffrom]\n\t"
#define DISARM	"2: movl %%ss:0x1000 + %c[fesp], %%esp\n\t"	\
		"movl $0, %%ss:0x1000 + %c[ffrom]\n\t"	\
		"pushl %%ss\n\tpopl %%ds\n\t"		\
		"pushl %%ss\n\tpopl %%es\n\t"
#define FIXOFF	[fesp] "i" (__builtin_offsetof(struct fuzz_shared, fix_esp)), \
		[fto] "i" (__builtin_offsetof(struct fuzz_shared, fix_to)),   \
		[ffrom] "i" (__builtin_offsetof(struct fuzz_shared, fix_from))

static int faulted(uint32_t before)
{
	return SH->faults != before;
}

static uint32_t probe_read(uint32_t addr)
{
	uint32_t v = 0xdeadbeef;

	asm volatile(ARM "1: movl (%[a]), %[v]\n\t" DISARM
		     : [v] "+r" (v) : [a] "r" (addr), FIXOFF : "memory");
	return v;
}

static void probe_write(uint32_t addr, uint32_t v)
{
	asm volatile(ARM "1: movl %[v], (%[a])\n\t" DISARM
		     : : [v] "r" (v), [a] "r" (addr), FIXOFF : "memory");
}

static void probe_call(uint32_t addr)
{
	asm volatile(ARM "1: call *%[a]\n\t" DISARM
		     : : [a] "r" (addr), FIXOFF
		     : "memory", "eax", "ecx", "edx");
}

/*
 * One instruction (or a few) under a fixup, with eax = a, ecx = b and
 * edx = c, which it may change (and ebx, esi and edi).
 */
#define PROBE(insn)							\
	asm volatile(ARM "1: " insn "\n\t" DISARM			\
		     : "+a" (a), "+c" (b), "+d" (c) : FIXOFF		\
		     : "memory", "cc", "ebx", "esi", "edi")

static uint16_t saved_ds, saved_es, saved_fs, saved_gs;

static void restore_segments(void)
{
	asm volatile("movw %0, %%ds; movw %1, %%es; movw %2, %%fs; movw %3, %%gs"
		     : : "r" (saved_ds), "r" (saved_es), "r" (saved_fs),
		       "r" (saved_gs) : "memory");
}

static void privileged(uint32_t which)
{
	uint32_t a = edge32(), b = edge32(), c = edge32();

	switch (which % 40) {
	case 0: PROBE("cli"); break;
	case 1: PROBE("sti"); break;
	case 2: PROBE("hlt"); break;
	case 3: PROBE("movl %%cr0, %%eax"); break;
	case 4: PROBE("movl %%eax, %%cr3"); break;
	case 5: PROBE("movl %%cr2, %%eax"); break;
	case 6: PROBE("movl %%eax, %%cr4"); break;
	case 7: PROBE("lgdt (%%eax)"); break;
	case 8: PROBE("lidt (%%eax)"); break;
	case 9: PROBE("ltr %%ax"); break;
	case 10: PROBE("lldt %%ax"); break;
	case 11: PROBE("wrmsr"); break;
	case 12: PROBE("rdmsr"); break;
	case 13: PROBE("rdpmc"); break;
	case 14: PROBE("invlpg (%%eax)"); break;
	case 15: PROBE("wbinvd"); break;
	case 16: PROBE("clts"); break;
	case 17: PROBE("movl %%eax, %%dr7"); break;
	case 18: PROBE("movl %%dr6, %%eax"); break;
	case 19: PROBE("inb $0x80, %%al"); break;
	case 20: PROBE("outb %%al, $0x80"); break;
	case 21: PROBE("inl (%%dx), %%eax"); break;
	case 22: PROBE("int3"); break;
	case 23: PROBE("ud2"); break;
	case 24: PROBE("xorl %%ecx, %%ecx; divl %%ecx"); break;
	case 25: PROBE("sysenter"); break;
	case 26: PROBE("syscall"); break;
	case 27:
		/* Not TF, DF, NT or AC: those would break this guest, not the host. */
		a &= ~0x44500u;
		PROBE("pushl %%eax; popfl");
		break;
	case 28: PROBE("rdtsc"); break;
	case 29: PROBE("cpuid"); break;
	case 30: PROBE("fninit; fldz; fstp %%st(0)"); break;
	case 31: PROBE("larl %%eax, %%ecx"); break;
	case 32: PROBE("lsll %%eax, %%ecx"); break;
	case 33: PROBE("verr %%ax; verw %%ax"); break;
	case 34: PROBE("movw %%ax, %%fs; movw %%cx, %%gs"); break;
	case 35: PROBE("movw %%ax, %%es; movw %%cx, %%ds"); break;
	case 36: PROBE("sgdt 0x1800; sidt 0x1800; sldt %%ax; str %%ax"); break;
	case 37: PROBE("into"); break;
	case 38: PROBE("invd"); break;
	default:
		/* The stack segment, and straight back. */
		PROBE("movw %%ss, %%cx; movw %%ax, %%ss; movw %%cx, %%ss");
		break;
	}
	restore_segments();
}

/* "int $n" for any n, under a fixup.  0x1f is the hypercall gate. */
static void soft_int(uint32_t n)
{
	static uint8_t code[16] __attribute__((aligned(16)));
	uint32_t a = edge32(), b = edge32(), c;

	/* int $n; ret: this n, in memory mapped at its physical address. */
	code[0] = 0xcd;
	code[1] = n;
	code[2] = 0xc3;
	c = (uint32_t)code;
	PROBE("call *%%edx");
}

/*
 * The handlers: one 16-byte stub per vector 0-63 and one for 0x80, each
 * pushing an error code (0 where the CPU pushes none) and its vector.
 */
struct frame {
	uint32_t edi, esi, ebp, esp0, ebx, edx, ecx, eax;
	uint32_t gs, fs, es, ds;
	uint32_t vector, err, eip, cs, eflags;
};

void trap_c(struct frame *f);
extern const uint8_t vec_base[];

asm(".text\n"
    ".altmacro\n"
    ".macro FUZZ_VEC n\n"
    "	.align 16\n"
    "	.if (\\n != 8) && (\\n != 10) && (\\n != 11) && (\\n != 12) && (\\n != 13) && (\\n != 14) && (\\n != 17)\n"
    "	pushl $0\n"
    "	.endif\n"
    "	pushl $\\n\n"
    "	jmp trap_common\n"
    ".endm\n"
    "	.align 16\n"
    ".globl vec_base\n"
    "vec_base:\n"
    ".set fuzz_i, 0\n"
    ".rept 64\n"
    "	FUZZ_VEC %fuzz_i\n"
    "	.set fuzz_i, fuzz_i + 1\n"
    ".endr\n"
    "	FUZZ_VEC 128\n"
    ".noaltmacro\n"
    /* A probe may have left any data segment loaded: ours for C. */
    "trap_common:\n"
    "	pushl %ds\n"
    "	pushl %es\n"
    "	pushl %fs\n"
    "	pushl %gs\n"
    "	pushal\n"
    "	movl $0x69, %eax\n"
    "	movw %ax, %ds\n"
    "	movw %ax, %es\n"
    "	pushl %esp\n"
    "	call trap_c\n"
    "	addl $4, %esp\n"
    "	popal\n"
    "	popl %gs\n"
    "	popl %fs\n"
    "	popl %es\n"
    "	popl %ds\n"
    "	addl $8, %esp\n"
    "	iret\n");

static uint32_t stub(uint32_t vector)
{
	return (uint32_t)vec_base + 16 * (vector == 0x80 ? 64 : vector);
}

static void set_gate(uint32_t vector, uint32_t handler, uint32_t type,
		     uint32_t dpl)
{
	hcall(LHCALL_LOAD_IDT_ENTRY, vector, (KERNEL_CS << 16) | (handler & 0xffff),
	      (handler & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8), 0);
}

/* Our gates, as interrupt (0xe) or trap (0xf) gates: both must work. */
static void install_gates(void)
{
	uint32_t v;

	for (v = 0; v < 64; v++)
		set_gate(v, stub(v), tame || below(2) ? 0xe : 0xf, v == 3 ? 3 : 0);
	set_gate(0x80, stub(0x80), 0xf, 3);
}

void trap_c(struct frame *f)
{
	if (f->vector >= 32 && f->vector != 0x80) {
		SH->irqs++;
		/* An interrupt gate turned them off; they come back on iret. */
		lguest_data.irq_enabled = 0x200;
		return;
	}
	if (SH->fix_from) {
		SH->faults++;
		f->eip = SH->fix_to;
		return;
	}
	SH->unexpected++;
	/*
	 * lgfuzz's /dev/lguest fuzzer sends this one traps (LHREQ_TRAP) at
	 * random: carry on; a real fault then comes back, as a stall.
	 */
	if (tame)
		return;
	if (corrupted)
		lgrt_shutdown("fuzz: a fault after the guest broke its own tables",
			      LGUEST_SHUTDOWN_POWEROFF);
	note("a fault no operation provoked");
	ucall(FUZZ_UCALL_ANOMALY, f->vector);
	lgrt_shutdown("fuzz: anomaly: unexpected fault", LGUEST_SHUTDOWN_POWEROFF);
}

/* The operations. */
enum {
	OP_HCALL,	/* any call number, edge-case arguments */
	OP_SHAPED,	/* a real call with arguments of its shape */
	OP_RING,	/* the asynchronous ring */
	OP_PTE,		/* a scratch PTE, then touch its page */
	OP_PGD,		/* a scratch directory entry */
	OP_GDT,		/* a GDT or TLS entry, then load it */
	OP_PRIV,	/* a privileged or odd instruction */
	OP_FAULT,	/* read, write or call at an address */
	OP_INT,		/* int $n */
	OP_DATA,	/* lguest_data's interrupt fields */
	OP_HALT,	/* the clock, then halt */
	OP_CORRUPT,	/* break our own tables */
	OP_COUNT,
};

/*
 * How often each is picked, per 1000, hostile and tame.  The operations
 * that may get a guest killed are rare (about one in a hundred in all),
 * so that a guest lives long enough for the rest to matter.
 */
static const uint16_t weight_hostile[OP_COUNT] = {
	[OP_HCALL] = 4, [OP_SHAPED] = 210, [OP_RING] = 80, [OP_PTE] = 170,
	[OP_PGD] = 40, [OP_GDT] = 90, [OP_PRIV] = 150, [OP_FAULT] = 150,
	[OP_INT] = 60, [OP_DATA] = 30, [OP_HALT] = 15, [OP_CORRUPT] = 1,
};
static const uint16_t weight_tame[OP_COUNT] = {
	[OP_SHAPED] = 300, [OP_RING] = 100, [OP_PTE] = 200, [OP_PRIV] = 150,
	[OP_FAULT] = 150, [OP_DATA] = 50, [OP_HALT] = 50,
};

static void begin(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2,
		  uint32_t a3, int may_kill)
{
	SH->op = op;
	SH->arg[0] = a0;
	SH->arg[1] = a1;
	SH->arg[2] = a2;
	SH->arg[3] = a3;
	SH->may_kill = may_kill;
	SH->hist[SH->nhist % FUZZ_HIST][0] = op;
	SH->hist[SH->nhist % FUZZ_HIST][1] = a0;
	SH->hist[SH->nhist % FUZZ_HIST][2] = a1;
	SH->nhist++;
}

/* A descriptor: mostly code or data below the switcher, sometimes not. */
static void random_desc(uint32_t *lo, uint32_t *hi, int valid)
{
	uint32_t base = valid ? below(RAM_BYTES) : edge32();
	uint32_t limit = valid ? below(0x100000) : rand32() & 0xfffff;
	uint32_t type = valid ? (below(2) ? 0x3 : 0xb) : below(16);
	uint32_t s = valid ? 1 : below(2), dpl = valid ? 1 + below(3) : below(4);
	uint32_t p = valid ? 1 : below(4) != 0;
	uint32_t flags = valid ? 0xc : below(16);

	*lo = (base << 16) | (limit & 0xffff);
	*hi = (base & 0xff000000) | ((base >> 16) & 0xff) | (type << 8) |
	      (s << 12) | (dpl << 13) | (p << 15) | (limit & 0xf0000) |
	      (flags << 20);
}

/* A GDT index we do not run on (12 and 13 are our cs and ss). */
static uint32_t spare_gdt(void)
{
	uint32_t i;

	do
		i = 1 + below(31);
	while (i == 12 || i == 13);
	return i;
}

static uint32_t tls[6] __attribute__((aligned(8)));
static uint32_t clock_ns(void)
{
	static const uint32_t t[] = { 0, 1, 1000, 50000, 1000000, 0xffffffff };

	return one_in(2) ? t[below(6)] : below(2000000);
}

/* A call the host takes, with arguments of its shape. */
static void shaped(void)
{
	uint32_t lo, hi, i, v;

	switch (tame || !one_in(100) ? below(11) : 11 + below(2)) {
	case 0:
		begin(OP_SHAPED, LHCALL_FLUSH_ASYNC, 0, 0, 0, 0);
		hcall(LHCALL_FLUSH_ASYNC, 0, 0, 0, 0);
		break;
	case 1:
		v = below(2);
		begin(OP_SHAPED, LHCALL_FLUSH_TLB, v, 0, 0, 0);
		hcall(LHCALL_FLUSH_TLB, v, 0, 0, 0);
		break;
	case 2:
		begin(OP_SHAPED, LHCALL_TS, 0, 0, 0, 0);
		hcall(below(2) ? LHCALL_TS : LHCALL_SEND_INTERRUPTS, 0, 0, 0, 0);
		break;
	case 3:
		v = clock_ns();
		begin(OP_SHAPED, LHCALL_SET_CLOCKEVENT, v, 0, 0, 0);
		hcall(LHCALL_SET_CLOCKEVENT, v, 0, 0, 0);
		break;
	case 4:
		/* Not-present gates for vectors nobody raises. */
		v = 48 + below(16);
		begin(OP_SHAPED, LHCALL_LOAD_IDT_ENTRY, v, 0, 0, 0);
		if (below(2))
			hcall(LHCALL_LOAD_IDT_ENTRY, v, 0, 0, 0);
		else
			set_gate(v, stub(v), 0xe + below(2), below(4));
		break;
	case 5:
		i = tame ? 16 + below(10) : spare_gdt();
		random_desc(&lo, &hi, 1);
		begin(OP_SHAPED, LHCALL_LOAD_GDT_ENTRY, i, lo, hi, 0);
		hcall(LHCALL_LOAD_GDT_ENTRY, i, lo, hi, 0);
		break;
	case 6:
		for (i = 0; i < 3; i++)
			random_desc(&tls[2 * i], &tls[2 * i + 1], 1);
		begin(OP_SHAPED, LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
		hcall(LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
		break;
	case 7:
		i = below(SCRATCH_TABLES * 1024);
		v = below(2) ? ((uint32_t)scratch_data[below(SCRATCH_PAGES)] | PTE_KERNEL) :
		    (((RAM_BYTES >> 12) + below(MMIO_PAGES)) << 12) | PTE_KERNEL;
		if (one_in(4))
			v = 0;
		scratch_ptes[i] = v;
		begin(OP_SHAPED, LHCALL_SET_PTE, i, v, 0, 0);
		pt_set_pte(&dirs[cur_dir], SCRATCH_VA + (i << 12), v);
		break;
	case 8:
		i = SCRATCH_PGD + below(SCRATCH_TABLES);
		begin(OP_SHAPED, LHCALL_SET_PGD, i, 0, 0, 0);
		hcall(LHCALL_SET_PGD, pt_top(&dirs[cur_dir]), i, 0, 0);
		break;
	case 9:
		cur_dir = below(3);
		begin(OP_SHAPED, LHCALL_NEW_PGTABLE, cur_dir, 0, 0, 0);
		pt_use(&dirs[cur_dir]);
		break;
	case 10:
		begin(OP_SHAPED, LHCALL_SET_STACK, 0, 0, 0, 0);
		hcall(LHCALL_SET_STACK, KERNEL_DS, (uint32_t)lgrt_stack + 16384,
		      below(3), 0);
		break;
	case 11:
		/* A stack the host may refuse, with a reason. */
		begin(OP_SHAPED, LHCALL_SET_STACK, 1, 0, 0, 1);
		hcall(LHCALL_SET_STACK, below(2) ? KERNEL_DS : edge32(), edge32(),
		      below(5), 0);
		break;
	default:
		/* A shutdown, or a restart: both end this guest. */
		v = below(2) ? LGUEST_SHUTDOWN_RESTART : edge32();
		begin(OP_SHAPED, LHCALL_SHUTDOWN, v, 0, 0, 1);
		hcall(LHCALL_SHUTDOWN, below(2) ? (uint32_t)"fuzz: a shutdown" : edge32(),
		      v, 0, 0);
		break;
	}
}

/* A call number and arguments from anywhere: it may kill, or break us. */
static void any_hcall(void)
{
	uint32_t nr, a1 = edge32(), a2 = edge32(), a3 = edge32(), a4 = edge32();

	switch (below(3)) {
	case 0:
		nr = below(21);
		break;
	case 1:
		nr = 21 + below(20);
		break;
	default:
		nr = edge32();
		break;
	}
	/* Halting with every line masked would only wait for the launcher. */
	if (nr == LHCALL_HALT)
		lguest_data.blocked_interrupts[0] = 0;
	begin(OP_HCALL, nr, a1, a2, a3, 1);
	if (nr != LHCALL_FLUSH_ASYNC && nr != LHCALL_TS && nr != LHCALL_HALT &&
	    nr != LHCALL_SET_CLOCKEVENT && nr != LHCALL_SEND_INTERRUPTS &&
	    nr != LHCALL_FLUSH_TLB)
		corrupted = 1;
	hcall(nr, a1, a2, a3, a4);
}

static uint32_t ring_next;

/* Queue calls in the ring, then make any call: the host runs them first. */
static void ring(void)
{
	uint32_t n = 1 + below(LHCALL_RING_SIZE), i, slot, lo, hi;
	int wild = !tame && one_in(40);

	begin(OP_RING, ring_next, n, wild, 0, wild);
	for (i = 0; i < n; i++) {
		struct lguest_hcall_args *c;

		slot = (ring_next + i) % LHCALL_RING_SIZE;
		c = &lguest_data.hcalls[slot];
		c->arg1 = c->arg2 = c->arg3 = c->arg4 = 0;
		switch (below(wild ? 8 : 7)) {
		case 0:
			c->arg0 = LHCALL_FLUSH_TLB;
			c->arg1 = below(2);
			break;
		case 1:
			c->arg0 = LHCALL_SET_CLOCKEVENT;
			c->arg1 = clock_ns();
			break;
		case 2:
			c->arg0 = LHCALL_LOAD_IDT_ENTRY;
			c->arg1 = 48 + below(16);
			break;
		case 3:
			c->arg0 = LHCALL_SET_PTE;
			c->arg1 = pt_top(&dirs[cur_dir]);
			c->arg2 = SCRATCH_VA + (below(1024) << 12);
			c->arg3 = 0;
			scratch_ptes[(c->arg2 >> 12) & 1023] = 0;
			break;
		case 4:
			c->arg0 = LHCALL_SET_PGD;
			c->arg1 = pt_top(&dirs[cur_dir]);
			c->arg2 = SCRATCH_PGD + below(SCRATCH_TABLES);
			break;
		case 5:
			random_desc(&lo, &hi, 1);
			c->arg0 = LHCALL_LOAD_GDT_ENTRY;
			c->arg1 = tame ? 16 + below(10) : spare_gdt();
			c->arg2 = lo;
			c->arg3 = hi;
			break;
		case 6:
			c->arg0 = below(2) ? LHCALL_TS : LHCALL_SEND_INTERRUPTS;
			break;
		default:
			c->arg0 = below(25);
			c->arg1 = edge32();
			c->arg2 = edge32();
			c->arg3 = edge32();
			c->arg4 = edge32();
			corrupted = 1;
			break;
		}
	}
	/* Statuses last, as a guest must: anything but FREE is queued. */
	for (i = 0; i < n; i++) {
		slot = (ring_next + i) % LHCALL_RING_SIZE;
		lguest_data.hcall_status[slot] = wild && one_in(2) ?
			below(LHCALL_STATUS_FREE) : LHCALL_STATUS_QUEUED;
	}
	asm volatile("" : : : "memory");
	hcall(below(2) ? LHCALL_FLUSH_ASYNC : LHCALL_TS, 0, 0, 0, 0);
	/* They all ran, and every slot is free again. */
	for (i = 0; i < n && !wild; i++) {
		slot = (ring_next + i) % LHCALL_RING_SIZE;
		if (lguest_data.hcall_status[slot] != LHCALL_STATUS_FREE)
			ANOMALY("a queued hypercall was not run and freed");
	}
	ring_next = (ring_next + n) % LHCALL_RING_SIZE;
}

/* Tell the host about a changed scratch PTE, in one of the ways a guest can. */
static void publish_pte(uint32_t va, uint32_t pte)
{
	switch (below(3)) {
	case 0:
		pt_set_pte(&dirs[cur_dir], va, pte);
		break;
	case 1:
		hcall(LHCALL_FLUSH_TLB, 0, 0, 0, 0);
		break;
	default:
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
		break;
	}
}

static void pte_op(void)
{
	uint32_t i = below(SCRATCH_TABLES * 1024), va = SCRATCH_VA + (i << 12);
	uint32_t kind = tame || !one_in(60) ? below(3) : 3 + below(2);
	uint32_t page, pte, before, v, x;
	int may_kill = 0;

	page = below(SCRATCH_PAGES);
	switch (kind) {
	case 0:		/* a scratch page, writable or not */
		pte = (uint32_t)scratch_data[page] | PTE_PRESENT |
		      (below(2) ? PTE_RW : 0) | (below(2) ? PTE_ACCESSED : 0) |
		      (below(2) ? PTE_DIRTY : 0);
		break;
	case 1:		/* the MMIO window: the launcher's */
		pte = (((RAM_BYTES >> 12) + below(MMIO_PAGES)) << 12) | PTE_KERNEL;
		break;
	case 2:		/* not present, with or without junk */
		pte = below(2) ? 0 : rand32() & ~PTE_PRESENT;
		break;
	case 3:		/* a big page, PAT, reserved bits: the host says no */
		pte = (uint32_t)scratch_data[page] | PTE_KERNEL |
		      (below(2) ? PTE_PSE : 0x1000 * below(2));
		may_kill = 1;
		break;
	default:	/* anything: beyond RAM and the window, or our code */
		pte = rand32() | PTE_PRESENT;
		may_kill = 1;
		break;
	}
	begin(OP_PTE, va, pte, kind, 0, may_kill);
	scratch_ptes[i] = pte;
	publish_pte(va, pte);

	before = SH->faults;
	if (kind == 0 && (pte & PTE_RW)) {
		x = rand32();
		probe_write(va, x);
		if (faulted(before))
			ANOMALY("a write through a writable PTE faulted");
		if (peek((uint32_t)scratch_data[page]) != x)
			ANOMALY("a write through a PTE went elsewhere");
		v = scratch_ptes[i];
		if (!(v & PTE_DIRTY))
			ANOMALY("a write left the PTE without dirty");
		if (!(v & PTE_ACCESSED))
			ANOMALY("a write left the PTE without accessed");
	} else if (kind == 0) {
		x = peek((uint32_t)scratch_data[page]);
		v = probe_read(va);
		if (faulted(before) || v != x)
			ANOMALY("a read through a PTE faulted or read elsewhere");
		/* Dirty or not, as a CPU does (a dirty one once was not). */
		if (!(scratch_ptes[i] & PTE_ACCESSED))
			ANOMALY("a read left the PTE without accessed");
		/* A read-only page stays so. */
		before = SH->faults;
		probe_write(va, ~x);
		if (!faulted(before) || peek((uint32_t)scratch_data[page]) != x)
			ANOMALY("a write through a read-only PTE went through");
	} else if (kind == 2) {
		probe_read(va);
		if (!faulted(before))
			ANOMALY("a read through a non-present PTE did not fault");
	} else if (kind == 1) {
		probe_read(va);
		if (!faulted(before))
			ANOMALY("an MMIO read did not come back to the launcher");
	} else {
		probe_read(va);
		if (kind == 4)
			corrupted = 1;	/* it may map our own code writable */
	}
}

/* A scratch directory entry: junk, a big page, or not present; then back. */
static void pgd_op(void)
{
	uint32_t t = below(SCRATCH_TABLES), idx = SCRATCH_PGD + t;
	uint32_t table = (uint32_t)&scratch_ptes[t * 1024];
	uint32_t good = table | PTE_KERNEL, e;
	uint32_t kind = one_in(30) ? 2 + below(2) : below(2);

	if (kind == 0)
		e = 0;
	else if (kind == 1)
		e = below(2) ? table | PTE_PRESENT | PTE_RW :
		    good | PTE_USER;
	else if (kind == 2)
		e = PTE_PSE | PTE_KERNEL | (below(2) ? 0 : 0x400000);
	else
		e = rand32();
	begin(OP_PGD, idx, e, kind, 0, kind >= 2);
	dirs[cur_dir].pgd[idx] = e;
	if (below(2))
		hcall(LHCALL_SET_PGD, pt_top(&dirs[cur_dir]), idx, 0, 0);
	else
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
	probe_read(SCRATCH_VA + (t << PGD_SHIFT) + (below(1024) << 12));
	dirs[cur_dir].pgd[idx] = good;
	hcall(LHCALL_SET_PGD, pt_top(&dirs[cur_dir]), idx, 0, 0);
}

/* A GDT entry (or the TLS ones), then segment registers loaded from it. */
static void gdt_op(void)
{
	uint32_t lo, hi, i, sel, a, b, c;
	int valid = tame || !one_in(40), ours = !tame && one_in(200);

	i = ours ? 12 + below(2) : spare_gdt();
	random_desc(&lo, &hi, valid);
	begin(OP_GDT, i, lo, hi, 0, !valid || ours);
	if (ours)
		corrupted = 1;
	if (one_in(4)) {
		for (c = 0; c < 3; c++)
			random_desc(&tls[2 * c], &tls[2 * c + 1], valid);
		hcall(LHCALL_LOAD_TLS, (uint32_t)tls, 0, 0, 0);
		i = 6 + below(3);
	} else {
		hcall(LHCALL_LOAD_GDT_ENTRY, i, lo, hi, 0);
	}
	sel = (i << 3) | below(4) | (one_in(8) ? 4 : 0);
	a = sel;
	b = below(2) ? sel : KERNEL_DS;
	c = 0;
	if (below(2))
		PROBE("movw %%ax, %%fs; movw %%cx, %%gs; movl %%fs:0, %%edx");
	else
		PROBE("movw %%ax, %%es; movw %%cx, %%ds");
	restore_segments();
}

static uint32_t fault_addr(void)
{
	static const uint32_t t[] = {
		0, 0xffc, 0xffe, RAM_BYTES - 4, RAM_BYTES - 2, RAM_BYTES,
		RAM_BYTES + 0x1000, RAM_BYTES + MMIO_PAGES * 0x1000,
		0x3ffffffc, 0x7ffffffe, 0x80000000, 0xbffffffc, 0xc0000000,
		0xfffffffc, 0xfffffffe,
	};
	uint32_t n = sizeof(t) / sizeof(t[0]), i = below(n + 4);

	if (i < n)
		return t[i];
	switch (i - n) {
	case 0:
		return switcher + below(0x4000);
	case 1:
		return switcher - 4 + below(8);
	case 2:
		return SCRATCH_VA + below(SCRATCH_TABLES << PGD_SHIFT);
	default:
		return rand32();
	}
}

/* Inside guest RAM (0 to RAM_BYTES, mapped at 0) or the scratch window? */
static int ours(uint32_t a)
{
	return a < RAM_BYTES || (a >= SCRATCH_VA - 4 &&
				 a < SCRATCH_VA + (SCRATCH_TABLES << PGD_SHIFT));
}

/*
 * The switcher's pages are mapped at the top, read-only to the guest
 * except its own register page, and segment limits keep the guest out of
 * all of them on a CPU that checks limits; QEMU's TCG does not.  So
 * there, and only read and write: calling into the host's code in ring 1
 * under TCG tells nothing about a real CPU.
 */
static int switcher_page(uint32_t a)
{
	return a + 4 > switcher - 4;
}

static void fault_op(void)
{
	uint32_t a = fault_addr(), how = below(3), before = SH->faults, v;

	begin(OP_FAULT, a, how, 0, 0, 0);
	if (how == 0 || (how != 1 && switcher_page(a)) || ours(a)) {
		probe_read(a);
		/* All of RAM is mapped at 0: reading it never faults. */
		if (a <= RAM_BYTES - 4 && faulted(before) && !corrupted)
			ANOMALY("a read of mapped RAM faulted");
		/* Nothing else is, but the scratch window and the switcher. */
		if (!ours(a) && !switcher_page(a) && !faulted(before) && !corrupted)
			ANOMALY("a read outside the guest's mappings went through");
	} else if (how == 1) {
		v = probe_read(a);
		before = SH->faults;
		probe_write(a, ~v);
		if (!faulted(before) && !corrupted && !switcher_page(a))
			ANOMALY("a write outside the guest's mappings went through");
	} else {
		probe_call(a);
		if (!faulted(before) && !corrupted)
			ANOMALY("a call outside the guest's mappings returned");
	}
}

static void data_op(void)
{
	static const uint32_t en[] = { 0, 0x200, 0xffffffff, 0x1 };
	uint32_t e = en[below(4)], m = one_in(2) ? 0 : rand32();

	begin(OP_DATA, e, m, 0, 0, 0);
	lguest_data.irq_enabled = e;
	lguest_data.blocked_interrupts[0] = m;
	lguest_data.irq_pending = rand32();
	if (below(2))
		hcall(LHCALL_SEND_INTERRUPTS, 0, 0, 0, 0);
	if (tame || one_in(2)) {
		lguest_data.blocked_interrupts[0] = 0;
		lguest_data.irq_enabled = 0x200;
	}
}

static void halt_op(void)
{
	uint32_t ns = 1000 + below(200000);

	begin(OP_HALT, ns, 0, 0, 0, 0);
	lguest_data.blocked_interrupts[0] &= ~1u;
	hcall(LHCALL_SET_CLOCKEVENT, ns, 0, 0, 0);
	hcall(LHCALL_HALT, 0, 0, 0, 0);
}

/* Break something of our own: the host must still only kill us. */
static void corrupt_op(void)
{
	uint32_t k = below(5), x = rand32(), a, b, c;

	begin(OP_CORRUPT, k, x, 0, 0, 1);
	corrupted = 1;
	switch (k) {
	case 0:
		low_ptes[below(1024)] = x;
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
		break;
	case 1:
		hcall(LHCALL_LOAD_IDT_ENTRY, below(256), x, rand32(), 0);
		break;
	case 2:
		/* A fault with the stack anywhere. */
		a = 0;
		b = x;
		c = 0;
		PROBE("movl %%ecx, %%esp; ud2");
		break;
	case 3:
		hcall(LHCALL_NEW_PGTABLE, below(2) ? x : x & ~0xfffu, 0, 0, 0);
		break;
	default:
		dirs[cur_dir].pgd[below(1024)] = x;
		hcall(LHCALL_FLUSH_TLB, 1, 0, 0, 0);
		break;
	}
}

static uint32_t pick(void)
{
	const uint16_t *w = tame ? weight_tame : weight_hostile;
	uint32_t r = below(1000), op;

	for (op = 0; op < OP_COUNT; op++) {
		if (r < w[op])
			return op;
		r -= w[op];
	}
	return OP_SHAPED;
}

void guest_start(void)
{
	uint32_t n;

	if (SH->magic != FUZZ_MAGIC)
		lgrt_shutdown("fuzz: no parameters at 0x1000", LGUEST_SHUTDOWN_POWEROFF);
	rng = ((uint64_t)SH->seed_hi << 32 | SH->seed_lo) ?: 1;
	tame = SH->mode == FUZZ_TAME;
	lgrt_lguest_init(GUEST_PAGING);
	switcher = -lguest_data.reserve_mem;
	install_gates();
	asm volatile("movw %%ds, %0; movw %%es, %1; movw %%fs, %2; movw %%gs, %3"
		     : "=m" (saved_ds), "=m" (saved_es), "=m" (saved_fs),
		       "=m" (saved_gs));
	lguest_data.blocked_interrupts[0] = 0;
	lguest_data.irq_enabled = 0x200;
	setup_dirs();

	for (n = 0; !SH->max_ops || n < SH->max_ops; n++) {
		switch (pick()) {
		case OP_HCALL: any_hcall(); break;
		case OP_SHAPED: shaped(); break;
		case OP_RING: ring(); break;
		case OP_PTE: pte_op(); break;
		case OP_PGD: pgd_op(); break;
		case OP_GDT: gdt_op(); break;
		case OP_PRIV:
			begin(OP_PRIV, 0, 0, 0, 0, 0);
			SH->arg[0] = below(40);
			privileged(SH->arg[0]);
			break;
		case OP_FAULT: fault_op(); break;
		case OP_INT:
			SH->arg[0] = below(256);
			begin(OP_INT, SH->arg[0], 0, 0, 0, SH->arg[0] == LGUEST_TRAP_ENTRY);
			if (SH->arg[0] == LGUEST_TRAP_ENTRY)
				corrupted = 1;
			soft_int(SH->arg[0]);
			break;
		case OP_DATA: data_op(); break;
		case OP_HALT: halt_op(); break;
		default: corrupt_op(); break;
		}
		SH->done = n + 1;
		if (!(n & 63))
			ucall(FUZZ_UCALL_PROGRESS, n + 1);
	}
	ucall(FUZZ_UCALL_FINISHED, n);
	lgrt_shutdown("fuzz: done", LGUEST_SHUTDOWN_POWEROFF);
}
