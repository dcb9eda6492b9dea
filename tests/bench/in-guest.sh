#!/bin/sh
# The guest's side of scripts/bench (run by its initramfs init): each row
# waits for the host's "go" on the console before and after it, so that
# the host reads its exit counters exactly around the row.
rows=$(sed -n 's/.*bench\.rows=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
rounds=$(sed -n 's/.*bench\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
for r in $rows; do
	echo "BENCH-READY $r"
	read -r go
	/bench "$r" "${rounds:-5}"
	echo "BENCH-DONE $r"
	read -r go
done
echo "BENCH-ALL-DONE $go"
