#!/bin/sh
# The guest's init script for tests/65-devices.sh (scripts/mkinitramfs
# --script --poweroff), run under lguest with --rng --block=FILE
# --block=ext2.img: it looks at the devices and prints what it finds;
# devices-host.sh and the test on the outside judge it.
#
# The disk (4 MiB) comes from the host with a text line in sector 0 and
# 1 MiB of random bytes at 1 MiB.  We write a line of our own in sector
# 6144 (3 MiB), another in the last sector, and 1 MiB of random bytes at
# 2 MiB, then sync: the host then finds them in its file.
#
# A second disk holds an ext2 file system made on the test machine; we
# mount it, read the host's files, write and delete some, and unmount it.
#
# With lgtest.mode=shell on its command line it runs an interactive shell
# on its console instead, which the host drives through the launcher's
# stdin (see devices-host.sh).

read -r cmdline </proc/cmdline
case " $cmdline " in
*" lgtest.mode=shell "*)
	echo "GUEST-SHELL-READY"
	exec sh -i
	;;
esac

for f in /sys/bus/pci/devices/*; do
	echo "GUEST-PCI: ${f##*/} $(cat "$f/vendor") $(cat "$f/device") $(cat "$f/class") irq $(cat "$f/irq")"
done

# The disk: its size, its serial (the image file's name), what the host wrote.
if [ -b /dev/vda ]; then
	echo "GUEST-VDA: $(blockdev --getsize64 /dev/vda) bytes, $(cat /sys/block/vda/size) sectors"
else
	echo "GUEST-VDA: missing"
fi
echo "GUEST-VDA-SERIAL: $(cat /sys/block/vda/serial)"
# FLUSH offered: the guest sees a write cache, and sync sends flushes.
echo "GUEST-VDA-CACHE: $(cat /sys/block/vda/queue/write_cache)"
echo "GUEST-READ: $(dd if=/dev/vda bs=512 count=1 2>/dev/null | tr -d '\000' | head -n1)"
echo "GUEST-READ-MD5: $(dd if=/dev/vda bs=1M skip=1 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

# The entropy device: hw_random's current source, and bytes from it.
echo "GUEST-RNG-CURRENT: $(cat /sys/class/misc/hw_random/rng_current)"
echo "GUEST-RNG-BYTES: $(head -c 64 /dev/hwrng | wc -c)"
a=$(head -c 32 /dev/hwrng | md5sum)
b=$(head -c 32 /dev/hwrng | md5sum)
[ "$a" != "$b" ] && echo "GUEST-RNG-DIFFERS"

# Our writes, with text from the entropy device so that no one else
# could have put it there.
p="LGUEST-GUEST-PATTERN-$(head -c 16 /dev/hwrng | md5sum | cut -c1-16)"
printf '%s\n' "$p" | dd of=/dev/vda bs=512 seek=6144 conv=notrunc 2>/dev/null
echo "GUEST-WROTE: $p"
last=$(($(cat /sys/block/vda/size) - 1))
printf 'LGUEST-LAST-SECTOR %s\n' "$last" | dd of=/dev/vda bs=512 seek="$last" conv=notrunc 2>/dev/null
dd if=/dev/urandom of=/tmp/rand bs=1M count=1 2>/dev/null
dd if=/tmp/rand of=/dev/vda bs=1M seek=2 conv=notrunc 2>/dev/null
echo "GUEST-WROTE-MD5: $(md5sum </tmp/rand | cut -d' ' -f1)"
# Past the end: the guest's block layer refuses it before the device.
if printf x | dd of=/dev/vda bs=512 seek=$((last + 1)) conv=notrunc 2>/dev/null; then
	echo "GUEST-PAST-END: accepted"
else
	echo "GUEST-PAST-END: refused"
fi

# The ext2 disk made on the test machine: the one whose serial is the
# image's name.  We read the host's files, write our own (a text line
# from the entropy device, 128 KiB of random bytes in a new directory),
# delete one of the host's, and unmount: the host then reads them back.
x=
for s in /sys/block/vd*/serial; do
	d=${s%/serial}
	[ "$(cat "$s")" = ext2.img ] && x=/dev/${d##*/}
done
echo "GUEST-EXT2-DISK: ${x:-missing}"
mkdir -p /mnt
if [ -n "$x" ] && mount -t ext2 "$x" /mnt; then
	echo "GUEST-EXT2-MOUNT: $(grep ' /mnt ' /proc/mounts | cut -d' ' -f1-3)"
	echo "GUEST-EXT2-HOST-TXT: $(cat /mnt/host.txt)"
	echo "GUEST-EXT2-HOST-MD5: $(md5sum </mnt/sub/host.bin | cut -d' ' -f1)"
	q="LGUEST-EXT2-GUEST-$(head -c 16 /dev/hwrng | md5sum | cut -c1-16)"
	printf '%s\n' "$q" >/mnt/guest.txt
	echo "GUEST-EXT2-WROTE: $q"
	dd if=/dev/urandom of=/tmp/guest.bin bs=64k count=2 2>/dev/null
	mkdir /mnt/gdir
	cp /tmp/guest.bin /mnt/gdir/guest.bin
	echo "GUEST-EXT2-WROTE-MD5: $(md5sum </tmp/guest.bin | cut -d' ' -f1)"
	rm /mnt/delete-me
	umount /mnt && echo "GUEST-EXT2-UMOUNT: ok"
else
	echo "GUEST-EXT2-MOUNT: failed"
fi
sync
echo "GUEST-DEVICES-DONE"
