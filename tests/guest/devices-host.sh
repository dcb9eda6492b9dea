#!/bin/sh
# Run in the host kernel's initramfs (scripts/boot --script) by
# tests/65-devices.sh: lg.ko, the launcher and a guest with a virtio disk
# and a virtio entropy device, then the launcher's test guest blk.elf,
# which sends the requests a Linux guest never does.  The launcher's
# output comes back as blocks,
#
#   === case NAME rc=STATUS
#   guest| <the launcher's output>
#   === end NAME
#
# and "=== NAME VALUE" lines say what the host wrote into the disk images
# before the guests ran, and what the images hold after them.
L=/lg/lguest
K=/lg/bzImage
I=/lg/devices.cpio.gz
D=/tmp/disk.img

# report NAME STATUS FILE; the guest's crash messages defused on the way,
# so that scripts/boot does not take them for the host's.
report() {
	echo "=== case $1 rc=$2"
	sed -e 's/^/guest| /' -e 's/Kernel panic/Kernel-panic/' -e 's/Oops/Oops_/' \
		-e 's/BUG:/BUG_:/' -e 's/WARNING:/WARNING_:/' "$3"
	echo "=== end $1"
}

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"

# A 4 MiB image: a line of text no one can guess in sector 0, 1 MiB of
# random bytes at 1 MiB; the guest reads both back.  The rest is zeros.
dd if=/dev/zero of=$D bs=1M count=4 2>/dev/null
pattern="LGUEST-HOST-PATTERN-$(head -c 16 /dev/urandom | md5sum | cut -c1-16)"
printf '%s\n' "$pattern" | dd of=$D conv=notrunc 2>/dev/null
dd if=/dev/urandom of=$D bs=1M seek=1 count=1 conv=notrunc 2>/dev/null
echo "=== host-pattern $pattern"
echo "=== host-md5 $(dd if=$D bs=1M skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

$L --rng --block=$D --initrd=$I 64 $K >/tmp/devices.out 2>&1
report devices $? /tmp/devices.out

# What the guest left in the image (see devices-guest.sh for where).
sector() { dd if=$D bs=512 skip="$1" count=1 2>/dev/null | tr -d '\000' | head -n1; }
echo "=== image-size $(wc -c <$D)"
echo "=== image-sector0 $(sector 0)"
echo "=== image-sector6144 $(sector 6144)"
echo "=== image-last $(sector 8191)"
echo "=== image-md5-2m $(dd if=$D bs=1M skip=2 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

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

rmmod lg
echo "=== rmmod rc=$?"
