// SPDX-License-Identifier: GPL-2.0
/* A driver that sets DRIVER_OK straight after reset: the launcher stops. */
#include "guest.h"

void guest_main(void)
{
	volatile uint8_t *status = (void *)(0x1100000 + 0x14);

	console_find();
	puts_early("breaking the virtio rules\n");
	*status = 0;
	*status = 4;
	puts_early("the launcher let it pass: wrong\n");
}
