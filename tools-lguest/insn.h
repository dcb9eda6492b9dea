/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 instructions the launcher emulates for the guest kernel, and
 * their decoder: port I/O (trap 13) and moves to and from the MMIO
 * window (trap 14).  Decoding only looks at bytes: it reads no register
 * and touches no device.
 */
#ifndef LGUEST_INSN_H
#define LGUEST_INSN_H

#include <stdbool.h>
#include <stdint.h>

/* The longest x86 instruction. */
#define INSN_MAX	15

/* in, out (8-bit port or %dx), or cli. */
struct pio_insn {
	bool cli;
	bool out;
	bool port_in_dx;
	uint8_t port;		/* unless port_in_dx */
	unsigned int size;	/* 1, 2 or 4 bytes */
	unsigned int len;	/* of the instruction */
};

enum mmio_kind {
	MOV_TO_MEM,	/* 88/89 (a2/a3): register to memory */
	MOV_IMM_TO_MEM,	/* c6/c7: immediate to memory */
	MOV_FROM_MEM,	/* 8a/8b (a0/a1): memory to register */
	MOVZX,		/* 0f b6/b7 */
	MOVSX,		/* 0f be/bf */
};

struct mmio_insn {
	enum mmio_kind kind;
	unsigned int len;	/* of the instruction */
	unsigned int size;	/* of the memory access */
	unsigned int dsize;	/* of the register written (reads) */
	unsigned int reg;	/* ModRM reg field: the register, x86 order */
	uint32_t imm;
};

/* b: the 7 bytes the host gives.  False if it is none of those. */
bool decode_pio(const uint8_t *b, struct pio_insn *pi);
/*
 * b holds INSN_MAX bytes, zero past what we know.  False if it is not a
 * move we emulate.  mi->len may exceed the bytes we knew: then fetch
 * the rest and decode again.
 */
bool decode_mmio(const uint8_t *b, struct mmio_insn *mi);

#endif
