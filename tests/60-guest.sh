# test: a Linux guest boots under lg.ko to userspace, and ends as it should
# shellcheck shell=bash
# lane: 2

# One bzImage, built with the guest and host fragments, is both the host
# kernel QEMU boots and the guest the launcher runs inside it (with its
# vmlinux too): the 2-level build on three CPU models, and the PAE build
# (config/pae.config, with page-table isolation on in the host).
# tests/guest/in-host.sh runs the cases in one QEMU boot per run; the
# checks below read their blocks from the serial log.  A run is named
# VARIANT-CPU: guest-max, guest+pae-max...  On the x86_64 host (run
# x86_64-max) the guest is the PAE bzImage, in compatibility mode.

# Build what the boots need, once: the launcher against the patched tree,
# the guest's test programs, and the guest's initramfs.
t_guest_prepare() {
	local out=$T_STATE/guest-run
	t_bzimage guest >/dev/null || return 1
	rm -rf "$out"
	t_launcher_build_for "$out" guest || return 1
	if t_x86_64; then t_launcher_build_for "$out" x86_64 || return 1; fi
	gcc -m32 -static -O2 -Wall -Wextra -Werror -o "$out/sysloop" "$LG_REPO/tests/guest/sysloop.c"
	t_guest_token=lg-guest-$RANDOM$RANDOM
	echo "$t_guest_token" >"$out/token"
	"$LG_REPO/scripts/mkinitramfs" --out "$out/guest.cpio.gz" --token "$t_guest_token" \
		--script "$LG_REPO/tests/guest/in-guest.sh" --add "$out/sysloop:/sysloop" >/dev/null
	echo "launcher, sysloop and the guest initramfs (token $t_guest_token) in $out"
}

# t_guest_boot VARIANT CPU: boot the VARIANT kernel as the host on QEMU's
# CPU model CPU and run the cases.  A PAE host (and the x86_64 one) runs
# with page-table isolation forced on (QEMU's CPUs do not all need it)
# and is also given the 2-level guest, which it must refuse.
t_guest_boot() {
	local variant=$1 cpu=$2 bz gbz build gbuild run=$T_STATE/guest-run rc=0 extra=() gv
	local serial=$T_STATE/$1-$2.serial
	[[ -f $run/token ]] || { echo "nothing built: see the first check"; return 1; }
	gv=$(t_guest_variant "$variant")
	bz=$(t_bzimage "$variant") || return 1
	gbz=$(t_bzimage "$gv") || return 1
	build=$(<"$T_STATE/$variant.out")
	gbuild=$(<"$T_STATE/$gv.out")
	if [[ $variant == *+pae || $variant == x86_64 ]]; then
		extra+=(--append pti=on --add "$(t_bzimage guest):/lg/other.bzImage")
	fi
	# Conroe's TSC is constant, which the host must vouch for to the
	# guest.  Under TCG on a busy machine the host's clocksource watchdog
	# can see the TSC skew against jiffies and mark it unstable; then lg
	# rightly gives the guest no TSC, and the TSC path goes untested.
	if [[ $cpu == Conroe ]]; then
		extra+=(--append tsc=reliable)
	fi
	t_scripts_boot "$bz" --quiet --cpu "$cpu" --timeout 600 \
		--log "$serial" --script "$LG_REPO/tests/guest/in-host.sh" \
		--add "$build/drivers/lguest/lg.ko:/lg/lg.ko" \
		--add "$(t_launcher_dir "$run" "$variant")/lguest:/lg/lguest" \
		--add "$gbz:/lg/bzImage" --add "$gbuild/vmlinux:/lg/vmlinux" \
		--add "$run/guest.cpio.gz:/lg/guest.cpio.gz" \
		"${extra[@]}" || rc=$?
	grep -a '^=== ' "$serial" | tr -d '\r' || true
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $serial"; return 1; }
	echo "serial log: $serial"
}

# t_first REGEX [FILE]: the first line matching REGEX (without CRs).  It
# reads all of its input: a reader that stops early (grep -m1, head) makes
# the writer die of SIGPIPE, which pipefail turns into a failed check.
t_first() {
	tr -d '\r' <"${2:-/dev/stdin}" | awk -v re="$1" '!f && $0 ~ re { print; f = 1 }'
}

# t_gcase RUN NAME STATUS TEXT...: in run RUN, case NAME exited with
# STATUS and its output has every TEXT.
t_gcase() {
	local run=$1
	shift
	t_serial_case "$T_STATE/$run.serial" "$@"
}

t_guest_main() {
	t_gcase "$1" main 0 "guest| LGTEST-INIT: $(<"$T_STATE/guest-run/token")" "guest| GUEST-MAIN-OK"
}

t_guest_identity() {
	t_gcase "$1" main 0 "guest| GUEST-UNAME: i686" "guest| GUEST-CPUINFO-FLAG: 1" \
		"Booting paravirtualized kernel on lguest"
}

# t_guest_measure RUN NAME: "EXITS T0 T1" of the host's measure of the
# guest's step NAME (in-host.sh): its exits, and the host's clock before
# and after.
t_guest_measure() {
	local m
	m=$(t_serial_text "$T_STATE/$1.serial" | sed -n "s/^=== measure $2 exits \([0-9]*\) host-time \([0-9.]*\) \([0-9.]*\)\$/\1 \2 \3/p" | t_first '')
	[[ -n $m ]] || { echo "no measure of step $2 in $T_STATE/$1.serial" >&2; return 1; }
	echo "$m"
}

# sleep 1 takes a second by the guest's clock and by the host's, and not
# absurdly long; the host's time holds the guest's (and the console round
# trips around it), so a guest clock that runs fast, which the guest
# cannot see itself (its timer still fires by the host's clock), shows as
# more guest time than host time.
t_guest_sleep() {
	local line m
	t_gcase "$1" main 0 "GUEST-SLEEP:" >/dev/null || { t_gcase "$1" main 0 "GUEST-SLEEP:"; return 1; }
	line=$(t_first 'GUEST-SLEEP:' "$T_STATE/$1.serial")
	m=$(t_guest_measure "$1" sleep) || return 1
	echo "$line; host: $m"
	awk -v m="$m" '{
		g = $3 - $2; split(m, a, " "); h = a[3] - a[2]
		printf "sleep 1 took %.2f s of guest time, %.2f s of the host'"'"'s\n", g, h
		exit !(g >= 0.99 && h >= 0.99 && h < 4 && g <= h + 0.05) }' <<<"${line#*| }" || return 1
	t_note "$(t_guest_label "$1"): guest sleep 1: $(awk -v m="$m" 'BEGIN { split(m, a, " "); printf "%.2f", a[3] - a[2] }') s by the host's clock"
}

# The guest's clock has the resolution and the scale to time a
# millisecond: spinning until its TSC has moved by the rate the host's
# kernel measured (QEMU's TSC follows real time, so a busy machine does
# not change this) measures 1 ms within 10% by clock_gettime() (the
# median of 63 runs).  A clock that moves per tick measures 0 or a tick;
# lg's TSC scale is checked against the host kernel's own calibration.
t_guest_spin() {
	local khz t
	khz=$(t_serial_text "$T_STATE/$1.serial" | sed -n 's/^=== tsc-khz \([0-9]*\)$/\1/p' | t_first '')
	[[ -n $khz ]] || { echo "the host's dmesg gave no TSC rate"; return 1; }
	t_gcase "$1" main 0 "sysloop: spin 1 ms by the TSC at $khz kHz" "GUEST-SPIN-RC: 0" || return 1
	t=$(t_serial_text "$T_STATE/$1.serial" | sed -n "s/^guest| sysloop: spin 1 ms by the TSC at $khz kHz: median of [0-9]* runs \([0-9]*\) ns\$/\1/p" | t_first '')
	[[ -n $t ]] || { echo "no time for the spin"; return 1; }
	echo "1 ms by the TSC at $khz kHz: $t ns by the guest's clock"
	t_note "$(t_guest_label "$1"): 1 ms by the TSC measured $t ns in the guest"
	((t >= 900000 && t <= 1100000))
}

t_guest_smoke() {
	t_gcase "$1" main 0 "guest| GUEST-SMOKE: pipe 300 exec 50"
}

# The host's shadow follows the guest's page tables as a TLB would: after
# a fork both sides see only their own writes (the parent's entries were
# in the shadow, writable, before it), and mprotect, a new mapping over an
# old one, mremap and munmap of 256 touched pages (a flush of the whole
# address space) take effect (tests/guest/sysloop.c, "mm").
t_guest_mm() {
	t_gcase "$1" main 0 "sysloop: mm: fork's copy-on-write both ways, mprotect, mmap over a mapping, mremap and munmap over 256 pages, munmap after a write fault" \
		"GUEST-MM-RC: 0"
}

# 100000 system calls through the trap gate, each seen to run (lseek to
# its own offset): if each one went through the host there would be at
# least as many exits.  The window also holds the exec of sysloop (its
# page faults, which do exit) and timer ticks.
t_guest_syscalls() {
	local n
	t_gcase "$1" main 0 "sysloop: 100000 lseek calls through int \$0x80, each returned its offset" \
		"GUEST-SYSLOOP-RC: 0" || return 1
	n=$(t_guest_measure "$1" syscalls) || return 1
	n=${n%% *}
	echo "host exits while the guest made 100000 system calls: $n"
	t_note "$(t_guest_label "$1"): 100000 guest system calls, $n host exits"
	((n > 0 && n < 10000))
}

# The exit counter counts: 5000 reads of a PCI config dword, two port
# accesses each, move it by at least 10000 more than the same program
# making none, and by no more than the guest's timer can add while they
# run (at most two exits per tick at HZ=250, so 500 a second by the
# host's clock, plus 500): a counter that counts an exit twice fails.
# By reason, those port accesses are general protection faults (trap 13),
# at least 10000 more of them.
t_guest_exits() {
	local none reads d gp0 gp1
	t_gcase "$1" main 0 "sysloop: 0 config reads of" "GUEST-PCI-NONE-RC: 0" \
		"sysloop: 5000 config reads of /sys/bus/pci/devices/0000:00:01.0/config, each 0x10431af4" \
		"GUEST-PCI-READS-RC: 0" || return 1
	none=$(t_guest_measure "$1" pci-none) || return 1
	reads=$(t_guest_measure "$1" pci-reads) || return 1
	gp0=$(t_serial_text "$T_STATE/$1.serial" | sed -n 's/^=== reasons pci-none .*\btrap13=\([0-9]*\).*/\1/p' | t_first '')
	gp1=$(t_serial_text "$T_STATE/$1.serial" | sed -n 's/^=== reasons pci-reads .*\btrap13=\([0-9]*\).*/\1/p' | t_first '')
	echo "exits by reason: $(t_serial_text "$T_STATE/$1.serial" | grep '^=== reasons pci-reads' | t_first '')"
	t_note "$(t_guest_label "$1"): 5000 PCI config reads, trap 13 exits: ${gp1:-none} (${gp0:-0} for none)"
	((${gp1:-0} - ${gp0:-0} >= 10000)) || { echo "trap 13 counted ${gp1:-no} exits for the reads, ${gp0:-0} for none"; return 1; }
	d=$((${reads%% *} - ${none%% *}))
	t_note "$(t_guest_label "$1"): 5000 PCI config reads, $d exits more than none (${none%% *})"
	awk -v d="$d" -v none="${none%% *}" '{
		max = 10000 + 500 * ($3 - $2) + 500
		printf "host exits: %d for no config reads, %d more for 5000 (10000 expected), in %.2f s: at most %d allowed\n", none, d, $3 - $2, max
		exit !(d >= 10000 && d <= max) }' <<<"$reads"
}

# The guest uses the TSC when the host vouched for it (dmesg: TSC N kHz,
# N > 0), and lguest's clock otherwise.  With REQUIRE_TSC the host must
# have vouched (an Intel CPU model with a constant TSC).
t_guest_clock() {
	local run=$1 need=${2:-} khz cs
	t_gcase "$run" main 0 "GUEST-TSC-KHZ:" "GUEST-CLOCKSOURCE:" >/dev/null ||
		{ t_gcase "$run" main 0 "GUEST-TSC-KHZ:" "GUEST-CLOCKSOURCE:"; return 1; }
	khz=$(tr -d '\r' <"$T_STATE/$run.serial" | sed -n 's/^guest| GUEST-TSC-KHZ: \([0-9]*\) kHz.*/\1/p' | t_first '')
	cs=$(tr -d '\r' <"$T_STATE/$run.serial" | sed -n 's/^guest| GUEST-CLOCKSOURCE: //p' | t_first '')
	echo "host's TSC for the guest: ${khz:-?} kHz; guest clocksource: $cs"
	t_note "$(t_guest_label "$run"): guest TSC ${khz:-?} kHz, clocksource $cs"
	[[ $khz =~ ^[0-9]+$ ]] || { echo "no TSC line in the guest's dmesg"; return 1; }
	if [[ $need == tsc ]] && ((khz == 0)); then
		echo "the host did not give the guest its TSC frequency in run $run"
		return 1
	fi
	if ((khz > 0)); then [[ $cs == tsc ]]; else [[ $cs == lguest ]]; fi
}

# The guests' output (all cases) has nothing the launcher could not
# emulate.  (Their kernel warnings fail the boot: scripts/boot.)
t_guest_clean() {
	local bad
	bad=$(t_serial_text "$T_STATE/$1.serial" | grep -aE '^guest\| .*cannot emulate' | head -n 20 || true)
	[[ -z $bad ]] || { printf '%s\n' "$bad"; echo "serial log: $T_STATE/$1.serial"; return 1; }
	echo "no unemulated instructions in the guests' output"
}

t_guest_figure() {
	local line
	line=$(t_first '^=== figure launch-to-init' "$T_STATE/$1.serial")
	[[ -n $line ]] ||
		{ echo "no figure"; return 1; }
	awk -v l="$(t_guest_label "$1")" '{ printf "%s: launcher start to guest init: %.2f s (host uptime %s -> %s)\n", l, $5 - $4, $4, $5 }' <<<"$line" | tee -a "$T_LOG.notes"
}

# NX in a PAE guest: its kernel turns NX on (dmesg) as the same kernel
# does natively on this CPU, so the host gives it what NX needs.  What a
# user program could see of it is nothing: 6.12's own 32-bit PAE kernel
# gives user pages no NX (vm_get_page_prot() keeps the protection bits in
# an unsigned long, which drops bit 63), natively as in a guest.  The
# selftests' nx case checks that lg.ko honours NX in a guest's PTEs.
t_guest_nx() {
	local host guest
	host=$(t_serial_value "$T_STATE/$1.serial" host-nx-dmesg)
	guest=$(t_serial_text "$T_STATE/$1.serial" | sed -n 's/^guest| GUEST-NX-DMESG: //p' | t_first '')
	echo "NX: natively '$host', in the guest '$guest'"
	t_note "$(t_guest_label "$1"): NX natively '$host', in the guest '$guest'"
	[[ $host == "NX (Execute Disable) protection: active" ]] ||
		{ echo "the host has no NX; serial log: $T_STATE/$1.serial"; return 1; }
	[[ $guest == "$host" ]]
}

# Page-table isolation: on in a PAE host (booted with pti=on), never in a
# guest, whose CR3 belongs to the host.
t_guest_pti() {
	t_gcase "$1" main 0 "GUEST-PTI: 0" || return 1
	if [[ $1 == *+pae-* || $1 == x86_64-* ]]; then
		grep -aq '^=== host-pti 1' "$T_STATE/$1.serial" ||
			{ echo "the host runs without page-table isolation"; return 1; }
		echo "the host isolates its page tables (pti); the guest does not"
	fi
}

# "guest-max" -> "-cpu max", "guest+pae-max" -> "PAE, -cpu max",
# "x86_64-max" -> "x86_64 host, -cpu max".
t_guest_label() {
	case $1 in
	*+pae-*) echo "PAE, -cpu ${1#*+pae-}" ;;
	x86_64-*) echo "x86_64 host, -cpu ${1#x86_64-}" ;;
	*) echo "-cpu ${1#*-}" ;;
	esac
}

check "guest pieces build: launcher, test programs, guest initramfs" t_guest_prepare
# max: QEMU's AMD-like CPU with everything; qemu32: QEMU's default i386
# CPU; Conroe: an Intel CPU whose constant TSC the host gives the guest.
# The PAE kernels run on max, which has NX; so does the x86_64 host, with
# the PAE guest (LGUEST_TEST_X86_64=0 leaves it out).
t_runs=(guest-max guest-qemu32 guest-Conroe guest+pae-max)
if t_x86_64; then t_runs+=(x86_64-max); fi
for run in "${t_runs[@]}"; do
	l=$(t_guest_label "$run")
	check "$l: host boots and runs the guest cases" t_guest_boot "${run%-*}" "${run##*-}"
	check "$l: a bzImage guest reaches userspace, prints its token, powers off (exit 0)" t_guest_main "$run"
	check "$l: guest uname -m is i686; cpuinfo and dmesg show lguest" t_guest_identity "$run"
	check "$l: guest sleep 1 takes about a second" t_guest_sleep "$run"
	check "$l: guest fork/exec/pipe smoke run" t_guest_smoke "$run"
	check "$l: the host's shadow follows fork, mprotect, mmap over a mapping, mremap and munmap, also of a page just written after fork" t_guest_mm "$run"
	check "$l: 1 ms by the TSC measures 1 ms (within 10%) by the guest's clock" t_guest_spin "$run"
	check "$l: the guest's boot console prints until hvc0 takes over" \
		t_gcase "$run" main 0 "bootconsole [lgboot0] enabled" "Linux version" \
		"console [hvc0] enabled" "bootconsole [lgboot0] disabled"
	if [[ $run == *-Conroe ]]; then
		check "$l: guest clocksource is the TSC at the host's frequency" t_guest_clock "$run" tsc
	else
		check "$l: guest clocksource: the TSC if the host vouches for it, else lguest" t_guest_clock "$run"
	fi
	if [[ $run == *+pae-* || $run == x86_64-* ]]; then
		check "$l: NX in the guest: its kernel turns it on as it does natively" t_guest_nx "$run"
	fi
	check "$l: guests ran without unemulated instructions" t_guest_clean "$run"
	check "$l: 100000 guest system calls run (lseek to each offset) and do not exit to the host" \
		t_guest_syscalls "$run"
	check "$l: the exit counter moves by two for each PCI config read (two port accesses, trap 13)" \
		t_guest_exits "$run"
	check "$l: a vmlinux boots as a guest" t_gcase "$run" vmlinux 0 "LGTEST-INIT:" "GUEST-QUICK-OK"
	check "$l: guest reboot: launcher exits 3" t_gcase "$run" reboot 3
	check "$l: guest panic: launcher exits 255 with the panic text" \
		t_gcase "$run" panic 255 "Kernel panic - not syncing: sysrq triggered crash" \
		"lguest: guest panicked: sysrq triggered crash"
	check "$l: after those guests end, another boots" t_gcase "$run" again 0 "GUEST-QUICK-OK"
	if [[ $run == *+pae-* || $run == x86_64-* ]]; then
		check "$l: page-table isolation in the host, not in the guest" t_guest_pti "$run"
		check "$l: a 2-level guest is refused (exit 255, says PAE)" \
			t_gcase "$run" other-paging 255 "built without PAE (CONFIG_X86_PAE)"
	fi
	check "$l: rmmod lg succeeds after the guests" grep -aq '^=== rmmod rc=0' "$T_STATE/$run.serial"
	check "$l: time from launcher start to guest init (figure)" t_guest_figure "$run"
done
if ! t_x86_64; then
	skip "x86_64 host: the guest cases" "LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
unset t_runs
