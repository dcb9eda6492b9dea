# test: scripts/boot tells success, failure, hang and crash apart
# shellcheck shell=bash

# scripts/boot must exit with EXPECT for the command CMD.
t_boot_rc() {
	local expect=$1 cmd=$2 timeout=$3 bz rc=0
	bz=$(t_bzimage guest)
	"$LG_REPO/scripts/boot" "$bz" --quiet --timeout "$timeout" --log "$T_LOG.serial" --cmd "$cmd" || rc=$?
	echo "scripts/boot --cmd '$cmd' exited $rc (want $expect); serial log: $T_LOG.serial"
	((rc == expect))
}

check "scripts/boot exits 0 when the command succeeds (true)" t_boot_rc 0 true 120
check "scripts/boot exits 1 when the command fails (false)" t_boot_rc 1 false 120
# A busy loop, not 'sleep': busybox sleep returns at once in these kernels.
check "scripts/boot exits 124 when the guest hangs (busy loop, 30s timeout)" t_boot_rc 124 'while :; do :; done' 30
check "scripts/boot exits 255 on a kernel panic (sysrq c)" t_boot_rc 255 'echo c > /proc/sysrq-trigger' 120

# The scan for kernel trouble (scripts/boot --judge, no QEMU): every kind
# of report the README names fails a log, as this kernel's line and as a
# relayed guest's ("guest| "), and is quoted; a guest's planned crash
# ("guest-crash| ") does not; a clean log passes.  The samples are the
# kernel's own wording.
t_scan_samples() {
	cat <<'SAMPLES'
[    1.234567] WARNING: CPU: 0 PID: 77 at drivers/lguest/core.c:120 run_guest+0x2a/0x310 [lg]
[    1.234567] BUG: unable to handle page fault for address: f8000000
[    1.234567] kernel BUG at mm/slub.c:435!
[    1.234567] Oops: 0002 [#1] SMP
[    1.234567] Call Trace:
[    1.234567] general protection fault: 0000 [#1] SMP
[    1.234567] traps: PANIC: double fault, error_code: 0x0
[    1.234567] Kernel panic - not syncing: Fatal exception
[    1.234567] possible recursive locking detected
[    1.234567] inconsistent lock state
[    1.234567] WARNING: possible circular locking dependency detected
[    1.234567] UBSAN: shift-out-of-bounds in drivers/lguest/page_tables.c:88:9
[    1.234567] BUG: KASAN: slab-use-after-free in lguest_release+0x1c/0x80 [lg]
[    1.234567] BUG: KFENCE: out-of-bounds read in kfree+0x11/0x40
[    1.234567] refcount_t: underflow; use-after-free.
[    1.234567] list_add corruption. prev->next should be next (c1234567), but was 00000000.
[    1.234567] list_del corruption, c1234567->next is LIST_POISON1 (00000100)
[    1.234567] unchecked MSR access error: WRMSR to 0x48 (tried to write 0x0000000000000000) at rIP: 0xc1010101
[    1.234567] BUG: sleeping function called from invalid context at mm/slab.h:422
[    1.234567] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [lguest:88]
[    1.234567] Watchdog detected hard LOCKUP on cpu 1
[    1.234567] rcu: INFO: rcu_sched self-detected stall on CPU
[    1.234567] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:
[    1.234567] INFO: task lguest:88 blocked for more than 120 seconds.
[    1.234567] BUG: Bad page state in process lguest  pfn:01234
[    1.234567] kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
host-kmemleak| unreferenced object 0xc5a1b2c0 (size 64):
SAMPLES
}

# t_judge WANT LINE: a log of a good run with LINE in the middle is judged
# WANT, and a failure quotes LINE.
t_judge() {
	local want=$1 line=$2 rc=0 log=$T_LOG.judged
	printf 'LGTEST-INIT: judge\n[    0.100000] Linux version 6.12\n%s\nLGTEST-RESULT: 0\n' "$line" >"$log"
	"$LG_REPO/scripts/boot" --judge "$log" 2>"$log.out" || rc=$?
	if ((rc != want)); then
		echo "judged $rc, wanted $want: '$line'"
		cat "$log.out"
		return 1
	fi
	if ((want != 0)) && ! grep -qF -- "FAIL: " "$log.out"; then
		echo "no FAIL line"
		return 1
	fi
	if ((want != 0)) && ! grep -F -- "FAIL: " "$log.out" | grep -qF -- "$line"; then
		echo "the FAIL line does not quote '$line':"
		cat "$log.out"
		return 1
	fi
}

t_scan() {
	local line n=0
	t_judge 0 "[    1.000000] lguest: the guest powered off" || return 1
	while IFS= read -r line; do
		t_judge 255 "$line" && t_judge 255 "guest| $line" && t_judge 0 "guest-crash| $line" || return 1
		n=$((n + 1))
	done < <(t_scan_samples)
	echo "each of $n kinds of report fails a log, this kernel's or a guest's, and is quoted; a planned guest crash does not"
}
check "scripts/boot's scan: every kind of kernel report fails the boot, quoted; a planned guest crash does not" t_scan

# In QEMU: a warning on the console, and one that only dmesg holds (the
# console turned quiet): each fails the boot, quoted.
t_boot_warn() {
	local cmd=$1 text=$2 bz rc=0
	bz=$(t_bzimage guest)
	"$LG_REPO/scripts/boot" "$bz" --quiet --timeout 120 --log "$T_LOG.serial" --cmd "$cmd" 2>"$T_LOG.out" || rc=$?
	cat "$T_LOG.out"
	echo "scripts/boot --cmd '$cmd' exited $rc (want 255); serial log: $T_LOG.serial"
	((rc == 255)) || return 1
	grep 'FAIL: ' "$T_LOG.out" | grep -qF -- "$text" || { echo "the FAIL line does not quote '$text'"; return 1; }
}
check "scripts/boot exits 255 on a kernel warning, quoted (printk through /dev/kmsg)" \
	t_boot_warn 'echo "<4>WARNING: CPU: 0 PID: 1 at planted by tests/45-harness.sh" >/dev/kmsg' \
	"] WARNING: CPU: 0 PID: 1 at planted by tests/45-harness.sh"
check "scripts/boot exits 255 on a kernel warning only dmesg has (dmesg -n 1), quoted" \
	t_boot_warn 'dmesg -n 1; echo "<4>WARNING: CPU: 0 PID: 1 at planted, console quiet" >/dev/kmsg' \
	"host-dmesg| ["

# The debug host's kmemleak, end to end: a module that loses one
# allocation when it loads fails the boot, and scripts/boot quotes the
# report.  Only with the debug host (LGUEST_TEST_DEBUG_HOST=1).
t_kmemleak() {
	local bz build mod=$T_STATE/leak rc=0
	bz=$(t_bzimage host+debug) || return 1
	build=$(cd "$(dirname "$bz")/../../.." && pwd)
	rm -rf "$mod"
	mkdir -p "$mod"
	cp "$LG_REPO/tests/harness/leak.c" "$mod/"
	echo 'obj-m := leak.o' >"$mod/Kbuild"
	lg_build_env
	make -C "$build" ARCH="$LG_ARCH" CC="ccache gcc" M="$mod" modules >"$T_LOG.make" 2>&1 ||
		{ cat "$T_LOG.make"; echo "the leak module did not build"; return 1; }
	"$LG_REPO/scripts/boot" "$bz" --quiet --timeout 300 --log "$T_LOG.serial" \
		--add "$mod/leak.ko:/lg/leak.ko" --cmd 'insmod /lg/leak.ko' 2>"$T_LOG.out" || rc=$?
	cat "$T_LOG.out"
	echo "scripts/boot with the leak module exited $rc (want 255); serial log: $T_LOG.serial"
	((rc == 255)) || return 1
	grep 'FAIL: ' "$T_LOG.out" | grep -q 'kmemleak' || { echo "the FAIL line does not quote kmemleak"; return 1; }
	# leak_init's text is freed with the module's init section, so the
	# report's backtrace has only its address: the task names it.
	tr -d '\r' <"$T_LOG.serial" | grep -q '^host-kmemleak| .*comm "insmod"' ||
		{ echo "no kmemleak report of an object insmod allocated in the serial log"; return 1; }
}
if t_debug_host; then
	check "debug host: a module that loses an allocation fails the boot, kmemleak's report quoted" t_kmemleak
else
	skip "debug host: a module that loses an allocation fails the boot, kmemleak's report quoted" \
		"$(t_debug_host_why)"
fi

# The README's main job, scripts/boot-guest: the terminal gets the
# guest's console and the host's "host:" lines, never the host's own boot
# log ("BIOS-e820", which only the QEMU host prints), which goes to the
# file it names.  With --cmd, the command's output and its status decide.
t_main_job() {
	local want=$1 rc=0 out=$T_LOG.out log
	shift
	local v
	for v in "${T_MAIN_VARIANTS[@]}"; do
		t_build "$v" >/dev/null || { echo "the $v variant did not build"; return 1; }
	done
	"$LG_REPO/scripts/boot-guest" --version "$T_VERSION" --timeout 300 "$@" >"$out" 2>"$T_LOG.err" || rc=$?
	cat "$out" "$T_LOG.err"
	echo "scripts/boot-guest $* exited $rc (want $want)"
	((rc == want)) || return 1
	log=$(sed -n "s/^.*the host's console: //p" "$T_LOG.err" | tail -n1)
	[[ -f $log ]] || { echo "no host log file named on stderr ('$log')"; return 1; }
	grep -q 'BIOS-e820: \[mem' "$log" || { echo "the host's boot log $log lacks its BIOS-e820 lines"; return 1; }
	if grep -q 'BIOS-e820' "$out"; then
		echo "the host's boot log reached the terminal"
		return 1
	fi
	grep -q '^host: the launcher exited with status 0$' "$out" ||
		{ echo "no 'host: the launcher exited with status 0' line"; return 1; }
	local line
	for line in "${T_MAIN_WANT[@]}"; do
		grep -qE -- "$line" "$out" || { echo "no line matching '$line' on the terminal"; return 1; }
	done
}

T_MAIN_VARIANTS=(guest)
T_MAIN_WANT=('^guest: Linux 6\.12\.[0-9]+ i686, ' '^guest: /proc/cpuinfo has the lguest flag$' '^guest: powering off$')
check "main job: scripts/boot-guest shows the guest (uname, the lguest flag), the host's log only in its file, exit 0" \
	t_main_job 0
T_MAIN_VARIANTS=(x86_64 guest+pae)
T_MAIN_WANT=("${T_MAIN_WANT[@]}" '^guest: NX \(Execute Disable\) protection: active$')
check "main job: scripts/boot-guest --host x86_64 runs the PAE guest (NX on) on the x86_64 host, exit 0" \
	t_main_job 0 --host x86_64
T_MAIN_VARIANTS=(guest)
T_MAIN_WANT=('^planted-42$' '^guest: command exit status 3$')
# shellcheck disable=SC2016 # expanded by the guest's shell
check "main job: scripts/boot-guest --cmd: the command's output on the terminal, status 3 makes exit 1" \
	t_main_job 1 --cmd 'echo planted-$((6 * 7)); exit 3'
unset T_MAIN_WANT T_MAIN_VARIANTS

# The Debian guest of the main job (--rootfs debian) needs scripts/
# mkrootfs's image, too slow to make here: without it, boot-guest must
# stop at once, before fetching or building anything, and say how to
# make it.
t_main_job_no_image() {
	local cache=$T_STATE/no-image-cache rc=0
	rm -rf "$cache"
	mkdir -p "$cache"
	# A boot-guest that went on would fetch and build: 30 s at most.
	LGUEST_CACHE=$cache timeout -k 5 30 "$LG_REPO/scripts/boot-guest" --rootfs debian --shell \
		</dev/null >"$T_LOG.out" 2>"$T_LOG.err" || rc=$?
	cat "$T_LOG.out" "$T_LOG.err"
	echo "scripts/boot-guest --rootfs debian exited $rc (want 1; 124: it went on)"
	((rc == 1)) || return 1
	grep -q "no Debian image at $cache/rootfs/debian-bookworm-i386.img: make it with 'scripts/mkrootfs'" "$T_LOG.err" ||
		{ echo "no message naming the image and scripts/mkrootfs"; return 1; }
	grep -q -- '--make-rootfs' "$T_LOG.err" || { echo "the message does not offer --make-rootfs"; return 1; }
	[[ -z $(ls -A "$cache") ]] || { echo "boot-guest did work in the cache before stopping: $(ls -A "$cache")"; return 1; }
}
check "main job: scripts/boot-guest --rootfs debian without the Debian image stops at once and says how to make it" \
	t_main_job_no_image
