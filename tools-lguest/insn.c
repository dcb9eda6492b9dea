// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding the instructions the guest kernel traps on.
 *
 * The guest reaches its PCI configuration space with in and out (trap
 * 13) and its virtio registers with ordinary moves into the MMIO window
 * (trap 14).  We decode the few forms a compiler emits for those: 8-,
 * 16- and 32-bit moves between a register or an immediate and memory,
 * movzx and movsx, with any 32-bit addressing mode (the address itself
 * comes from the host, so we only need the length of the operand).
 */
#include <string.h>
#include "insn.h"

#define OPSIZE_PREFIX	0x66

bool decode_pio(const uint8_t *b, struct pio_insn *pi)
{
	unsigned int i = 0;
	uint8_t op;

	memset(pi, 0, sizeof(*pi));
	if (b[0] == 0xFA) {
		/* cli: the guest's real interrupt flag is ours anyway. */
		pi->cli = true;
		pi->len = 1;
		return true;
	}
	pi->size = 4;
	if (b[i] == OPSIZE_PREFIX) {
		pi->size = 2;
		i++;
	}
	op = b[i++];
	switch (op) {
	case 0xE4: case 0xE5: case 0xE6: case 0xE7:
		pi->port = b[i++];
		break;
	case 0xEC: case 0xED: case 0xEE: case 0xEF:
		pi->port_in_dx = true;
		break;
	default:
		return false;
	}
	/* Even opcodes move a byte; bit 1 says out. */
	if (!(op & 1))
		pi->size = 1;
	pi->out = op & 2;
	pi->len = i;
	return true;
}

/* The bytes of a ModRM operand (ModRM, SIB, displacement); 0 if none. */
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

static bool is_prefix(uint8_t b)
{
	/* The operand size, and segment overrides: the host has the address. */
	return b == OPSIZE_PREFIX || b == 0x26 || b == 0x2E || b == 0x36 ||
	       b == 0x3E || b == 0x64 || b == 0x65;
}

bool decode_mmio(const uint8_t *b, struct mmio_insn *mi)
{
	unsigned int i = 0, opsize = 4, m;
	uint8_t op;

	memset(mi, 0, sizeof(*mi));
	while (i < 4 && is_prefix(b[i])) {
		if (b[i] == OPSIZE_PREFIX)
			opsize = 2;
		i++;
	}
	op = b[i++];
	if (op >= 0xA0 && op <= 0xA3) {
		/* %al, %ax or %eax to or from a 32-bit absolute address */
		mi->kind = (op & 2) ? MOV_TO_MEM : MOV_FROM_MEM;
		mi->size = (op & 1) ? opsize : 1;
		mi->dsize = mi->size;
		mi->len = i + 4;
		return true;
	}
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
		/* c6 and c7 are moves only with reg 0. */
		if (mi->reg != 0)
			return false;
		memcpy(&mi->imm, b + i, mi->size);
		i += mi->size;
	}
	mi->len = i;
	return true;
}
