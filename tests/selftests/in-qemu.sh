# Run inside the test initramfs (scripts/boot --script): load lg, run the
# selftests, unload lg.  The files come from run-qemu.sh's --add options:
# the guests in /lg/guest-pae for a PAE host (lgtest -p), else /lg/guest.
echo "cpu: $(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'smep|smap|umip|pge|nx|pae' | tr '\n' ' ')"
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
if [ -d /lg/guest-pae ]; then
	set -- -p -d /lg/guest-pae
else
	set -- -d /lg/guest
fi
rc=0
# run-qemu.sh --segments: a guest for tests/selftests/segments to look at.
if [ -f /lg/segspin ]; then
	/lg/lgtest "$@" segspin || rc=1
fi
# run-qemu.sh --only: these tests only.
if [ -f /lg/only ]; then
	# shellcheck disable=SC2046 # one name a line
	set -- "$@" $(cat /lg/only)
fi
/lg/lgtest "$@" || rc=1
grep -E 'MemFree' /proc/meminfo
rmmod lg || { echo "not ok - rmmod lg"; rc=1; }
dmesg | grep -i -E 'lguest|BUG|WARNING|Oops' | head -40
exit $rc
