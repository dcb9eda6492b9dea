#!/bin/sh
# The soak's Linux guests' workload (scripts/mkinitramfs --script
# --poweroff), run under lguest by tests/soak/in-qemu.sh.  The kernel
# command line says what to do:
#
#   lgtest.secs=N    run rounds for N seconds (by this guest's clock; at
#                    least one round)
#   lgtest.id=N      this guest's number, for its lines
#   lgtest.blk=1     also write, sync and read back /dev/vda each round
#   lgtest.ip=A      eth0 is A/24; each round pings lgtest.peer and fetches
#   lgtest.peer=P    http://P:8080/blob (the host's busybox httpd), whose
#   lgtest.md5=M     md5 must be M
#
# Each round forks and execs 20 programs and a pipeline (whose output must
# not change), and writes, copies and compares 256 KiB of files.  Every
# error is a "SOAK-ERROR: ..." line; the last line is "SOAK-GUEST: id N
# rounds N errors N ...", and the exit status (init's LGTEST-RESULT) is 0
# only without errors.

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^lgtest\.$1=//p"; }
now() { cut -d. -f1 /proc/uptime; }

secs=$(arg secs) id=$(arg id) blk=$(arg blk) ip=$(arg ip) peer=$(arg peer) md5=$(arg md5)
rounds=0 errors=0 fetched=0 synced=0
err() {
	errors=$((errors + 1))
	echo "SOAK-ERROR: guest $id round $rounds: $*"
}

if [ -n "$ip" ]; then
	if ! { ip addr add "$ip/24" dev eth0 && ip link set eth0 up && ip link set lo up; }; then
		err "eth0 did not come up as $ip/24"
	fi
fi
[ -z "$blk" ] || [ -b /dev/vda ] || err "no /dev/vda"

ref=$(seq 1 3000 | sort -rn | md5sum)
# At least one round, however little CPU this guest got since it started.
end=$(($(now) + ${secs:-60}))
while [ $rounds -eq 0 ] || [ "$(now)" -lt $end ]; do
	rounds=$((rounds + 1))
	# fork and exec
	n=0
	while [ $n -lt 20 ]; do
		/bin/busybox true || err "exec of true failed"
		n=$((n + 1))
	done
	[ "$(seq 1 3000 | sort -rn | md5sum)" = "$ref" ] || err "the pipeline's output changed"
	# files
	dd if=/dev/urandom of=/tmp/a bs=64k count=4 2>/dev/null || err "writing /tmp/a failed"
	cp /tmp/a /tmp/b || err "cp failed"
	[ "$(md5sum </tmp/a)" = "$(md5sum </tmp/b)" ] || err "the copy differs"
	# the disk: 256 KiB at a place that moves over the first 8 MiB
	if [ -n "$blk" ]; then
		off=$(((rounds % 32) * 4))
		if dd if=/tmp/a of=/dev/vda bs=64k seek=$off conv=notrunc,fsync 2>/dev/null; then
			echo 3 >/proc/sys/vm/drop_caches
			[ "$(dd if=/dev/vda bs=64k skip=$off count=4 2>/dev/null | md5sum)" = "$(md5sum </tmp/a)" ] ||
				err "/dev/vda at $off x 64k reads back other data"
			synced=$((synced + 1))
		else
			err "writing /dev/vda at $off x 64k failed"
		fi
	fi
	rm -f /tmp/a /tmp/b
	# the network
	if [ -n "$ip" ]; then
		ping -c 1 -w 10 "$peer" >/dev/null || err "no reply to a ping of $peer"
		got=$(wget -q -O - "http://$peer:8080/blob" | md5sum | cut -d' ' -f1)
		[ "$got" = "$md5" ] || err "fetched blob md5 $got, not $md5"
		fetched=$((fetched + 1))
	fi
done
echo "SOAK-GUEST: id $id rounds $rounds errors $errors secs ${secs:-60} disk-syncs $synced fetches $fetched"
[ $errors -eq 0 ]
