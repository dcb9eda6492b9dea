#!/bin/sh
# Run by the guest's init (scripts/mkinitramfs --script) under lguest.
# What it does depends on lgtest.mode= on the guest's command line; the
# host side (in-host.sh) and tests/60-guest.sh judge its output.
mode=main
read -r cmdline </proc/cmdline
for a in $cmdline; do
	case $a in
	lgtest.mode=*) mode=${a#lgtest.mode=} ;;
	esac
done

case $mode in
main)
	echo "GUEST-UNAME: $(uname -m)"
	echo "GUEST-CPUINFO-FLAG: $(grep -c '^flags.* lguest' /proc/cpuinfo)"
	dmesg | grep -m1 'paravirtualized kernel on' | sed 's/^/GUEST-DMESG: /'
	dmesg | grep -m1 'Booting under lguest' | sed 's/^.*TSC /GUEST-TSC-KHZ: /'
	echo "GUEST-CLOCKSOURCE: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	# NX: what the kernel says of it, and whether a page without
	# PROT_EXEC really cannot run (PAE guests on a CPU with NX).
	dmesg | grep -m1 'NX (Execute Disable)' | sed 's/^[^]]*] /GUEST-NX-DMESG: /'
	echo "GUEST-NX: $(/nxprobe)"
	echo "GUEST-PTI: $(grep -c '^flags.* pti' /proc/cpuinfo)"
	# The clock: sleep 1 must take about a second of guest time.
	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	t1=$(cut -d' ' -f1 /proc/uptime)
	echo "GUEST-SLEEP: $t0 $t1"
	# fork, exec and pipes.
	n=$(seq 1 300 | while read -r i; do echo "$i"; done | sh -c 'cat | wc -l')
	k=0
	for i in $(seq 1 50); do /bin/true && k=$((k + 1)); done
	echo "GUEST-SMOKE: pipe $n exec $k"
	# System calls, while the host counts its exits: wait for its go
	# on the console before and after.
	echo "GUEST-SYSLOOP-READY"
	read -r _go
	/sysloop 100000
	echo "GUEST-SYSLOOP-DONE"
	read -r _go
	echo "GUEST-MAIN-OK"
	poweroff -f
	;;
quick)
	echo "GUEST-QUICK-OK $(uname -r)"
	poweroff -f
	;;
reboot)
	reboot -f
	;;
panic)
	echo c >/proc/sysrq-trigger
	;;
esac
