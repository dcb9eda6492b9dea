// SPDX-License-Identifier: GPL-2.0
/*
 * For tests/45-harness.sh: lose one allocation when loaded, so that the
 * debug host's kmemleak has something to report.
 */
#include <linux/module.h>
#include <linux/slab.h>

static void *lost;

static int __init leak_init(void)
{
	lost = kmalloc(200, GFP_KERNEL);
	if (!lost)
		return -ENOMEM;
	/*
	 * kmemleak sees a leak once no memory it scans points there: no
	 * copy of the pointer is left, not even one printed with %p.
	 */
	pr_info("leak: lost one object\n");
	WRITE_ONCE(lost, NULL);
	return 0;
}
module_init(leak_init);

MODULE_DESCRIPTION("A planted memory leak for kmemleak");
MODULE_LICENSE("GPL");
