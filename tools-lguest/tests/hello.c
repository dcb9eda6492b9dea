// SPDX-License-Identifier: GPL-2.0
/* The guest the tests wrap as a bzImage: it prints its command line. */
#include <asm/bootparam.h>
#include "guest.h"

void guest_main(void)
{
	struct boot_params *bp;

	asm("" : "=r" (bp) : "0" (0));
	console_find();
	puts_early("hello from a bzImage, cmdline: ");
	puts_early((const char *)bp->hdr.cmd_line_ptr);
	puts_early("\n");
}
