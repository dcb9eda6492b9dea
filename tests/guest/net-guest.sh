#!/bin/sh
# The guest's init script for tests/70-net.sh (scripts/mkinitramfs
# --script --poweroff), run under lguest by tests/guest/net-host.sh.
# The kernel command line says what to do:
#
#   lgtest.mode=net    eth0 is 10.0.2.2/24 on a --tunnet=10.0.2.1 tap:
#                      ping the host, receive a file from it and send it
#                      one (TCP, busybox nc), printing what arrived, then
#                      wait for the host's line on port 5003
#   lgtest.mode=ping   eth0 is lgtest.ip/24: ping lgtest.peer (the bridge
#                      case), and eth1 lgtest.ip2/24 (if given): ping
#                      lgtest.peer2; then wait for the host's line on
#                      port 5003
#   lgtest.mode=block  /dev/vda: write random bytes at 1 MiB, read them
#                      back, sync (the guest that runs beside a net one)
#
# Lines "GUEST-...: value" say what happened; net-host.sh and the test
# outside judge them.

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^lgtest\.$1=//p"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
# retry SECONDS CMD...: run CMD until it succeeds, for at most SECONDS.
retry() {
	end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 1
	done
}

mode=$(arg mode)
echo "GUEST-MODE: $mode"

# Wait until the host sends a line on port 5003: it has looked at what
# it wanted to see while we run.  Our nc's stdin is the held fifo.
host_says() {
	[ -p /tmp/hold ] || mkfifo /tmp/hold
	exec 3<>/tmp/hold
	nc -l -p 5003 <&3 | head -n1 | sed 's/^/GUEST-HOST-SAYS: /'
}

# net_up ADDR [DEV]: DEV (default eth0) gets ADDR/24 and goes up.
net_up() {
	d=${2:-eth0}
	echo "GUEST-MAC: $(cat /sys/class/net/"$d"/address)"
	# The features negotiated, a character per bit from bit 0.
	echo "GUEST-NET-FEATURES: $(cat /sys/class/net/"$d"/device/features)"
	ip addr add "$1/24" dev "$d" && ip link set "$d" up && ip link set lo up
	echo "GUEST-$d: $(ip -o -4 addr show dev "$d" | awk '{ print $4 }')"
}

for f in /sys/bus/pci/devices/*; do
	echo "GUEST-PCI: ${f##*/} $(cat "$f/vendor") $(cat "$f/device") $(cat "$f/class") irq $(cat "$f/irq")"
done

# ping_summary PEER: three pings; the "N packets transmitted, N received" line.
ping_summary() { ping -c 3 -w 30 "$1" | grep 'packets transmitted'; }

case $mode in
net)
	net_up 10.0.2.2
	# The link may take a moment: the first ping that works, then three.
	retry 60 ping -c 1 -w 2 10.0.2.1 >/dev/null
	echo "GUEST-PING-HOST: $(ping_summary 10.0.2.1)"

	# Host to guest: the host connects and sends until it closes.  Our
	# nc's stdin is a fifo that stays open and empty, so it sends nothing
	# and never half-closes the connection early.
	mkfifo /tmp/hold
	exec 3<>/tmp/hold
	t0=$(uptime_s)
	nc -l -p 5002 <&3 >/tmp/h2g.bin
	echo "GUEST-H2G: rc $? bytes $(wc -c </tmp/h2g.bin) md5 $(md5sum </tmp/h2g.bin | cut -d' ' -f1) listened $t0 to $(uptime_s)"

	# Guest to host: the host listens on 5001 for the whole run.
	dd if=/dev/urandom of=/tmp/g2h.bin bs=1M count=4 2>/dev/null
	echo "GUEST-G2H-MD5: $(md5sum </tmp/g2h.bin | cut -d' ' -f1)"
	send() { t0=$(uptime_s); nc 10.0.2.1 5001 </tmp/g2h.bin; }
	if retry 60 send; then
		echo "GUEST-G2H: sent in $t0 to $(uptime_s)"
	else
		echo "GUEST-G2H: failed"
	fi
	host_says
	;;
ping)
	net_up "$(arg ip)"
	retry 60 ping -c 1 -w 2 "$(arg peer)" >/dev/null
	echo "GUEST-PING-PEER: $(ping_summary "$(arg peer)")"
	# A second NIC (a second --tunnet), if the host gave one.
	if [ -n "$(arg ip2)" ]; then
		net_up "$(arg ip2)" eth1
		retry 60 ping -c 1 -w 2 "$(arg peer2)" >/dev/null
		echo "GUEST-PING-PEER2: $(ping_summary "$(arg peer2)")"
	fi
	# Stay up until the host has pinged us.
	host_says
	;;
block)
	dd if=/dev/urandom of=/tmp/rand bs=1M count=2 2>/dev/null
	dd if=/tmp/rand of=/dev/vda bs=1M seek=1 conv=notrunc 2>/dev/null
	sync
	echo "GUEST-BLOCK-WROTE-MD5: $(md5sum </tmp/rand | cut -d' ' -f1)"
	# Forget the cached blocks, so that the read comes from the device.
	blockdev --flushbufs /dev/vda
	echo "GUEST-BLOCK-READ-MD5: $(dd if=/dev/vda bs=1M skip=1 count=2 2>/dev/null | md5sum | cut -d' ' -f1)"
	;;
*)
	echo "GUEST-MODE: unknown; give lgtest.mode=net, ping or block"
	exit 1
	;;
esac
echo "GUEST-NET-DONE"
