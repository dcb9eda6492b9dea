#!/bin/sh
# Run inside a QEMU host (added as /lg/memfree by tests/selftests,
# tests/fuzz and tests/soak's run-qemu.sh): print the free memory in kB,
# for comparing before insmod lg and after rmmod.  The page cache is
# dropped and the vmstat counters folded first; the pages on the per-CPU
# free lists (/proc/zoneinfo's "count:") are added, because MemFree
# leaves them out and they swing by megabytes from one moment to the next.
sync
echo 3 >/proc/sys/vm/drop_caches
echo 1 >/proc/sys/vm/stat_refresh 2>/dev/null
pcp=$(awk '$1 == "count:" { n += $2 } END { print n * 4 }' /proc/zoneinfo)
awk -v pcp="$pcp" '/^MemFree:/ { print $2 + pcp }' /proc/meminfo
