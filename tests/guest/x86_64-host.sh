#!/bin/sh
# Run in the x86_64 host kernel's initramfs (scripts/boot --script) by
# tests/52-x86_64.sh: load lg, run the PAE guest under the 64-bit
# launcher, then a 2-level one it must refuse, and unload lg.  Each case
# is a block the test judges:
#
#   === case NAME rc=STATUS
#   guest| <the launcher's output>
#   === end NAME
report() {
	echo "=== case $1 rc=$2"
	sed 's/^/guest| /' "$3"
	echo "=== end $1"
}

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"
/lg/lguest --initrd=/lg/guest.cpio.gz 64 /lg/bzImage >/tmp/pae.out 2>&1
report pae $? /tmp/pae.out
echo "=== exits $(cat /sys/module/lg/parameters/exits)"
/lg/lguest --initrd=/lg/guest.cpio.gz 64 /lg/other.bzImage >/tmp/other.out 2>&1
report 2level $? /tmp/other.out
rmmod lg
echo "=== rmmod rc=$?"
