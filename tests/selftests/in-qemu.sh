# Run inside the test initramfs (scripts/boot --script): load lg, run the
# selftests, unload lg.  The files come from run-qemu.sh's --add options.
echo "cpu: $(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'smep|smap|umip|pge|nx' | tr '\n' ' ')"
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
/lg/lgtest -d /lg/guest
rc=$?
grep -E 'MemFree' /proc/meminfo
rmmod lg || { echo "not ok - rmmod lg"; rc=1; }
dmesg | grep -i -E 'lguest|BUG|WARNING|Oops' | head -40
exit $rc
