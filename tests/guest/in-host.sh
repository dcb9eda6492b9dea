#!/bin/sh
# Run in the host kernel's initramfs (scripts/boot --script) by
# tests/60-guest.sh: lg.ko, the launcher, and the same bzImage (and its
# vmlinux) as guests.  Each case prints a block for the test to judge:
#
#   === case NAME rc=STATUS
#   guest| <the launcher's output>
#   === end NAME
#
# scripts/boot fails the boot on a kernel warning in the guests' lines
# as in the host's, and takes a panic there for the guest's; the guest we
# crash on purpose has its lines from the crash on as "guest-crash| ",
# which it does not scan.
L=/lg/lguest
K=/lg/bzImage
V=/lg/vmlinux
I=/lg/guest.cpio.gz

# report NAME STATUS FILE [CRASH]: the lines of FILE from the first that
# has the text CRASH on are a crash we asked for.
report() {
	echo "=== case $1 rc=$2"
	awk -v c="${4:-}" 'c != "" && index($0, c) { p = "guest-crash| " }
		{ print (p == "" ? "guest| " : p) $0 }' "$3"
	echo "=== end $1"
}

# wait_for TEXT FILE: until TEXT shows up in FILE (at most 300 s).
wait_for() {
	i=0
	while ! grep -q "$1" "$2"; do
		i=$((i + 1))
		[ $i -gt 6000 ] && return 1
		sleep 0.05
	done
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# The host's page-table isolation (PAE hosts booted with pti=on).
echo "=== host-pti $(grep -c '^flags.* pti' /proc/cpuinfo)"
# What this kernel, run natively here, makes of NX: the guest must agree.
echo "=== host-nx-dmesg $(dmesg | grep -m1 'NX (Execute Disable)' | sed 's/^[^]]*] //')"
insmod /lg/lg.ko || echo "=== insmod lg.ko failed"

# The TSC's rate as this kernel measured it (QEMU's TSC follows real
# time): the main guest spins a millisecond by it and times that.
khz=$(dmesg | sed -n 's/.*tsc: Refined TSC clocksource calibration: \([0-9.]*\) MHz.*/\1/p' | tail -n1)
[ -n "$khz" ] || khz=$(dmesg | sed -n 's/.*tsc: Detected \([0-9.]*\) MHz processor.*/\1/p' | tail -n1)
khz=$(echo "$khz" | awk '$1 > 0 { printf "%d", $1 * 1000 }')
echo "=== tsc-khz ${khz:-none}"

# The main guest: a bzImage, with its console input from a fifo so that
# its steps (in-guest.sh: step, done_step) can be bracketed by reads of
# the host's exit counter and clock.
mkfifo /tmp/in
t0=$(uptime_s)
$L --initrd=$I 64 $K lgtest.mode=main lgtest.tsckhz="${khz:-0}" </tmp/in >/tmp/main.out 2>&1 &
pid=$!
exec 3>/tmp/in
if wait_for 'LGTEST-INIT:' /tmp/main.out; then
	echo "=== figure launch-to-init $t0 $(uptime_s)"
fi
X=/sys/module/lg/parameters/exits
R=/sys/module/lg/parameters/exit_reasons
# measure NAME: "=== measure NAME exits N host-time T0 T1" for the
# guest's step NAME, and "=== reasons NAME name=N ..." for the counts by
# reason that moved.
measure() {
	wait_for "^GUEST-STEP $1" /tmp/main.out || { echo "=== measure $1: no step"; return; }
	tr ' ' '\n' <$R >/tmp/r0
	e0=$(cat $X)
	t0=$(uptime_s)
	echo go >&3
	wait_for "^GUEST-DONE $1" /tmp/main.out || { echo "=== measure $1: not done"; return; }
	t1=$(uptime_s)
	e1=$(cat $X)
	tr ' ' '\n' <$R >/tmp/r1
	echo go >&3
	if [ -n "$e0" ] && [ -n "$e1" ]; then
		echo "=== measure $1 exits $((e1 - e0)) host-time $t0 $t1"
	else
		echo "=== measure $1: no exit counter in $X"
	fi
	echo "=== reasons $1 $(awk -F= 'NR == FNR { a[$1] = $2; next }
		NF == 2 && $2 - a[$1] > 0 { printf "%s=%d ", $1, $2 - a[$1] }' /tmp/r0 /tmp/r1)"
}
for m in sleep syscalls pci-none pci-reads; do
	measure $m
done
wait $pid
report main $? /tmp/main.out
exec 3>&-

$L --initrd=$I 64 $V lgtest.mode=quick >/tmp/vmlinux.out 2>&1
report vmlinux $? /tmp/vmlinux.out
$L --initrd=$I 64 $K lgtest.mode=reboot >/tmp/reboot.out 2>&1
report reboot $? /tmp/reboot.out
$L --initrd=$I 64 $K lgtest.mode=panic >/tmp/panic.out 2>&1
report panic $? /tmp/panic.out "sysrq: Trigger a crash"
# After guests that rebooted and panicked, another one still boots.
$L --initrd=$I 64 $K lgtest.mode=quick >/tmp/again.out 2>&1
report again $? /tmp/again.out

# A guest built for the other page-table format (when the test gives
# one) is stopped at once, with a message that says why.
if [ -f /lg/other.bzImage ]; then
	$L --initrd=$I 64 /lg/other.bzImage lgtest.mode=quick >/tmp/other.out 2>&1
	report other-paging $? /tmp/other.out
fi

rmmod lg
echo "=== rmmod rc=$?"
