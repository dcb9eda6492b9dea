# Run inside the QEMU host (scripts/boot --script, from run-qemu.sh): load
# lg, run lgfuzz once per line of /lg/runs ("dev|guest SEED|random
# --seconds N|--ops N", or "guest one SEED"), unload lg, and compare MemFree (page cache
# dropped) after that rmmod with MemFree after an rmmod that followed a
# short warm-up run, within /lg/tolerance kB.  The warm-up fills what
# stays allocated after a first run anyway (slab caches, per-CPU lists),
# which would otherwise hide a small leak in a loose tolerance.
# Free memory is what /lg/memfree (tests/guest/memfree.sh) prints.
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
for kind in dev guest; do
	if ! /lg/lgfuzz "$kind" --seed 7 --ops 500 --guest /lg/fuzzguest.elf >/tmp/warm-up 2>&1; then
		cat /tmp/warm-up
		echo "not ok - the warm-up run: lgfuzz $kind --seed 7 --ops 500"
		exit 1
	fi
done
rmmod lg || { echo "not ok - rmmod lg after the warm-up"; exit 1; }
before=$(sh /lg/memfree)
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
rc=0
while read -r kind seed how n; do
	[ -n "$kind" ] || continue
	if [ "$seed" = random ]; then
		set -- "$kind" "$how" "$n"
	elif [ "$seed" = one ]; then
		set -- "$kind" --one "$how"
	else
		set -- "$kind" --seed "$seed" "$how" "$n"
	fi
	echo "=== lgfuzz $*"
	/lg/lgfuzz "$@" --guest /lg/fuzzguest.elf || { echo "not ok - lgfuzz $*"; rc=1; }
done </lg/runs
echo "=== exits $(cat /sys/module/lg/parameters/exits)"
rmmod lg || { echo "not ok - rmmod lg"; rc=1; }
after=$(sh /lg/memfree)
tol=$(cat /lg/tolerance)
echo "=== memfree before ${before} kB after ${after} kB: $((before - after)) kB less (tolerance ${tol} kB)"
if [ $((before - after)) -gt "$tol" ]; then
	echo "not ok - MemFree after rmmod lg is $((before - after)) kB below before insmod (tolerance ${tol} kB): a leak?"
	rc=1
fi
exit $rc
