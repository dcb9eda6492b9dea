// SPDX-License-Identifier: GPL-2.0
/* lgrt: the start of every test guest, and what all of them use. */
#include "lgrt.h"

#define STACK_SIZE	16384
#define STR(x)		#x
#define XSTR(x)		STR(x)

/* Not static: only _start uses it, in asm the compiler does not read. */
uint8_t lgrt_stack[STACK_SIZE] __attribute__((aligned(16)));
struct lguest_data lguest_data;

/* First in the image (lgrt.lds): the host enters here. */
asm(".section .text.start, \"ax\"\n"
    ".globl _start\n"
    "_start:\n"
    "	movl $lgrt_stack + " XSTR(STACK_SIZE) ", %esp\n"
    "	call guest_start\n"
    "1:	jmp 1b\n"
    ".previous\n");

void lgrt_init_lguest_data(void)
{
	unsigned int i;

	/* Every slot of the asynchronous hypercall ring starts free. */
	for (i = 0; i < LHCALL_RING_SIZE; i++)
		lguest_data.hcall_status[i] = LHCALL_STATUS_FREE;
	lguest_data.syscall_vec = 0x80;
	lguest_data.kernel_address = 0xC0000000;
	lguest_data.irq_enabled = 0;
}

void lgrt_lguest_init(unsigned long paging)
{
	lgrt_init_lguest_data();
	hcall(LHCALL_LGUEST_INIT, (unsigned long)&lguest_data, paging, 0, 0);
}

void lgrt_shutdown(const char *why, unsigned long how)
{
	hcall(LHCALL_SHUTDOWN, (unsigned long)why, how, 0, 0);
	/* The host does not come back here; if it does, stay. */
	for (;;)
		;
}

void *memset(void *s, int c, unsigned long n)
{
	unsigned char *p = s;

	while (n--)
		*p++ = c;
	return s;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}
