#!/bin/sh
# Run by the guest's init (scripts/mkinitramfs --script) under lguest.
# What it does depends on lgtest.mode= on the guest's command line; the
# host side (in-host.sh) and tests/60-guest.sh judge its output.
mode=main
tsckhz=0
read -r cmdline </proc/cmdline

# step NAME ... done NAME: the host reads its exit counter and its clock
# between our "GUEST-STEP NAME" and its go on the console, and again
# between our "GUEST-DONE NAME" and its next go, so that what runs in
# between is measured from outside the guest.
step() {
	echo "GUEST-STEP $1"
	read -r _go
}
done_step() {
	echo "GUEST-DONE $1"
	read -r _go
}

for a in $cmdline; do
	case $a in
	lgtest.mode=*) mode=${a#lgtest.mode=} ;;
	lgtest.tsckhz=*) tsckhz=${a#lgtest.tsckhz=} ;;
	esac
done

case $mode in
main)
	echo "GUEST-UNAME: $(uname -m)"
	echo "GUEST-CPUINFO-FLAG: $(grep -c '^flags.* lguest' /proc/cpuinfo)"
	dmesg | grep -m1 'paravirtualized kernel on' | sed 's/^/GUEST-DMESG: /'
	dmesg | grep -m1 'Booting under lguest' | sed 's/^.*TSC /GUEST-TSC-KHZ: /'
	echo "GUEST-CLOCKSOURCE: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
	# NX: what the kernel makes of it (the host compares its own).
	dmesg | grep -m1 'NX (Execute Disable)' | sed 's/^[^]]*] /GUEST-NX-DMESG: /'
	echo "GUEST-PTI: $(grep -c '^flags.* pti' /proc/cpuinfo)"
	# The clock: sleep 1, timed by the guest and by the host.
	step sleep
	t0=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	t1=$(cut -d' ' -f1 /proc/uptime)
	done_step sleep
	echo "GUEST-SLEEP: $t0 $t1"
	# The clock's resolution and scale: a millisecond by the TSC, at the
	# rate the host measured, timed with clock_gettime().
	/sysloop spin "$tsckhz"
	echo "GUEST-SPIN-RC: $?"
	# fork, exec and pipes.
	n=$(seq 1 300 | while read -r i; do echo "$i"; done | sh -c 'cat | wc -l')
	k=0
	for i in $(seq 1 50); do /bin/true && k=$((k + 1)); done
	echo "GUEST-SMOKE: pipe $n exec $k"
	# Mappings changed under pages the host has in its shadow.
	/sysloop mm
	echo "GUEST-MM-RC: $?"
	# System calls, while the host counts its exits: they go straight
	# to this kernel, so the count hardly moves.  Then reads of a PCI
	# device's config space, two port accesses (0xCF8, 0xCFC) and so two
	# exits each, with no reads for the baseline: the count must move by
	# twice their number.
	step syscalls
	/sysloop syscalls 100000
	echo "GUEST-SYSLOOP-RC: $?"
	done_step syscalls
	cfg=/sys/bus/pci/devices/0000:00:01.0/config
	step pci-none
	/sysloop pci $cfg 0
	echo "GUEST-PCI-NONE-RC: $?"
	done_step pci-none
	step pci-reads
	/sysloop pci $cfg 5000
	echo "GUEST-PCI-READS-RC: $?"
	done_step pci-reads
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
