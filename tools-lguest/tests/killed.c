// SPDX-License-Identifier: GPL-2.0
/* A guest the host kills: hypercall 3 (the old LOAD_GDT) is no more. */
#include "guest.h"

void guest_main(void)
{
	console_find();
	puts_early("making a bad hypercall\n");
	hcall(3, 0, 0, 0, 0);
	puts_early("the host let it pass: wrong\n");
}
