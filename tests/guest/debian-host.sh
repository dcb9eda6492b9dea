#!/bin/sh
# The QEMU host's side of tests/63-debian.sh (busybox sh, run by
# scripts/boot --script): load lg, run the Debian guest on its root image
# (this host's virtio disk, /dev/vda, which QEMU keeps in a snapshot) and
# the test's tar (/lg/debian-test.tar: tests/guest/debian-guest.sh and
# the run's token) as its second disk, with a NIC to this host's tap
# (10.0.2.1), and meanwhile reach the guest's service at 10.0.2.15:7777.
# /lg/debian.env gives LG_MEM (the guest's memory), LG_KARGS (its
# command line) and LG_REQUEST (the line to send the service).  The
# guest's console comes out as "guest| " lines; the test reads the
# "=== " lines.
. /lg/debian.env
if ! out=$(insmod /lg/lg.ko 2>&1); then
	echo "=== insmod lg.ko failed: $out"
	exit 1
fi

# The client: every 2 s until the service answers or the launcher is
# gone (a connection before the guest is up fails or times out).
(
	while [ ! -e /tmp/launcher.done ]; do
		a=$(echo "$LG_REQUEST" | nc -w 10 10.0.2.15 7777 2>/dev/null)
		if [ -n "$a" ]; then
			echo "=== answer $a"
			exit 0
		fi
		sleep 2
	done
	echo "=== answer none: the launcher exited first"
) &
client=$!

# The launcher; its output marked, and the first login prompt (agetty's
# "NAME login: ") timed on this host's clock from the launch.
t0=$(cut -d' ' -f1 /proc/uptime)
# shellcheck disable=SC2086 # LG_KARGS is the guest's command line, word by word
{
	/lg/lguest --tunnet=10.0.2.1 --block=/dev/vda --block=/lg/debian-test.tar,ro \
		"$LG_MEM" /lg/bzImage $LG_KARGS 2>&1
	echo $? >/tmp/lguest.rc
} | awk -v t0="$t0" '
	{ print "guest| " $0; fflush() }
	!seen && / login: / {
		seen = 1
		getline u <"/proc/uptime"; split(u, a, " ")
		printf "=== login %.1f\n", a[1] - t0; fflush()
	}'
touch /tmp/launcher.done
rc=$(cat /tmp/lguest.rc)
echo "=== launcher rc $rc"
wait "$client"
exit 0
