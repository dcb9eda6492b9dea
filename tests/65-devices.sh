# test: the launcher's virtio disk (--block) and entropy device (--rng) work in a Linux guest
# shellcheck shell=bash
# lane: 2

# One QEMU boot of the guest-variant kernel runs
# tests/guest/devices-host.sh: the launcher refusing bad --block files
# (before lg.ko is loaded), then lg.ko and one guest, that same bzImage,
# with --rng --block=/tmp/disk.img and a second disk, an ext2 image made
# here with mke2fs, whose init runs tests/guest/devices-guest.sh (the
# host loop-mounts the ext2 image after it, and sends the image back
# through the serial log for e2fsck here), then the launcher's test
# guest blk.elf (tools-lguest/tests/blk.c) for the requests Linux never
# sends, and in its "ro" mode for a read-only disk; then a Linux guest whose shell is
# driven through the launcher's stdin, with a read-only disk and a disk
# it syncs to just before the launcher is killed with SIGKILL.  The
# checks after the boot read the serial log: what the guests saw and
# wrote, and what the image files hold after they powered off.

t_dev_run=$T_STATE/devices-run

# The launcher (against the patched tree, no warnings) and the guest's
# initramfs.
t_dev_prepare() {
	local out=$t_dev_run
	t_bzimage guest >/dev/null || return 1
	rm -rf "$out"
	t_launcher_build_for "$out" guest all tests || return 1
	if t_x86_64; then t_launcher_build_for "$out" x86_64 || return 1; fi
	"$LG_REPO/scripts/mkinitramfs" --out "$out/devices.cpio.gz" --poweroff \
		--script "$LG_REPO/tests/guest/devices-guest.sh" >/dev/null
	t_dev_mkext2 || return 1
	echo "launcher, the guest initramfs and the ext2 image in $out"
}

# The ext2 image the guest mounts: a line of text no one can guess, 16 KiB
# of random bytes in a subdirectory, and a file for the guest to delete.
# The checks compare what the guest and the QEMU host read with these.
t_dev_mkext2() {
	local d=$t_dev_run/ext2-files mke2fs
	mke2fs=$(PATH=$PATH:/usr/sbin:/sbin command -v mke2fs) ||
		{ echo "mke2fs missing: run scripts/get-kernel (installs e2fsprogs)"; return 1; }
	mkdir -p "$d/sub"
	printf 'LGUEST-EXT2-HOST-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$d/host.txt"
	head -c 16384 /dev/urandom >"$d/sub/host.bin"
	echo "the guest deletes this file" >"$d/delete-me"
	"$mke2fs" -q -F -t ext2 -b 1024 -L lguest-ext2 -d "$d" "$t_dev_run/ext2.img" 2M
	echo "ext2 image: $t_dev_run/ext2.img, from $d:"
	(cd "$d" && find . -type f -exec md5sum {} +)
}

# t_dev_error NAME TEXT: in the QEMU run, before lg.ko is loaded
# (tests/guest/devices-host.sh: the launcher is i386, it never runs on
# this machine), case NAME exited 2 and said TEXT on stderr.
t_dev_error() { t_serial_said "$t_dev_serial_f" "$1" 2 stderr "$2"; }

t_dev_missing() {
	t_dev_error block-missing \
		"--block=/nonexistent/disk.img: No such file or directory; give a disk image we can read and write"
}

# Root may write any file, so a directory is what cannot be opened read-write.
t_dev_unwritable() {
	t_dev_error block-dir "--block=/tmp/a-dir: Is a directory; give a disk image we can read and write"
}

t_dev_badsize() {
	t_dev_error block-odd "--block=/tmp/odd.img: its size, 1000 bytes, is not a whole number of 512-byte sectors; pad it (truncate -s %512 /tmp/odd.img)"
}

t_dev_empty() {
	t_dev_error block-empty "--block=/tmp/empty.img: the file is empty; give it a size (truncate -s 64M"
}

t_dev_boot() {
	local bz gbz build rc=0
	[[ -f $t_dev_run/devices.cpio.gz ]] || { echo "nothing built: see the first check"; return 1; }
	bz=$(t_bzimage "$t_dev_v") || return 1
	gbz=$(t_bzimage "$(t_guest_variant "$t_dev_v")") || return 1
	build=$(<"$T_STATE/$t_dev_v.out")
	# The QEMU host's own disk (its /dev/vda), for the flush-and-crash case.
	rm -f "$t_dev_drive_f"
	truncate -s 1M "$t_dev_drive_f"
	t_scripts_boot "$bz" --quiet --cpu max --timeout 400 --drive "$t_dev_drive_f" \
		--log "$t_dev_serial_f" --script "$LG_REPO/tests/guest/devices-host.sh" \
		--add "$build/drivers/lguest/lg.ko:/lg/lg.ko" \
		--add "$(t_launcher_dir "$t_dev_run" "$t_dev_v")/lguest:/lg/lguest" \
		--add "$gbz:/lg/bzImage" --add "$t_dev_run/devices.cpio.gz:/lg/devices.cpio.gz" \
		--add "$t_dev_run/launcher/tests/blk.elf:/lg/blk.elf" \
		--add "$t_dev_run/ext2.img:/lg/ext2.img" || rc=$?
	grep -a '^=== ' "$t_dev_serial_f" | tr -d '\r' | grep -v '^=== ext2-image-' || true
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $t_dev_serial_f"; return 1; }
	echo "serial log: $t_dev_serial_f"
}

# The serial log and its parts (tests/lib.sh).
t_dev_serial() { t_serial_text "$t_dev_serial_f"; }

# t_dev_value NAME: the value of the host's "=== NAME VALUE" line.
t_dev_value() { t_serial_value "$t_dev_serial_f" "$1"; }

# t_dev_case NAME: the launcher's output in case NAME (devices: the Linux
# guest; blk: blk.elf), without the "guest| " prefix.
t_dev_case() { t_serial_output "$t_dev_serial_f" "$1"; }

# t_dev_guest KEY: the Linux guest's "KEY: VALUE" line (its first), as VALUE.
t_dev_guest() { t_dev_case devices | sed -n "s/^$1: //p" | awk 'NR == 1'; }

# t_dev_has CASE TEXT...: the output of case CASE has every TEXT.
t_dev_has() {
	local out text
	out=$(t_dev_case "$1") || return 1
	shift
	[[ -n $out ]] || { echo "no output from the guest; serial log: $t_dev_serial_f"; return 1; }
	for text in "$@"; do
		grep -qF -- "$text" <<<"$out" || { echo "missing: '$text'; serial log: $t_dev_serial_f"; return 1; }
		echo "found: $text"
	done
}

# t_dev_same WHAT A B: A and B are the same, and not empty.
t_dev_same() {
	echo "$1: '$2' and '$3'"
	[[ -n $2 && $2 == "$3" ]] || { echo "they differ; serial log: $t_dev_serial_f"; return 1; }
}

# t_dev_exit CASE TEXT...: the launcher exited 0 in case CASE, which
# printed every TEXT.
t_dev_exit() { t_serial_case "$t_dev_serial_f" "$1" 0 "${@:2}"; }

# (The guest's kernel warnings fail the boot: scripts/boot.)
t_dev_clean() {
	local bad
	bad=$(t_dev_case devices | grep -E 'cannot emulate|guest driver error|I/O error|virtio block .*: ' | head -n 20 || true)
	[[ -z $bad ]] || { printf '%s\n' "$bad"; echo "serial log: $t_dev_serial_f"; return 1; }
	echo "no I/O errors, driver errors or unemulated instructions in the guest's output"
}

t_dev_read_text() { t_dev_same "host wrote, guest read" "$(t_dev_value host-pattern)" "$(t_dev_guest GUEST-READ)"; }
t_dev_read_md5() { t_dev_same "host md5, guest md5" "$(t_dev_value host-md5)" "$(t_dev_guest GUEST-READ-MD5)"; }
t_dev_wrote_text() { t_dev_same "guest wrote, image holds" "$(t_dev_guest GUEST-WROTE)" "$(t_dev_value image-sector6144)"; }
t_dev_wrote_last() { t_dev_same "image's last sector" "LGUEST-LAST-SECTOR 8191" "$(t_dev_value image-last)"; }
t_dev_wrote_md5() { t_dev_same "guest md5, image md5" "$(t_dev_guest GUEST-WROTE-MD5)" "$(t_dev_value image-md5-2m)"; }
t_dev_image_kept() {
	t_dev_same "image size" 4194304 "$(t_dev_value image-size)" &&
		t_dev_same "host wrote, image sector 0" "$(t_dev_value host-pattern)" "$(t_dev_value image-sector0)"
}
t_dev_blk_image() {
	t_dev_has blk "write of sector 0 and flush ok" "virtio block edges ok" &&
		t_dev_same "image size" 4096 "$(t_dev_value small-size)" &&
		t_dev_same "bytes in sector 0 that are not Z" 0 "$(t_dev_value small-sector0)" &&
		t_dev_same "bytes in sector 7 that are not H" 0 "$(t_dev_value small-sector7)"
}
# The ext2 checks: what the guest read against the files made here, what
# the QEMU host read after the launcher exited against what the guest
# wrote.
t_dev_ext2_mount() {
	local mnt
	mnt=$(t_dev_guest GUEST-EXT2-MOUNT)
	echo "guest's mount: '$mnt'"
	[[ $mnt =~ ^/dev/vd[a-z]\ /mnt\ ext2$ ]] ||
		{ echo "the guest did not mount its ext2 disk; serial log: $t_dev_serial_f"; return 1; }
	t_dev_same "test machine's host.txt, guest read" "$(<"$t_dev_run/ext2-files/host.txt")" \
		"$(t_dev_guest GUEST-EXT2-HOST-TXT)"
}
t_dev_ext2_read_md5() {
	t_dev_same "test machine's sub/host.bin md5, guest md5" \
		"$(md5sum <"$t_dev_run/ext2-files/sub/host.bin" | cut -d' ' -f1)" "$(t_dev_guest GUEST-EXT2-HOST-MD5)"
}
t_dev_ext2_wrote_text() {
	t_dev_same "guest wrote guest.txt, host read" "$(t_dev_guest GUEST-EXT2-WROTE)" "$(t_dev_value ext2-guest-txt)"
}
t_dev_ext2_wrote_md5() {
	t_dev_same "guest's gdir/guest.bin md5, host md5" "$(t_dev_guest GUEST-EXT2-WROTE-MD5)" \
		"$(t_dev_value ext2-guest-md5)"
}
# The guest unmounted (superblock state 1, "clean"), and the host sees its
# own files as they were and delete-me gone.
t_dev_ext2_after() {
	t_dev_has devices "GUEST-EXT2-UMOUNT: ok" &&
		t_dev_same "superblock state after the guest" 1 "$(t_dev_value ext2-state)" &&
		t_dev_same "test machine's host.txt, host read" "$(<"$t_dev_run/ext2-files/host.txt")" \
			"$(t_dev_value ext2-host-txt)" &&
		t_dev_same "test machine's sub/host.bin md5, host md5" \
			"$(md5sum <"$t_dev_run/ext2-files/sub/host.bin" | cut -d' ' -f1)" "$(t_dev_value ext2-host-md5)" &&
		t_dev_same "files in the image" "./gdir ./gdir/guest.bin ./guest.txt ./host.txt ./sub ./sub/host.bin" \
			"$(t_dev_value ext2-files | sed 's/ *$//')"
}
# The image, out of the serial log (gzip in hex), checked with e2fsck -fn.
t_dev_ext2_fsck() {
	local img=${t_dev_serial_f%.serial}-ext2.img e2fsck
	e2fsck=$(PATH=$PATH:/usr/sbin:/sbin command -v e2fsck) ||
		{ echo "e2fsck missing: run scripts/get-kernel (installs e2fsprogs)"; return 1; }
	t_dev_serial | sed -n '/^=== ext2-image-begin$/,/^=== ext2-image-end$/{/^===/d;p}' |
		perl -ne 's/\s//g; print pack("H*", $_)' | gunzip >"$img" ||
		{ echo "no intact image in the serial log: $t_dev_serial_f"; return 1; }
	echo "image after the guest: $img ($(wc -c <"$img") bytes)"
	"$e2fsck" -fn "$img" || { echo "e2fsck -fn $img: exit $?"; return 1; }
}

t_dev_rmmod() { t_dev_serial | grep -x "=== rmmod rc=0"; }

check "devices: launcher, blk.elf and the guest initramfs build (no warnings)" t_dev_prepare
t_dev_blk_ro() {
	t_dev_exit blk-ro "read-only disk: F_RO offered, read ok, write IOERR, flush ok" || return 1
	t_dev_serial | grep -x "=== small-ro-unchanged" >/dev/null ||
		{ echo "the read-only image changed; serial log: $t_dev_serial_f"; return 1; }
	echo "the image is unchanged"
}

# t_dev_killed CASE TEXT...: case CASE ended by SIGKILL (137), as the
# host meant it to, and printed every TEXT.
t_dev_killed() { t_serial_case "$t_dev_serial_f" "$1" 137 "${@:2}"; }

# The write's exit status, as the shell printed it: the tty's echo of
# the command has "$?" there, not a number.
t_dev_shell_ro() {
	local wrc
	t_dev_killed shell "GUEST-VDB-RO: 1" "GUEST-VDB-READ: LGUEST-READ-ONLY-DISK" || return 1
	wrc=$(t_dev_case shell | sed -n 's/^.*GUEST-VDB-WRITE-RC: \([0-9][0-9]*\).*/\1/p' | awk 'NR == 1')
	echo "the guest's write to the read-only disk exited '$wrc'"
	[[ $wrc =~ ^[0-9]+$ ]] || { echo "no exit status for the write; serial log: $t_dev_serial_f"; return 1; }
	((wrc != 0)) || { echo "the write succeeded; serial log: $t_dev_serial_f"; return 1; }
	t_dev_serial | grep -x "=== ro-unchanged" >/dev/null ||
		{ echo "the read-only image changed; serial log: $t_dev_serial_f"; return 1; }
	echo "the write failed and the image is unchanged"
}

t_dev_flush_kill() {
	local synced
	synced=$(t_dev_case shell | sed -n 's/^.*GUEST-SYNCED: \([0-9a-f]\{32\}\).*/\1/p' | awk 'NR == 1')
	t_dev_same "guest synced md5, image md5 after SIGKILL" "$synced" "$(t_dev_value flush-md5)"
}

# The guest's fsync reached the QEMU host's disk: what it synced is in the
# disk's file here, though the QEMU host reset right after (no sync).
t_dev_flush_crash() {
	local synced
	t_serial_case "$t_dev_serial_f" crash running "GUEST-SHELL-READY" || return 1
	synced=$(t_dev_case crash | sed -n 's/^.*GUEST-CRASH-SYNCED: \([0-9a-f]\{32\}\).*/\1/p' | awk 'NR == 1')
	t_dev_serial | grep -q 'sysrq: Resetting' || { echo "the QEMU host did not reset; serial log: $t_dev_serial_f"; return 1; }
	t_dev_same "guest synced md5, the QEMU host's disk after its reset" "$synced" \
		"$(head -c 65536 "$t_dev_drive_f" | md5sum | cut -d' ' -f1)"
}

# t_dev_checks VARIANT: one QEMU boot of the VARIANT kernel (guest for
# 2-level page tables, guest+pae for PAE, x86_64 for the x86_64 host with
# the PAE guest) and the checks on what its guests did.
t_dev_checks() {
	t_dev_v=$1 t_dev_serial_f=$T_STATE/devices-$1.serial t_dev_drive_f=$T_STATE/devices-$1.drive t_dev_l=''
	[[ $1 == *+pae ]] && t_dev_l=' (PAE)'
	[[ $1 == x86_64 ]] && t_dev_l=' (x86_64 host)'
	check "devices$t_dev_l: host boots and runs a guest with --rng --block=/tmp/disk.img --block=ext2.img" t_dev_boot
	check "devices$t_dev_l: --block of a missing file: exit 2 naming the file, cause and fix" t_dev_missing
	check "devices$t_dev_l: --block of a file that cannot be opened read-write: exit 2" t_dev_unwritable
	check "devices$t_dev_l: --block of a file that is not whole sectors: exit 2 with the fix" t_dev_badsize
	check "devices$t_dev_l: --block of an empty file: exit 2 with the fix" t_dev_empty
	check "devices$t_dev_l: the guest powers off (launcher exit 0) after its device checks" \
		t_dev_exit devices "LGTEST-RESULT: 0" "GUEST-DEVICES-DONE"
	check "devices$t_dev_l: guest PCI: rng in slot 2 (0x1044, class ff0000, IRQ 2), blocks in slots 3 and 4 (0x1042, class 018000, IRQ 3 and 4)" \
		t_dev_has devices "GUEST-PCI: 0000:00:02.0 0x1af4 0x1044 0xff0000 irq 2" \
		"GUEST-PCI: 0000:00:03.0 0x1af4 0x1042 0x018000 irq 3" \
		"GUEST-PCI: 0000:00:04.0 0x1af4 0x1042 0x018000 irq 4"
	check "devices$t_dev_l: guest /dev/vda is 4 MiB (8192 sectors), serial disk.img (GET_ID), write-back cache (FLUSH)" \
		t_dev_has devices "GUEST-VDA-CACHE: write back" "GUEST-VDA: 4194304 bytes, 8192 sectors" "GUEST-VDA-SERIAL: disk.img"
	check "devices$t_dev_l: the guest reads the text the host wrote in sector 0" t_dev_read_text
	check "devices$t_dev_l: the guest reads the host's 1 MiB of random bytes intact (md5)" t_dev_read_md5
	check "devices$t_dev_l: the guest's text at sector 6144 is in the image file after it powers off" t_dev_wrote_text
	check "devices$t_dev_l: the guest's write to the last sector (8191) is in the image file" t_dev_wrote_last
	check "devices$t_dev_l: the guest's 1 MiB at 2 MiB is in the image file intact (md5)" t_dev_wrote_md5
	check "devices$t_dev_l: the guest's write past the end of /dev/vda is refused" \
		t_dev_has devices "GUEST-PAST-END: refused"
	check "devices$t_dev_l: the image file keeps its size (no write past the end) and the host's sector 0" t_dev_image_kept
	check "devices$t_dev_l: guest hw_random uses virtio_rng.0" t_dev_has devices "GUEST-RNG-CURRENT: virtio_rng.0"
	check "devices$t_dev_l: guest reads 64 bytes from /dev/hwrng, and two reads differ" \
		t_dev_has devices "GUEST-RNG-BYTES: 64" "GUEST-RNG-DIFFERS"
	check "devices$t_dev_l: no I/O errors or driver errors in the guest's output" t_dev_clean
	check "devices$t_dev_l: blk.elf: PCI identity, features, capacity and seg_max of the disk" \
		t_dev_exit blk "virtio block: identity, features and config ok" "GET_ID: small.img"
	check "devices$t_dev_l: blk.elf: reads and writes past the end or of part of a sector get IOERR" \
		t_dev_has blk "writes past the end or of part of a sector: IOERR" "reads past the end: IOERR"
	check "devices$t_dev_l: blk.elf: unknown request types get UNSUPP and their buffer is untouched" \
		t_dev_has blk "unknown request types: UNSUPP, buffer untouched"
	check "devices$t_dev_l: blk.elf: a write and a flush; the image has the write, its size and last sector are kept" t_dev_blk_image
	check "devices$t_dev_l: blk.elf: a read-only disk (--block=FILE,ro) offers F_RO, reads, gets IOERR for a write; the image is unchanged" \
		t_dev_blk_ro
	check "devices$t_dev_l: commands fed on the launcher's stdin (a fifo) reach a guest shell on hvc0 and its output comes back" \
		t_dev_killed shell "GUEST-SHELL-READY" "GUEST-SUM: 42"
	check "devices$t_dev_l: the guest sees --block=FILE,ro as read-only (/sys/block/vdb/ro), reads it, cannot write it; the image is unchanged" \
		t_dev_shell_ro
	check "devices$t_dev_l: what the guest fsynced is in the image file after the launcher is killed with SIGKILL" \
		t_dev_flush_kill
	check "devices$t_dev_l: a guest's flush reaches the disk (fdatasync): its fsynced data on the QEMU host's own disk survive that host's reset" \
		t_dev_flush_crash
	check "devices$t_dev_l: the guest mounts the ext2 image made on the test machine (--block) and reads its text file" \
		t_dev_ext2_mount
	check "devices$t_dev_l: the guest reads the image's 16 KiB random file intact (md5)" t_dev_ext2_read_md5
	check "devices$t_dev_l: the guest's new file is in the image: the QEMU host loop-mounts it after the launcher exits" \
		t_dev_ext2_wrote_text
	check "devices$t_dev_l: the guest's 128 KiB random file in a new directory reads back intact on the QEMU host (md5)" \
		t_dev_ext2_wrote_md5
	check "devices$t_dev_l: the guest unmounts the image clean; the QEMU host sees the test machine's files intact and the deleted one gone" \
		t_dev_ext2_after
	check "devices$t_dev_l: e2fsck -fn finds no errors in the image the guest wrote" t_dev_ext2_fsck
	check "devices$t_dev_l: rmmod lg succeeds after the guests" t_dev_rmmod
}

t_dev_checks guest
t_dev_checks guest+pae
# The x86_64 host: the PAE guest under the 64-bit launcher.
if t_x86_64; then
	t_dev_checks x86_64
else
	skip "devices (x86_64 host)" "LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
unset t_dev_run t_dev_v t_dev_serial_f t_dev_drive_f t_dev_l
