#!/bin/sh
# Run in the host kernel's initramfs (scripts/boot --script) by
# tests/65-devices.sh: lg.ko, the launcher and a guest with two virtio
# disks (one with an ext2 file system) and a virtio entropy device, then
# the launcher's test guest blk.elf, which sends the requests a Linux
# guest never does.  The launcher's output comes back as blocks,
#
#   === case NAME rc=STATUS
#   guest| <the launcher's output>
#   === end NAME
#
# and "=== NAME VALUE" lines say what the host wrote into the disk images
# before the guests ran, and what the images hold after them.  Last, a
# guest flushes its writes to this host's own disk, and the host resets
# at once: the test machine looks for them in that disk's file.
L=/lg/lguest
K=/lg/bzImage
I=/lg/devices.cpio.gz
D=/tmp/disk.img
E=/lg/ext2.img

# report NAME STATUS FILE: the launcher's output as "guest| " lines, which
# scripts/boot scans for kernel warnings as it does the host's.
report() {
	echo "=== case $1 rc=$2"
	sed 's/^/guest| /' "$3"
	echo "=== end $1"
}

# Bad --block files, refused before lg.ko is needed (exit 2; the
# launcher is i386, so tests/65-devices.sh cannot run it itself).
bad_block() {
	name=$1
	shift
	$L "$@" </dev/null >"/tmp/$name.out" 2>"/tmp/$name.err"
	echo "=== case $name rc=$?"
	sed 's/^/stdout: /' "/tmp/$name.out"
	sed 's/^/stderr: /' "/tmp/$name.err"
	echo "=== end $name"
}
mkdir -p /tmp/a-dir
head -c 1000 /dev/zero >/tmp/odd.img
: >/tmp/empty.img
bad_block block-missing --block=/nonexistent/disk.img 64 $K
bad_block block-dir --block=/tmp/a-dir 64 $K
bad_block block-odd --rng --block=/tmp/odd.img 64 $K
bad_block block-empty --block=/tmp/empty.img 64 $K

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"

# A 4 MiB image: a line of text no one can guess in sector 0, 1 MiB of
# random bytes at 1 MiB; the guest reads both back.  The rest is zeros.
dd if=/dev/zero of=$D bs=1M count=4 2>/dev/null
pattern="LGUEST-HOST-PATTERN-$(head -c 16 /dev/urandom | md5sum | cut -c1-16)"
printf '%s\n' "$pattern" | dd of=$D conv=notrunc 2>/dev/null
dd if=/dev/urandom of=$D bs=1M seek=1 count=1 conv=notrunc 2>/dev/null
echo "=== host-pattern $pattern"
echo "=== host-md5 $(dd if=$D bs=1M skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

$L --rng --block=$D --block=$E --initrd=$I 64 $K >/tmp/devices.out 2>&1
report devices $? /tmp/devices.out

# What the guest left in the image (see devices-guest.sh for where).
sector() { dd if=$D bs=512 skip="$1" count=1 2>/dev/null | tr -d '\000' | head -n1; }
echo "=== image-size $(wc -c <$D)"
echo "=== image-sector0 $(sector 0)"
echo "=== image-sector6144 $(sector 6144)"
echo "=== image-last $(sector 8191)"
echo "=== image-md5-2m $(dd if=$D bs=1M skip=2 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

# The ext2 image (made on the test machine, see tests/65-devices.sh):
# the state in its superblock (s_state, 58 bytes into the superblock at
# 1024; 1: the guest unmounted it cleanly), what a loop mount shows of
# the guest's and the host's files, and the image itself, gzipped, in
# hex (no base64: it could spell "Oops"), for e2fsck on the test machine.
echo "=== ext2-state $(dd if=$E bs=1 skip=1082 count=2 2>/dev/null | od -An -tu2 | tr -d ' ')"
mkdir -p /mnt
if mount -t ext2 -o loop,ro $E /mnt; then
	echo "=== ext2-guest-txt $(cat /mnt/guest.txt)"
	echo "=== ext2-guest-md5 $(md5sum </mnt/gdir/guest.bin | cut -d' ' -f1)"
	echo "=== ext2-host-txt $(cat /mnt/host.txt)"
	echo "=== ext2-host-md5 $(md5sum </mnt/sub/host.bin | cut -d' ' -f1)"
	echo "=== ext2-files $(cd /mnt && find . ! -name . ! -name lost+found | sort | tr '\n' ' ')"
	umount /mnt
else
	echo "=== ext2-mount failed"
fi
echo "=== ext2-image-begin"
gzip -c $E | hexdump -v -e '64/1 "%02x" "\n"'
echo "=== ext2-image-end"

# The edges: an image of 8 sectors, sector i all 'A' + i.  blk.elf
# writes 'Z's to sector 0 and tries to write past the end.
S=/tmp/small.img
: >$S
for c in A B C D E F G H; do
	head -c 512 /dev/zero | tr '\000' "$c" >>$S
done
$L --block=$S 16 /lg/blk.elf >/tmp/blk.out 2>&1
report blk $? /tmp/blk.out
echo "=== small-size $(wc -c <$S)"
echo "=== small-sector0 $(dd if=$S bs=512 count=1 2>/dev/null | tr -d Z | wc -c)"
echo "=== small-sector7 $(dd if=$S bs=512 skip=7 count=1 2>/dev/null | tr -d H | wc -c)"

# The read-only disk (blk.elf's "ro" mode): its write gets IOERR, and
# the image is as it was.
before=$(md5sum <$S)
$L --block=$S,ro 16 /lg/blk.elf ro >/tmp/blk-ro.out 2>&1
report blk-ro $? /tmp/blk-ro.out
[ "$(md5sum <$S)" = "$before" ] && echo "=== small-ro-unchanged"

# wait_for REGEX FILE: until a line of FILE matches (a bounded busy loop:
# sleep returns at once in this kernel).
wait_for() {
	i=0
	while ! grep -q "$1" "$2"; do
		i=$((i + 1))
		[ $i -gt 2000000 ] && return 1
	done
	return 0
}

# An interactive shell on the guest's console, driven through the
# launcher's stdin (a fifo), with a fresh disk (vda) and a read-only one
# (vdb).  Its last command writes 64 KiB to vda and fsyncs; as soon as
# it reports, the launcher is killed (SIGKILL): what the guest synced
# must be in the file all the same.
F=/tmp/flush.img
R=/tmp/ro.img
dd if=/dev/zero of=$F bs=1M count=1 2>/dev/null
dd if=/dev/zero of=$R bs=1M count=1 2>/dev/null
printf 'LGUEST-READ-ONLY-DISK\n' | dd of=$R conv=notrunc 2>/dev/null
ro_before=$(md5sum <$R)
mkfifo /tmp/console
$L --block=$F --block=$R,ro --initrd=$I 64 $K lgtest.mode=shell </tmp/console >/tmp/shell.out 2>&1 &
pid=$!
exec 3>/tmp/console
if wait_for GUEST-SHELL-READY /tmp/shell.out; then
	# The guest's tty echoes these lines; only running them prints the
	# results the test looks for (the echo has "$?", not a number).
	cat >&3 <<'EOF'
echo "GUEST-SUM: $((6 * 7))"
echo "GUEST-VDB-RO: $(cat /sys/block/vdb/ro)"
echo "GUEST-VDB-READ: $(head -n1 /dev/vdb)"
echo x | dd of=/dev/vdb conv=notrunc,fsync 2>/dev/null; echo "GUEST-VDB-WRITE-RC: $?"
dd if=/dev/urandom of=/tmp/r bs=64k count=1 2>/dev/null
dd if=/tmp/r of=/dev/vda bs=64k conv=notrunc,fsync 2>/dev/null && echo "GUEST-SYNCED: $(md5sum </tmp/r | cut -d' ' -f1)"
EOF
	wait_for 'GUEST-SYNCED: [0-9a-f]\{32\}' /tmp/shell.out
fi
kill -9 $pid
wait $pid
report shell $? /tmp/shell.out
exec 3>&-
echo "=== flush-md5 $(dd if=$F bs=64k count=1 2>/dev/null | md5sum | cut -d' ' -f1)"
[ "$(md5sum <$R)" = "$ro_before" ] && echo "=== ro-unchanged"

rmmod lg
echo "=== rmmod rc=$?"

# Last, as it ends in a crash: does a guest's flush reach the disk?  The
# guest's disk is this host's own virtio disk (/dev/vda, scripts/boot
# --drive, a file on the test machine), whose writes wait in this
# kernel's page cache until written back, which takes 30 s or a sync.
# The guest writes 64 KiB and fsyncs; as soon as it reports, this
# kernel resets at once (sysrq b: no sync, no writeback).  What the test
# machine then finds in the file is there only because the guest's
# FLUSH made the launcher fdatasync.
if [ -b /dev/vda ]; then
	insmod /lg/lg.ko || echo "=== insmod lg.ko failed"
	mkfifo /tmp/console2
	$L --block=/dev/vda --initrd=$I 64 $K lgtest.mode=shell </tmp/console2 >/tmp/crash.out 2>&1 &
	exec 4>/tmp/console2
	if wait_for GUEST-SHELL-READY /tmp/crash.out; then
		cat >&4 <<'EOF'
dd if=/dev/urandom of=/tmp/r bs=64k count=1 2>/dev/null
dd if=/tmp/r of=/dev/vda bs=64k conv=notrunc,fsync 2>/dev/null && echo "GUEST-CRASH-SYNCED: $(md5sum </tmp/r | cut -d' ' -f1)"
EOF
		wait_for 'GUEST-CRASH-SYNCED: [0-9a-f]\{32\}' /tmp/crash.out
	fi
	report crash running /tmp/crash.out
	dmesg | sed 's/^/host-dmesg| /'
	# What init would say, had we returned to it (scripts/boot --help).
	echo "LGTEST-RESULT: 0"
	# Give the serial port a second or two to send all that: the reset
	# does not wait for it.
	t=$(cut -d. -f1 /proc/uptime)
	while [ "$(cut -d. -f1 /proc/uptime)" -le $((t + 1)) ]; do :; done
	echo b >/proc/sysrq-trigger
else
	echo "=== no /dev/vda: the flush-and-crash case did not run"
fi
