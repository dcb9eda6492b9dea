# Run inside the QEMU host (scripts/boot --script, from
# tests/soak/run-qemu.sh): the soak.  /lg/conf sets SECS, CYCLES, SEED
# (a number or "random"), KILL_PCT, LINUX_EVERY, TOLERANCE (kB) and MEM
# (each Linux guest's MB); /lg holds lg.ko, the launcher, the guest
# bzImage, the guests' initramfs (tests/soak/guest.sh), the small test
# guests and tests/soak/cycles.
#
# 1. A warm-up: one Linux guest with a disk and a NIC, and a few cycles,
#    then rmmod lg and the free memory noted: what stays allocated after
#    a first run anyway (slab caches, per-CPU lists, the network stack's
#    first tap) is not counted as a leak below.
# 2. Eight Linux guests at once, each with its console (the launcher's
#    stdout, a file here), two with --block, two with --tunnet: each runs
#    tests/soak/guest.sh for SECS seconds and must power off after
#    "LGTEST-RESULT: 0".
# 3. CYCLES start/stop cycles of small guests (tests/soak/cycles.c), some
#    killed with SIGKILL at random moments.
# 4. rmmod lg, and the free memory back within TOLERANCE kB of 1.
#
# What the launchers printed comes back as blocks ("=== case NAME
# rc=STATUS", "guest| " lines, "=== end NAME"), which scripts/boot scans
# for kernel warnings as it does the host's own lines; "not ok - ..."
# lines say what failed, and the exit status is 0 only if nothing did.
# shellcheck source=/dev/null # written by run-qemu.sh
. /lg/conf
: "${SECS:?}" "${CYCLES:?}" "${SEED:?}" "${KILL_PCT:?}" "${LINUX_EVERY:?}" "${TOLERANCE:?}" "${MEM:?}"
L=/lg/lguest
K=/lg/bzImage
I=/lg/soak.cpio.gz
G=/lg/guest


# report NAME STATUS FILE: the launcher's output as "guest| " lines.
report() {
	echo "=== case $1 rc=$2"
	sed 's/^/guest| /' "$3"
	echo "=== end $1"
}

links() { for f in /sys/class/net/*; do printf '%s ' "${f##*/}"; done; }

rc=0
fail() {
	echo "not ok - $*"
	rc=1
}

# What the net guests fetch, from this host's httpd (on every address).
mkdir -p /tmp/www
dd if=/dev/urandom of=/tmp/www/blob bs=64k count=4 2>/dev/null
md5=$(md5sum </tmp/www/blob | cut -d' ' -f1)
httpd -p 8080 -h /tmp/www || fail "httpd did not start"
ip link set lo up
# The disks of the block guests (and of the warm-up guest).
for n in 0 1 2; do
	dd if=/dev/zero of=/tmp/disk$n.img bs=1M count=8 2>/dev/null
done

# start_guest N SECS DISK NET: a Linux guest running guest.sh for SECS
# seconds, with the disk /tmp/diskDISK.img unless DISK is -, and a NIC
# on a tap 10.0.NET.1/24 unless NET is -; its output in /tmp/soak-N.out,
# the launcher's pid in /tmp/soak-N.pid.
start_guest() {
	n=$1 secs=$2 disk=$3 net=$4
	# Eight guests share this host's one TCG vCPU: RCU's stall warning
	# (21 s by default) waits longer, so that it still means a guest
	# that got no CPU, not one that got its eighth of a slow one.
	set -- --initrd=$I "$MEM" $K rcupdate.rcu_cpu_stall_timeout=100 \
		lgtest.id="$n" lgtest.secs="$secs"
	if [ "$disk" != - ]; then
		set -- --block="/tmp/disk$disk.img" "$@" lgtest.blk=1
	fi
	if [ "$net" != - ]; then
		set -- --tunnet="10.0.$net.1" "$@" lgtest.ip="10.0.$net.2" lgtest.peer="10.0.$net.1" lgtest.md5="$md5"
	fi
	$L "$@" </dev/null >"/tmp/soak-$n.out" 2>&1 &
	echo $! >"/tmp/soak-$n.pid"
}

# guest_ok N STATUS: guest N exited 0 after its workload said so.
guest_ok() {
	report "soak-$1" "$2" "/tmp/soak-$1.out"
	[ "$2" = 0 ] || { fail "guest $1: the launcher exited $2"; return; }
	grep -q '^LGTEST-RESULT: 0' "/tmp/soak-$1.out" ||
		{ fail "guest $1: its workload failed (no LGTEST-RESULT: 0; see its SOAK-ERROR lines)"; return; }
	grep -q "^SOAK-GUEST: id $1 rounds [1-9][0-9]* errors 0 " "/tmp/soak-$1.out" ||
		fail "guest $1: no SOAK-GUEST line with rounds and 0 errors"
}

# 1. The warm-up.
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
start_guest 99 1 0 99
wait "$(cat /tmp/soak-99.pid)"
guest_ok 99 $?
/lg/cycles --launcher $L --seed 1 --cycles 8 --kill-percent 50 -- "16 $G/hello.bzImage" "16 $G/walk.elf" >/tmp/warm.out 2>&1 ||
	{ cat /tmp/warm.out; fail "the warm-up cycles"; }
rmmod lg || { echo "not ok - rmmod lg after the warm-up"; exit 1; }
before=$(sh /lg/memfree)
echo "=== memfree-before $before"

# 2. Eight Linux guests at once.
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
t0=$(cut -d' ' -f1 /proc/uptime)
for n in 1 2 3 4 5 6 7 8; do
	case $n in
	1|2) start_guest $n "$SECS" $n - ;;
	3|4) start_guest $n "$SECS" - $n ;;
	*) start_guest $n "$SECS" - - ;;
	esac
done
running=$(pidof lguest | wc -w)
echo "=== soak-running $running"
[ "$running" = 8 ] || fail "$running launchers running after starting 8"
for n in 1 2 3 4 5 6 7 8; do
	wait "$(cat /tmp/soak-$n.pid)"
	guest_ok $n $?
done
t1=$(cut -d' ' -f1 /proc/uptime)
echo "=== soak-guests 8 secs $SECS host-seconds $t0 $t1"
echo "=== soak-links-after $(links)"
case " $(links)" in
*" tap"*) fail "a tap device is left after the guests" ;;
esac

# 3. The start/stop cycles.
seed=
[ "$SEED" = random ] || seed="--seed $SEED"
# shellcheck disable=SC2086 # $seed is empty or two words
/lg/cycles --launcher $L $seed --cycles "$CYCLES" --kill-percent "$KILL_PCT" \
	--linux-every "$LINUX_EVERY" --linux "--initrd=/lg/quick.cpio.gz 32 $K" \
	-- "16 $G/hello.bzImage soak" "16 $G/walk.elf" "kill:16 $G/idle.elf" \
	>/tmp/cycles.out 2>&1
crc=$?
report cycles $crc /tmp/cycles.out
[ $crc = 0 ] || fail "the start/stop cycles (see case cycles)"
echo "=== exits $(cat /sys/module/lg/parameters/exits)"

# 4. lg goes, and the memory is back.
rmmod lg || fail "rmmod lg"
after=$(sh /lg/memfree)
echo "=== memfree before $before kB after $after kB: $((before - after)) kB less (tolerance $TOLERANCE kB)"
[ $((before - after)) -le "$TOLERANCE" ] ||
	fail "free memory after rmmod lg is $((before - after)) kB below before insmod (tolerance $TOLERANCE kB): a leak?"
exit $rc
