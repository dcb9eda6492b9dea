#!/bin/sh
# Run in the host kernel's initramfs (scripts/boot --script) by
# tests/70-net.sh: lg.ko, the launcher and guests with --tunnet.  The
# launcher's output comes back as blocks,
#
#   === case NAME rc=STATUS
#   guest| <the launcher's output>
#   === end NAME
#
# and "=== NAME VALUE" lines say what the host saw: its network devices
# after each launcher exit, what it sent and received, its pings.
#
# 1. Bad --tunnet values, a missing bridge, no /dev/net/tun, and a good
#    --tunnet with a missing kernel: exit 2, and no tap device left.
# 2. A guest on --tunnet=10.0.2.1 (tests/guest/net-guest.sh, mode net):
#    pings both ways, 4 MiB each way over TCP with busybox nc, and the
#    packet counts of its tap (big frames both ways: TSO at work).
# 3. Two guests at once: one on a tap in bridge br0 (pings both ways;
#    and a second NIC on a tap with an address, which it pings), its
#    launcher running as UID 2000 once set up (--user, --group),
#    one with a virtio disk (writes and reads it), which starts after the
#    bridged one and ends before it.
L=/lg/lguest
K=/lg/bzImage
I=/lg/net.cpio.gz

# report NAME STATUS FILE: the launcher's output as "guest| " lines, which
# scripts/boot scans for kernel warnings as it does the host's.
report() {
	echo "=== case $1 rc=$2"
	sed 's/^/guest| /' "$3"
	echo "=== end $1"
}

uptime_s() { cut -d' ' -f1 /proc/uptime; }
# names DIR: the names in DIR, on one line (the network devices, a
# bridge's ports).
names() { for f in "$1"/*; do [ -e "$f" ] && printf '%s ' "${f##*/}"; done; }
links() { names /sys/class/net; }
# retry SECONDS CMD...: run CMD until it succeeds, for at most SECONDS.
retry() {
	end=$(($(date +%s) + $1))
	shift
	until "$@"; do
		[ "$(date +%s)" -ge $end ] && return 1
		sleep 1
	done
}

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"
echo "=== links-before $(links)"

# 1. Setup errors: each must exit 2 and leave no tap behind.
bad() {
	name=$1
	shift
	$L "$@" >"/tmp/$name.out" 2>&1
	report "$name" $? "/tmp/$name.out"
	echo "=== links-after-$name $(links)"
}
bad bad-addr --tunnet=10.0.2.300 --initrd=$I 32 $K
bad bad-mac --tunnet=10.0.2.1:52:54:00:12:34 --initrd=$I 32 $K
bad no-bridge --tunnet=bridge:nobr0 --initrd=$I 32 $K
bad not-bridge --tunnet=bridge:lo --initrd=$I 32 $K
bad no-kernel --tunnet=10.0.2.1 32 /lg/no-such-bzImage
mv /dev/net/tun /dev/net-tun.away
bad no-tun --tunnet=10.0.2.1 --initrd=$I 32 $K
mv /dev/net-tun.away /dev/net/tun

# 2. A guest on a tap with an address.  We listen for its file on 5001
#    (stdin a fifo that stays open and empty: see net-guest.sh) before
#    it starts.
dd if=/dev/urandom of=/tmp/h2g.bin bs=1M count=4 2>/dev/null
echo "=== h2g-md5 $(md5sum </tmp/h2g.bin | cut -d' ' -f1)"
mkfifo /tmp/hold
exec 3<>/tmp/hold
nc -l -p 5001 <&3 >/tmp/g2h.bin &
ncpid=$!
timeout 600 $L --tunnet=10.0.2.1:52:54:00:12:34:56 --initrd=$I 64 $K \
	lgtest.mode=net >/tmp/net.out 2>&1 &
lg=$!
# The tap is up once the launcher has printed its name.
retry 30 grep -q 'network is tap' /tmp/net.out
tap=$(sed -n 's/.*the guest.s network is \(tap[0-9]*\),.*/\1/p' /tmp/net.out)
echo "=== net-tap ${tap:-none} $(ip -o -4 addr show dev "${tap:-none}" 2>&1 | awk '{ print $4 }')"
if retry 300 ping -c 1 -w 2 10.0.2.2 >/dev/null; then
	echo "=== host-ping-guest $(ping -c 3 -w 30 10.0.2.2 | grep 'packets transmitted')"
else
	echo "=== host-ping-guest no reply in 300 s"
fi
echo "=== host-neigh $(ip neigh show 10.0.2.2)"
# The guest listens on 5002 once its pings are done.
send() { t0=$(uptime_s); nc 10.0.2.2 5002 </tmp/h2g.bin; }
if retry 120 send; then
	echo "=== h2g-sent $t0 $(uptime_s)"
else
	echo "=== h2g-sent failed"
fi
# The guest's file has come when our nc has exited.
retry 120 sh -c "! kill -0 $ncpid 2>/dev/null"
echo "=== g2h-received $(wc -c </tmp/g2h.bin) $(md5sum </tmp/g2h.bin | cut -d' ' -f1)"
# What crossed the tap: the tap's rx is what the guest sent.
st=/sys/class/net/$tap/statistics
echo "=== tap-stats from-guest $(cat "$st/rx_packets") $(cat "$st/rx_bytes") to-guest $(cat "$st/tx_packets") $(cat "$st/tx_bytes")"
retry 60 sh -c 'echo done | nc 10.0.2.2 5003'
wait $lg
report net $? /tmp/net.out
echo "=== links-after-net $(links)"
kill $ncpid 2>/dev/null

# 3. Two guests at once: a bridged net guest and a disk guest.
brctl addbr br0
ip addr add 10.0.3.1/24 dev br0
ip link set br0 up
dd if=/dev/zero of=/tmp/disk.img bs=1M count=4 2>/dev/null
timeout 600 $L --tunnet=bridge:br0 --tunnet=10.0.4.1 --user=2000 --group=3000 --initrd=$I 48 $K \
	lgtest.mode=ping lgtest.ip=10.0.3.2 lgtest.peer=10.0.3.1 \
	lgtest.ip2=10.0.4.2 lgtest.peer2=10.0.4.1 >/tmp/bridge.out 2>&1 &
lg=$!
timeout 600 $L --block=/tmp/disk.img --initrd=$I 48 $K lgtest.mode=block >/tmp/block.out 2>&1 &
blk=$!
retry 30 sh -c "[ \$(grep -c 'network is tap' /tmp/bridge.out) = 2 ]"
echo "=== bridge-ports $(names /sys/class/net/br0/brif)"
# The bridged guest's launcher drops root after making its taps, loading
# the kernel and opening /dev/lguest: under load that is seconds after
# "network is tap", so give it time before reading the UIDs.
launcher_uids() {
	uids=
	for p in $(pidof lguest); do uids="$uids $(awk '/^Uid:/ { print $2 }' "/proc/$p/status")"; done
}
dropped() { launcher_uids; case " $uids " in *" 2000 "*) return 0 ;; esac; return 1; }
retry 60 dropped || launcher_uids
echo "=== launcher-uids$(echo "$uids" | tr ' ' '\n' | sort -n | tr '\n' ' ')"
if retry 300 ping -c 1 -w 2 10.0.3.2 >/dev/null; then
	echo "=== host-ping-bridged $(ping -c 3 -w 30 10.0.3.2 | grep 'packets transmitted')"
else
	echo "=== host-ping-bridged no reply in 300 s"
fi
# The disk guest has done its work while the bridged one still runs.
wait $blk
report block $? /tmp/block.out
kill -0 $lg 2>/dev/null && echo "=== bridged-guest-running-after-block-guest yes"
# Let the bridged guest go (it waits for a line on 5003).
retry 60 sh -c 'echo pinged | nc 10.0.3.2 5003'
wait $lg
report bridge $? /tmp/bridge.out
echo "=== block-image-md5 $(dd if=/tmp/disk.img bs=1M skip=1 count=2 2>/dev/null | md5sum | cut -d' ' -f1)"
echo "=== links-after-bridge $(links)"

rmmod lg
echo "=== rmmod rc=$?"
