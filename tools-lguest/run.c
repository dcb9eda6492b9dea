// SPDX-License-Identifier: GPL-2.0
/*
 * Running the guest.
 *
 * Each lguest_run() runs the guest until it does something only we can
 * do: port I/O (trap 13: the guest's PCI configuration accesses) or a
 * touch of the device window above its RAM (trap 14: the virtio
 * registers).  We decode that instruction (insn.c), do what it asked,
 * step the guest's eip past it and go round again.  The guest's death
 * ends the loop: its reason says how we exit.
 */
#include <asm/processor-flags.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "device.h"
#include "insn.h"
#include "lhreq.h"
#include "pagewalk.h"
#include "run.h"
#include "util.h"

/* The general registers in x86 encoding order (ModRM reg field). */
static const unsigned int gpr_offset[8] = {
	LGUEST_REG_EAX, LGUEST_REG_ECX, LGUEST_REG_EDX, LGUEST_REG_EBX,
	LGUEST_REG_ESP, LGUEST_REG_EBP, LGUEST_REG_ESI, LGUEST_REG_EDI,
};

static const char *insn_hex(const uint8_t *insn, unsigned int n)
{
	static char buf[3 * INSN_MAX + 1];
	unsigned int i;

	for (i = 0; i < n && i < INSN_MAX; i++)
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
	if ((cs & 3) == 1)
		warnx_("cannot emulate the instruction at eip %#x (%s, trap %u, address %#x); passing the trap to the guest",
		       eip, insn_hex(p->insn, sizeof(p->insn)), p->trap, p->addr);
	else
		trace("trap %u from guest user space at %#x: passed to the guest", p->trap, eip);
	if (!lguest_trap(p->trap))
		die(EXIT_CRASH, "guest died: trap %u at eip %#x and the guest has no handler for it (%s)",
		    p->trap, eip, strerror(errno));
}

/* Read the register an instruction names, at its width. */
static uint32_t read_gpr(unsigned int reg, unsigned int size)
{
	if (size == 1 && reg >= 4)	/* %ah, %ch, %dh, %bh */
		return (lguest_get_reg(gpr_offset[reg - 4]) >> 8) & 0xFF;
	return lguest_get_reg(gpr_offset[reg]) & size_mask(size);
}

static void write_gpr(unsigned int reg, unsigned int size, uint32_t val)
{
	unsigned int off = gpr_offset[size == 1 && reg >= 4 ? reg - 4 : reg];
	uint32_t old;

	if (size == 4) {
		lguest_set_reg(off, val);
		return;
	}
	old = lguest_get_reg(off);
	if (size == 1 && reg >= 4)
		lguest_set_reg(off, (old & ~0xFF00u) | ((val & 0xFF) << 8));
	else
		lguest_set_reg(off, (old & ~size_mask(size)) | (val & size_mask(size)));
}

/* Trap 13: port I/O or a cli, from the guest kernel. */
static void emulate_pio(const struct lguest_pending *p)
{
	uint32_t cs = lguest_get_reg(LGUEST_REG_CS);
	uint32_t eip = lguest_get_reg(LGUEST_REG_EIP);
	struct pio_insn pi;
	unsigned int port;

	if ((cs & 3) != 1 || !decode_pio(p->insn, &pi)) {
		reflect_trap(p, eip, cs);
		return;
	}
	if (!pi.cli) {
		port = pi.port_in_dx ? read_gpr(2, 2) : pi.port;
		if (pi.out) {
			pio_write(port, pi.size, read_gpr(0, pi.size));
		} else {
			uint32_t val = pio_read(port, pi.size) & size_mask(pi.size);

			write_gpr(0, pi.size, val);
			trace("in%c %#x = %#x", "bwl"[pi.size / 2], port, val);
		}
	}
	lguest_set_reg(LGUEST_REG_EIP, eip + pi.len);
}

/*
 * The host gives us 7 bytes of the instruction; a long one (a SIB byte,
 * a 32-bit displacement and an immediate) needs more.  Read all len bytes
 * where the guest's CPU read them, through the guest's own page tables
 * (what lg.ko tells of its CR0, CR3 and CR4); they must begin with the
 * bytes the host gave, or the guest changed them under us.
 */
static bool fetch_insn(uint32_t eip, const uint8_t *have, size_t have_len,
		       uint8_t *b, size_t len)
{
	struct guest_paging pg = {
		.enabled = lguest_get_reg(LGUEST_REG_CR0) & X86_CR0_PG,
		.pae = lguest_get_reg(LGUEST_REG_CR4) & X86_CR4_PAE,
		.cr3 = lguest_get_reg(LGUEST_REG_CR3),
	};

	if (guest_read_virt(&pg, eip, b, len) < len) {
		trace("mmio: the guest has no mapping for all %zu bytes of the instruction at %#x",
		      len, eip);
		return false;
	}
	return !memcmp(b, have, have_len);
}

/* Trap 14: a load or store in the device window. */
static void emulate_mmio(const struct lguest_pending *p)
{
	uint32_t eip = lguest_get_reg(LGUEST_REG_EIP);
	uint32_t cs = lguest_get_reg(LGUEST_REG_CS);
	uint8_t b[INSN_MAX] = { 0 };
	struct mmio_insn mi;
	uint32_t val = 0;
	bool write;

	memcpy(b, p->insn, sizeof(p->insn));
	if (!decode_mmio(b, &mi))
		goto reflect;
	/* Too long for the bytes the host gave us: find the rest. */
	if (mi.len > sizeof(p->insn) &&
	    (!fetch_insn(eip, p->insn, sizeof(p->insn), b, mi.len) ||
	     !decode_mmio(b, &mi)))
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
	lguest_set_reg(LGUEST_REG_EIP, eip + mi.len);
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

	r = lguest_death_reason(reason, sizeof(reason) - 1);
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

static noreturn void guest_restart(bool restart_exec, char **argv)
{
	if (!restart_exec) {
		warnx_("the guest asked to restart: exiting with status %d", EXIT_RESTART);
		exit(EXIT_RESTART);
	}
	trace("the guest asked to restart: starting again");
	console_restore_tty();
	/* Every fd we opened is close-on-exec; the threads die with exec. */
	execv("/proc/self/exe", argv);
	execv(argv[0], argv);
	die(EXIT_CRASH, "restarting: cannot execute %s: %s", argv[0], strerror(errno));
}

noreturn void run_guest(bool restart_exec, char **argv)
{
	struct lguest_pending p;

	for (;;) {
		if (lguest_run(&p)) {
			if (p.trap == 13)
				emulate_pio(&p);
			else if (p.trap == 14)
				emulate_mmio(&p);
			else
				die(EXIT_CRASH, "the host reported trap %u, which we do not know", p.trap);
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == ENOENT)
			guest_died();
		if (errno == ERESTART)
			guest_restart(restart_exec, argv);
		die(EXIT_CRASH, "running the guest: %s",
		    errno == EPROTO ? "a short read from /dev/lguest" : strerror(errno));
	}
}
