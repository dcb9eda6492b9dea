# Run inside the test initramfs (scripts/boot --script): load lg, run the
# selftests, unload lg.  The files come from run-qemu.sh's --add options:
# the guests in /lg/guest-pae for a PAE host (lgtest -p), else /lg/guest.
echo "cpu: $(grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'smep|smap|umip|pge|nx|pae' | tr '\n' ' ')"
if [ -d /lg/guest-pae ]; then
	set -- -p -d /lg/guest-pae
else
	set -- -d /lg/guest
fi


# One load, guest and unload first, so that what the kernel allocates
# once (for a first module load, a first guest, lgtest's first run) is
# not counted below.
insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
/lg/lgtest "$@" ring1 >/dev/null
rmmod lg || { echo "not ok - rmmod lg"; exit 1; }
before=$(sh /lg/memfree)

insmod /lg/lg.ko || { echo "not ok - insmod lg.ko"; exit 1; }
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
rmmod lg || { echo "not ok - rmmod lg"; rc=1; }

# After the selftests' guests (lgtest's leak test alone runs 300), the
# memory is back once lg is gone, within MEM_SLACK_KB: what the slab
# caches keep of the objects the guests' launchers used (see the note in
# tests/50-host.sh for the measures).  A page lost per guest is 1.6 MB.
MEM_SLACK_KB=256
after=$(sh /lg/memfree)
echo "# memory: free $before kB before insmod, $after kB after rmmod: $((before - after)) kB less (at most $MEM_SLACK_KB)"
if [ $((before - after)) -gt $MEM_SLACK_KB ]; then
	echo "not ok - rmmod lg left $((before - after)) kB less free memory than before insmod (at most $MEM_SLACK_KB)"
	rc=1
fi
dmesg | grep -i -E 'lguest|BUG|WARNING|Oops' | head -40
exit $rc
