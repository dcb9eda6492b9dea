# test: the launcher (tools-lguest) builds cleanly, reports setup errors and runs test guests under lg.ko
# shellcheck shell=bash

# Build the launcher and its test guests against the patched tree, with no
# warnings, into $T_STATE/launcher.
t_launcher_build() {
	local out=$T_STATE/launcher
	rm -rf "$out"
	t_launcher_build_into "$out" all tests || return 1
	file "$out/lguest" | grep -q 'ELF 32-bit.*statically linked' ||
		{ echo "$out/lguest is not a static 32-bit program: $(file "$out/lguest")"; return 1; }
	echo "built $out/lguest and the test guests in $out/tests"
}

# t_setup_error NAME STATUS TEXT: in the QEMU run, before lg.ko is
# loaded (tools-lguest/tests/in-qemu.sh: the launcher is i386, it never
# runs on this machine), case NAME exited with STATUS and said TEXT on
# stderr (on stdout for status 0).  The case's stdout or stderr is left
# in $T_LOG.stdout or $T_LOG.stderr.
t_setup_error() {
	local name=$1 want=$2 text=$3 stream=stderr
	((want)) || stream=stdout
	t_serial_said "$T_STATE/launcher.serial" "$name" "$want" "$stream" "$text" || return 1
	t_serial_output "$T_STATE/launcher.serial" "$name" | sed -n "s/^$stream: //p" >"$T_LOG.$stream"
}

# Boot the host kernel once with lg.ko, the launcher and the test guests,
# the host's vmlinux and bzImage, a text file and an x86_64 ELF (this
# machine's bash); tools-lguest/tests/in-qemu.sh runs every case and the
# checks after this one read their results from the serial log.
t_launcher_qemu() {
	local bz out ko lg=$T_STATE/launcher adds=() g rc=0 bash
	bz=$(t_bzimage "$(t_host_variant)") || return 1
	out=$(<"$T_STATE/$(t_host_variant).out")
	ko=$out/drivers/lguest/lg.ko
	[[ -f $ko ]] || { echo "no $ko: config/host.config needs CONFIG_LGUEST=m"; return 1; }
	[[ -x $lg/lguest ]] || { echo "no launcher: see the build check"; return 1; }
	[[ -f $out/vmlinux ]] || { echo "no $out/vmlinux: see the host build"; return 1; }
	bash=$(command -v bash)
	adds=(--add "$ko:/lg/lg.ko" --add "$lg/lguest:/lg/lguest" --add "$lg/tests/ptyrun:/lg/guest/ptyrun"
	      --add "$out/vmlinux:/lg/vmlinux" --add "$bz:/lg/host.bzImage"
	      --add "$LG_REPO/README.md:/lg/README.md" --add "$bash:/lg/x86_64.elf")
	for g in "$lg"/tests/*.elf "$lg"/tests/*.bzImage; do
		adds+=(--add "$g:/lg/guest/$(basename "$g")")
	done
	"$LG_REPO/scripts/boot" "$bz" --quiet --cpu max --timeout 400 \
		--log "$T_STATE/launcher.serial" \
		--script "$LG_REPO/tools-lguest/tests/in-qemu.sh" "${adds[@]}" || rc=$?
	grep -a '^=== ' "$T_STATE/launcher.serial" | tr -d '\r' || true
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $T_STATE/launcher.serial"; return 1; }
	echo "serial log: $T_STATE/launcher.serial"
}

# t_case NAME STATUS TEXT...: in the QEMU run, case NAME exited with
# STATUS and its output has every TEXT ("stdout: ..." or "stderr: ...").
t_case() { t_serial_case "$T_STATE/launcher.serial" "$@"; }

check "launcher and test guests build with -Wall -Wextra and no warnings" t_launcher_build

# Without a patched tree, make says which tree it needs.
t_launcher_ksrc() {
	local o=$T_STATE/launcher-noksrc out
	if out=$(make -C "$LG_REPO/tools-lguest" O="$o" 2>&1); then
		echo "make without KSRC succeeded: $out"
		return 1
	fi
	echo "$out"
	grep -qF "set KSRC=<kernel tree with the lguest series applied>" <<<"$out"
	if out=$(make -C "$LG_REPO/tools-lguest" O="$o" KSRC=/nonexistent 2>&1); then
		echo "make with KSRC=/nonexistent succeeded: $out"
		return 1
	fi
	echo "$out"
	grep -qF "KSRC=/nonexistent has no include/uapi/linux/lguest.h: apply the series first (scripts/apply)" <<<"$out"
}
check "launcher Makefile: a missing or unpatched KSRC is named, with the fix" t_launcher_ksrc

check "launcher cases run in QEMU, without and then under lg.ko (one boot)" t_launcher_qemu

# Usage and setup errors, from the QEMU run before lg.ko is loaded.
check "launcher: --help prints the usage and exits 0" \
	t_setup_error help 0 "Usage: lguest"
# --version: the Makefile's VERSION, this checkout's git describe, and
# the ABI's numbers from the uapi header the launcher was built with.
t_launcher_version() {
	local ver desc inc=$T_STATE/launcher/include/linux/lguest_launcher.h
	ver=$(sed -n 's/^VERSION := //p' "$LG_REPO/tools-lguest/Makefile")
	desc=$(git -C "$LG_REPO/tools-lguest" describe --always --dirty)
	[[ -n $ver && -n $desc ]] || { echo "no VERSION in tools-lguest/Makefile, or no git describe"; return 1; }
	t_setup_error version 0 "lguest launcher $ver (git $desc)" || return 1
	# LHREQ_TRAP is the 8th request (0..7) in the header's enum.
	grep -q 'LHREQ_TRAP' "$inc" || { echo "no LHREQ_TRAP in $inc"; return 1; }
	grep -qF "lguest ABI: /dev/lguest requests 0 to 7 (LHREQ_TRAP), hypercalls through vector 0x1f" "$T_LOG.stdout" ||
		{ echo "no ABI line"; return 1; }
	t_setup_error version-short 0 "lguest launcher $ver"
}
check "launcher: --version prints the Makefile's VERSION, git describe and the ABI" t_launcher_version

# Every option the parser knows is in --help: the names in the parser's
# table (its rows read '{ "--name", "-n" or NULL, ...') against the usage
# text.
t_launcher_help_complete() {
	local opts o missing=0
	t_setup_error help 0 "Usage: lguest" >/dev/null || { echo "no --help output: see the --help check"; return 1; }
	mapfile -t opts < <(grep -E '^[[:space:]]*\{ "--[a-z-]+", ' "$LG_REPO/tools-lguest/lguest.c" |
		grep -oE '"-{1,2}[a-zA-Z-]+"' | tr -d '"' | sort -u)
	((${#opts[@]} >= 10)) || { echo "found only ${#opts[@]} options in lguest.c: ${opts[*]}"; return 1; }
	for o in "${opts[@]}"; do
		if grep -qE -- "(^|[ ,])$o([=, ]|\$)" "$T_LOG.stdout"; then
			echo "documented: $o"
		else
			echo "NOT in --help: $o"
			missing=1
		fi
	done
	((!missing))
}
check "launcher: --help documents every option the parser takes" t_launcher_help_complete

check "launcher: no arguments is a usage error (exit 2)" \
	t_setup_error no-args 2 "no MEM_MB and KERNEL given; see lguest --help"
check "launcher: an unknown option is a usage error (exit 2)" \
	t_setup_error unknown-option 2 "unknown option '--bogus'"
check "launcher: an option without its value names the form (exit 2)" \
	t_setup_error no-value 2 "--user needs a value, as --user=USER"
check "launcher: --user of an unknown name (exit 2, says how names are found)" \
	t_setup_error user-unknown 2 \
	"--user=no-such-user-lg: no such user in /etc/passwd; give an existing user name or a numeric UID"
check "launcher: --user of a UID with no passwd entry and no --group (exit 2)" \
	t_setup_error user-uid 2 \
	"--user=987654: UID 987654 has no entry in /etc/passwd, so it has no group to run with; add --group=GROUP"
check "launcher: --group of an unknown name (exit 2)" \
	t_setup_error group-unknown 2 "--group=no-such-group-lg: no such group in /etc/group"
check "launcher: --chroot of a missing directory (exit 2)" \
	t_setup_error chroot-missing 2 "--chroot=/nonexistent/jail: No such file or directory; give an existing directory"
check "launcher: --chroot of a file (exit 2)" \
	t_setup_error chroot-file 2 "--chroot=/lg/README.md: not a directory"
check "launcher: --restart=exec with --user is refused (exit 2)" \
	t_setup_error restart-user 2 "--restart=exec cannot be used with --user, --group or --chroot"

# As nobody (busybox su in QEMU), in a directory that user can enter: a
# disk image it cannot read is refused, one it can only read becomes a
# read-only disk (-v says so; then /dev/lguest stops it, as on any
# machine without lg).
t_launcher_nonroot_block() {
	local d=/tmp/nonroot
	t_case nonroot-secret 2 "--block=$d/secret.img: Permission denied; give a disk image we can read" || return 1
	t_case nonroot-readonly 2 \
		"virtio block $d/readonly.img: cannot open it for writing (Permission denied): the guest gets a read-only disk" \
		"virtio block: $d/readonly.img, 8 sectors, read-only" \
		"/dev/lguest: No such file or directory"
}
check "launcher: as non-root, an unreadable --block file is refused (exit 2); a read-only one becomes a read-only disk" \
	t_launcher_nonroot_block
check "launcher: --block=FILE,ro of a directory is refused (exit 2)" \
	t_setup_error block-dir-ro 2 "--block=/tmp/a-dir: not a regular file or block device"

check "launcher: MEM_MB that is not a number (exit 2)" \
	t_setup_error mem-nan 2 "MEM_MB '16M' is not a whole number of MiB"
check "launcher: absurd MEM_MB names the limit (exit 2)" \
	t_setup_error mem-big 2 "MEM_MB 100000 is too large: the limit is 2048 MiB"
check "launcher: a missing kernel file (exit 2)" \
	t_setup_error kernel-missing 2 "/nonexistent/vmlinux: No such file or directory"
check "launcher: a file that is not a kernel image (exit 2)" \
	t_setup_error kernel-text 2 "not a kernel image"
check "launcher: an ELF file that is not an i386 executable (exit 2)" \
	t_setup_error kernel-elf64 2 "not a 32-bit x86 executable"
check "launcher: a missing initrd (exit 2)" \
	t_setup_error initrd-missing 2 "/nonexistent/initrd: No such file or directory; give a readable initrd"
check "launcher: an initrd too big for guest memory (exit 2)" \
	t_setup_error initrd-big 2 "do not fit between the kernel (ending at"

# The real host kernel: its vmlinux and bzImage load, then the launcher
# stops at /dev/lguest (lg.ko is not loaded yet).
t_real_kernel() {
	t_setup_error "$1-small" 2 "needs guest memory up to" &&
		t_setup_error "$1-nodev" 2 "/dev/lguest: No such file or directory; load the lg module (modprobe lg)"
}
check "launcher: a real i386 vmlinux loads (too-small MEM_MB, then no /dev/lguest: exit 2)" t_real_kernel vmlinux
check "launcher: a real bzImage loads (too-small MEM_MB, then no /dev/lguest: exit 2)" t_real_kernel bzimage

check "launcher in QEMU: without lg.ko, /dev/lguest is missing (exit 2, says modprobe lg)" \
	t_case nodev 2 "stderr: lguest: /dev/lguest: No such file or directory; load the lg module (modprobe lg)"
check "launcher in QEMU: test guest probes PCI, uses the early console, MMIO and both virtqueues, powers off (exit 0)" \
	t_case console 0 "stdout: PCI config space ok, early console through PCI_CFG ok" \
	"stdout: cmdline: noreplace-smp console=hvc0 lguest.test=1" "stdout: initrd: lguest-initrd-marker" \
	"stdout: MMIO-ok" "stdout: MMIO decoding ok" \
	"stdout: hello through the transmit queue" "stdout: received: ping from stdin" \
	"stdout: stdin EOF: nothing more received" \
	"stdout: virtio console ok" "stdout: powering off"
check "launcher in QEMU: an 11-byte MMIO store is read through the guest's page tables (walk.elf: 'W', not the physical page's 'X')" \
	t_case walk 0 "stdout: walk: W" "stdout: walk: done"
check "launcher in QEMU: a bzImage loads and gets its command line (exit 0)" \
	t_case bzimage 0 "stdout: hello from a bzImage, cmdline: noreplace-smp a b c"
check "launcher in QEMU: a guest panic exits 255 with the panic text" \
	t_case panic 255 "stdout: about to panic" \
	"stderr: lguest: guest panicked: Attempted to kill init! lguest test panic"
check "launcher in QEMU: a guest restart exits 3" \
	t_case restart 3 "stdout: restarting" "stderr: lguest: the guest asked to restart"
# Both boots got the same command line: the re-executed launcher took
# the same kernel and arguments, and added noreplace-smp once.
t_launcher_restart_exec() {
	local n
	t_case restart-exec 0 "stdout: received: again" "stdout: restarting" \
		"stdout: stdin at its end from the start: nothing to restart for" "stdout: powering off" || return 1
	n=$(t_serial_output "$T_STATE/launcher.serial" restart-exec | tr -d '\r' |
		grep -c -x 'stdout: cmdline: noreplace-smp restart' || true)
	((n == 2)) || { echo "'cmdline: noreplace-smp restart' $n times, not once per boot (2)"; return 1; }
	echo "two boots, the same command line"
}
check "launcher in QEMU: --restart=exec runs the guest again with the same kernel and arguments (exit 0 after the second boot)" \
	t_launcher_restart_exec
check "launcher in QEMU: an instruction it cannot emulate goes back to the guest (no handler: exit 255)" \
	t_case badinsn 255 "stdout: trying insb" "stderr: lguest: cannot emulate the instruction" \
	"has no handler for it"
check "launcher in QEMU: a virtio protocol violation stops the guest with the rule named (exit 255)" \
	t_case violation 255 "stdout: breaking the virtio rules" \
	"stderr: lguest: guest driver error: virtio console (PCI slot 1): status 0 -> 0x4"
check "launcher in QEMU: a guest the host kills exits 255 with the host's reason" \
	t_case killed 255 "stdout: making a bad hypercall" "stderr: lguest: guest killed by the host: Bad hypercall"
check "launcher in QEMU: --verbose traces the kernel load and the devices on stderr" \
	t_case verbose 0 "stderr: lguest: bzImage: " "stderr: lguest: PCI slot 1: virtio console, BAR0 0x1100000, IRQ 1" \
	"stderr: lguest: the guest powered off"
t_launcher_tty() {
	t_case tty-poweroff 0 "stdout: raw while running: ICANON ECHO ISIG IEXTEN ICRNL IXON off" \
		"stdout: hello from a bzImage" "stdout: launcher exit status 0" "stdout: tty restored" &&
		t_case tty-panic 0 "stdout: raw while running: ICANON ECHO ISIG IEXTEN ICRNL IXON off" \
			"stdout: about to panic" "stdout: launcher exit status 255" "stdout: tty restored"
}
check "launcher in QEMU: a terminal on stdin (the serial console) is raw while the guest runs, restored after power-off and after a panic" \
	t_launcher_tty
check "launcher in QEMU: on a pty, raw while the guest runs and restored on SIGTERM" \
	t_case pty-term 0 "stdout: raw while running: ICANON ECHO ISIG IEXTEN ICRNL IXON off" \
	"stdout: launcher killed by signal 15" "stdout: tty restored"
check "launcher in QEMU: on a pty, raw, then restored on SIGINT" \
	t_case pty-int 0 "stdout: raw while running:" "stdout: launcher killed by signal 2" "stdout: tty restored"
check "launcher in QEMU: on a pty, raw, then restored on SIGHUP" \
	t_case pty-hup 0 "stdout: raw while running:" "stdout: launcher killed by signal 1" "stdout: tty restored"
check "launcher in QEMU: on a pty, raw, then restored after a guest driver error (exit 255)" \
	t_case pty-error 0 "stdout: raw while running:" "stdout: lguest: guest driver error" "stdout: launcher exit status 255" "stdout: tty restored"
check "launcher in QEMU: --user=lgtest --chroot: runs as 1234:1234 with its groups (1234 4321), root /tmp/jail" \
	t_case privs-name 143 "stdout: idle: waiting to be stopped" "stdout: Uid: [1234 1234 1234 1234]" \
	"stdout: Gid: [1234 1234 1234 1234]" "stdout: Groups: [1234 4321]" "stdout: root: [/tmp/jail]"
check "launcher in QEMU: --user=2000 --group=3000 (no passwd entry): runs as 2000:3000, groups 3000 only" \
	t_case privs-ids 143 "stdout: idle: waiting to be stopped" "stdout: Uid: [2000 2000 2000 2000]" \
	"stdout: Gid: [3000 3000 3000 3000]" "stdout: Groups: [3000]" "stdout: root: [/]"
check "launcher in QEMU: the console test guest runs whole after --user and --chroot (exit 0)" \
	t_case privs-console 0 "stdout: received: ping from stdin" "stdout: virtio console ok"
check "launcher in QEMU: five guests in a row each power off" \
	t_case again 0 "stdout: hello from a bzImage, cmdline: noreplace-smp run 5"
t_launcher_rmmod() {
	local rc
	rc=$(t_serial_value "$T_STATE/launcher.serial" rmmod) || return 1
	[[ $rc == rc=0 ]] || { echo "rmmod lg: '${rc:-no report}'; serial log: $T_STATE/launcher.serial"; return 1; }
	echo "rmmod lg: exit 0"
}
check "launcher in QEMU: rmmod lg succeeds after the guests" t_launcher_rmmod


# The launcher for an x86_64 host: the same sources built with
# ARCH=x86_64, a native program here, so its setup paths run on this
# machine (there is no x86_64 lg.ko to run a guest under yet).
t_lg64=$T_STATE/launcher-x86_64
t_launcher64_build() {
	rm -rf "$t_lg64"
	t_launcher_build_into "$t_lg64" ARCH=x86_64 all || return 1
	file "$t_lg64/lguest" | grep -q 'ELF 64-bit.*x86-64.*statically linked' ||
		{ echo "$t_lg64/lguest is not a static x86-64 program: $(file "$t_lg64/lguest")"; return 1; }
	echo "built $t_lg64/lguest"
}
check "launcher for x86_64 (ARCH=x86_64) builds with -Wall -Wextra and no warnings, a static x86-64 program" \
	t_launcher64_build

# t_launcher64 STATUS TEXT ARGS...: the x86_64 launcher, run here with
# ARGS, exits with STATUS and says TEXT (stdout for 0, else stderr).
t_launcher64() {
	local want=$1 text=$2 rc=0 out=stderr f=$T_LOG.err
	shift 2
	[[ -x $t_lg64/lguest ]] || { echo "no $t_lg64/lguest: see the x86_64 build check"; return 1; }
	# Never run an i386 program here: a broken ARCH=x86_64 build might be one.
	file "$t_lg64/lguest" | grep -q 'ELF 64-bit.*x86-64' ||
		{ echo "$t_lg64/lguest is not an x86-64 program: not running it"; return 1; }
	echo "\$ lguest $*"
	"$t_lg64/lguest" "$@" </dev/null >"$T_LOG.out" 2>"$T_LOG.err" || rc=$?
	sed 's/^/stdout: /' "$T_LOG.out"
	sed 's/^/stderr: /' "$T_LOG.err"
	((rc == want)) || { echo "exit status $rc, wanted $want"; return 1; }
	if ((want == 0)); then out=stdout f=$T_LOG.out; fi
	grep -qF -- "$text" "$f" || { echo "no '$text' on $out"; return 1; }
	echo "exit status $rc and '$text'"
}
check "launcher for x86_64: --help prints the usage and exits 0" \
	t_launcher64 0 "Usage: lguest" --help
check "launcher for x86_64: --version says it is built for an x86_64 host, with 64-bit request words" \
	t_launcher64 0 "built for an x86_64 host: /dev/lguest request words of 64 bits" --version
check "launcher for x86_64: an unknown option is a usage error (exit 2)" \
	t_launcher64 2 "unknown option '--bogus'" --bogus 16 "$T_STATE/launcher/tests/hello.elf"
check "launcher for x86_64: absurd MEM_MB names the limit (exit 2)" \
	t_launcher64 2 "MEM_MB 100000 is too large: the limit is 2048 MiB" 100000 "$T_STATE/launcher/tests/hello.elf"
check "launcher for x86_64: an x86-64 ELF is not a guest kernel (exit 2)" \
	t_launcher64 2 "not a 32-bit x86 executable" 16 "$t_lg64/lguest"
# A 32-bit test guest, its devices and an initrd set up in memory that
# mmap() put above 4 GiB, then no /dev/lguest.
t_launcher64_nodev() {
	local img=$t_lg64/disk.img base
	if [[ -e /dev/lguest ]]; then
		echo "this machine has /dev/lguest: cannot check the missing-module message"
		return 1
	fi
	head -c 8192 /dev/zero >"$img"
	t_launcher64 2 "/dev/lguest: No such file or directory; load the lg module (modprobe lg)" \
		-v --rng --block="$img" --initrd="$img" 16 "$T_STATE/launcher/tests/hello.elf" || return 1
	grep -qF "virtio block: $img, 16 sectors" "$T_LOG.err" || { echo "the disk was not set up"; return 1; }
	grep -qF "initrd: 8192 bytes at guest-physical 0xffe000" "$T_LOG.err" ||
		{ echo "the initrd was not loaded at the top of 16 MiB"; return 1; }
	base=$(sed -n 's/.*guest memory: 16 MiB at \(0x[0-9a-f]*\),.*/\1/p' "$T_LOG.err")
	[[ -n $base ]] || { echo "no 'guest memory: 16 MiB at ADDRESS' trace"; return 1; }
	((base > 0xffffffff)) || { echo "guest memory at $base, below 4 GiB"; return 1; }
	echo "guest memory at $base, above 4 GiB"
}
check "launcher for x86_64: a test guest, a disk and an initrd load, then no /dev/lguest says load the lg module (exit 2)" \
	t_launcher64_nodev
# The Makefile takes the two hosts lguest has, and names them otherwise.
t_launcher_badarch() {
	local out tree
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	if out=$(make -C "$LG_REPO/tools-lguest" KSRC="$tree" O="$T_STATE/launcher-arm64" ARCH=arm64 2>&1); then
		echo "make ARCH=arm64 succeeded: $out"
		return 1
	fi
	echo "$out"
	grep -qF "ARCH=arm64 is no lguest host; use ARCH=i386 (the default) or ARCH=x86_64" <<<"$out"
}
check "launcher Makefile: an ARCH that is no lguest host is refused, with the two that are" t_launcher_badarch
unset t_lg64

# The parts of the launcher that need no host, natively: the instruction
# decoder and the walk of the guest's 2-level and PAE page tables.
t_launcher_unit() {
	local o=$T_STATE/launcher-unit
	if ! make -C "$LG_REPO/tools-lguest" O="$o" check >"$T_LOG.out" 2>&1; then
		cat "$T_LOG.out"
		echo "make -C tools-lguest check failed"
		return 1
	fi
	cat "$T_LOG.out"
	! grep -q 'warning:' "$T_LOG.out" || { echo "the unit tests build with warnings"; return 1; }
	grep -qx 'all passed' "$T_LOG.out"
}
check "launcher: the instruction decoder and the guest page walk pass their unit tests (make check)" t_launcher_unit
