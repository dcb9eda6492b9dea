// SPDX-License-Identifier: GPL-2.0
/* A guest that never stops by itself: the test kills its launcher. */
#include "guest.h"

void guest_main(void)
{
	guest_init();
	GUEST_REPORT(0);
	for (;;)
		;
}
