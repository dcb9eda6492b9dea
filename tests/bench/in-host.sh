#!/bin/sh
# The QEMU host's side of scripts/bench (its initramfs runs this): every
# row natively, then lg.ko and one guest that runs every row, with the
# host's exit counters read around each.  Prints lines for scripts/bench:
#
#   === native ROW <bench's BENCH-ROW line>
#   === guest ROW <bench's BENCH-ROW line>
#   === exits ROW N                 exits while the guest ran ROW
#   === exit-reasons ROW k=v ...    the same by reason, when lg has them
#   === boot native-init S | guest-launch-to-init S | guest-boot-exits N
#   === exit-reasons boot k=v ...   the guest's boot exits by reason
B=/lg/bench
boot_s=$(cut -d' ' -f1 /proc/uptime)
echo "=== boot native-init $boot_s"
rows=$(sed -n 's/.*bench\.rows=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
rounds=$(sed -n 's/.*bench\.rounds=\([0-9]*\).*/\1/p' /proc/cmdline)
rounds=${rounds:-5}
for r in $rows; do
	echo "=== native $r $($B "$r" "$rounds" | grep '^BENCH-ROW')"
done

insmod /lg/lg.ko || { echo "=== insmod lg.ko failed"; exit 1; }
mount -t debugfs none /sys/kernel/debug 2>/dev/null
# The total exit count: debugfs when lg has it there, else the module
# parameter of older series.
exits() {
	for f in /sys/kernel/debug/lguest/exits /sys/module/lg/parameters/exits; do
		[ -r "$f" ] && { head -n1 "$f" | awk '{ print $NF }'; return; }
	done
	echo 0
}
# Every "name value" line of lg's debugfs files, as name=value, and
# the name=value words of its exit_reasons parameter.
reasons() {
	for f in /sys/kernel/debug/lguest/*; do
		[ -f "$f" ] || continue
		awk -v f="${f##*/}" 'NF == 2 && $2 ~ /^[0-9]+$/ { printf "%s.%s=%s ", f, $1, $2 }' "$f"
	done
	f=/sys/module/lg/parameters/exit_reasons
	[ -r $f ] && tr ' ' '\n' <$f | awk -F= 'NF == 2 && $2 ~ /^[0-9]+$/ { printf "%s=%s ", $1, $2 }'
}
delta() {	# delta "k=v ..." "k=v ...": the changed counters
	echo "$1" | tr ' ' '\n' >/tmp/r0
	echo "$2" | tr ' ' '\n' | awk -F= 'NR == FNR { a[$1] = $2; next }
		$1 != "" && $2 - a[$1] > 0 { printf "%s=%d ", $1, $2 - a[$1] }' /tmp/r0 -
}
wait_for() {
	i=0
	while ! grep -q "$1" "$2"; do
		i=$((i + 1))
		[ $i -gt 12000 ] && { echo "=== timeout waiting for '$1'"; return 1; }
		sleep 0.05
	done
}

mkfifo /tmp/in
e0=$(exits) r0=$(reasons)
t0=$(cut -d' ' -f1 /proc/uptime)
/lg/lguest --initrd=/lg/guest.cpio.gz 256 /lg/bzImage quiet \
	bench.rows="$(echo "$rows" | tr " " ,)" bench.rounds="$rounds" </tmp/in >/tmp/g.out 2>&1 &
pid=$!
exec 3>/tmp/in
wait_for 'LGTEST-INIT:' /tmp/g.out && echo "=== boot guest-launch-to-init $(awk -v a="$t0" '{ print $1 - a }' /proc/uptime)"
for r in $rows; do
	wait_for "BENCH-READY $r" /tmp/g.out || break
	if [ "$r" = "${rows%% *}" ]; then
		echo "=== boot guest-boot-exits $(($(exits) - e0))"
		echo "=== exit-reasons boot $(delta "$r0" "$(reasons)")"
	fi
	a=$(exits) ra=$(reasons)
	echo go >&3
	wait_for "BENCH-DONE $r" /tmp/g.out || break
	b=$(exits) rb=$(reasons)
	echo go >&3
	echo "=== guest $r $(grep "^BENCH-ROW $r " /tmp/g.out | tr -d '\r')"
	echo "=== exits $r $((b - a))"
	echo "=== exit-reasons $r $(delta "$ra" "$rb")"
done
wait $pid
echo "=== launcher-exit $?"
exec 3>&-
sed 's/^/guest| /' /tmp/g.out | grep -v '^guest| BENCH ' | tail -n 40
