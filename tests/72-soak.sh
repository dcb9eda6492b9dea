# test: a bounded soak: eight Linux guests at once, then start/stop cycles with kills; lg unloads and the memory comes back
# shellcheck shell=bash

# One QEMU boot of the 2-level host (t_host_variant: the guest variant,
# or the debug host with LGUEST_TEST_DEBUG_HOST=1) runs tests/soak/in-qemu.sh through
# tests/soak/run-qemu.sh: eight guest-variant Linux guests at once (two
# with a disk, two with a NIC) running tests/soak/guest.sh for 40 s each,
# then 100 start/stop cycles (every 25th a Linux guest, a quarter killed
# with SIGKILL; a random seed, printed), then rmmod lg and the free
# memory.  scripts/soak is the long version (minutes, 1000 cycles).

t_soak_serial=$T_STATE/soak.serial

# The free memory may come back up to 1 MiB short (a page lost per guest
# shows on the guest variant); on the debug host 2 MiB: SLUB's user
# tracking (the U of FZPU) keeps each new allocation and free stack in
# the stack depot for good, and the soak's eight guests reach paths its
# warm-up did not (800 kB short there on 2026-12-03, none of it a leak:
# the debug host's kmemleak scan after rmmod, which scripts/boot fails
# on, is its leak check).
t_soak_tolerance() {
	if t_debug_host; then echo 2048; else echo 1024; fi
}

t_soak_boot() {
	local bz gbz out tree rc=0
	bz=$(t_bzimage "$(t_host_variant)") || return 1
	gbz=$(t_bzimage guest) || return 1
	out=$(<"$T_STATE/$(t_host_variant).out")
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	"$LG_REPO/tests/soak/run-qemu.sh" --bzimage "$bz" --module "$out/drivers/lguest/lg.ko" \
		--ksrc "$tree" --guest "$gbz" --seconds 40 --cycles 100 --tolerance "$(t_soak_tolerance)" \
		--timeout 600 -- --quiet --log "$t_soak_serial" 2>"$T_LOG.boot" || rc=$?
	cat "$T_LOG.boot"
	t_serial_text "$t_soak_serial" | grep -a -E '^(=== |not ok)' || true
	if ((rc != 0)); then
		t_note "$(grep -m1 'FAIL: ' "$T_LOG.boot" || echo "scripts/boot exited $rc")"
		echo "the soak's boot failed (scripts/boot exit $rc); serial log: $t_soak_serial"
		return 1
	fi
	echo "serial log: $t_soak_serial"
}

# Each of the eight ran its workload to the end without an error, and
# its launcher exited 0 after the guest powered off.
t_soak_guests() {
	local n line
	for n in 1 2 3 4 5 6 7 8; do
		t_serial_case "$t_soak_serial" "soak-$n" 0 "LGTEST-RESULT: 0" "SOAK-GUEST: id $n rounds" >/dev/null ||
			{ t_serial_case "$t_soak_serial" "soak-$n" 0 "LGTEST-RESULT: 0" "SOAK-GUEST: id $n rounds"; return 1; }
		line=$(t_serial_output "$t_soak_serial" "soak-$n" | grep -a "^SOAK-GUEST: id $n ")
		echo "$line"
		[[ $line =~ rounds\ [1-9][0-9]*\ errors\ 0\  ]] || { echo "guest $n: no rounds, or errors"; return 1; }
	done
	[[ $(t_serial_value "$t_soak_serial" soak-running) == 8 ]] ||
		{ echo "not eight launchers running at once; serial log: $t_soak_serial"; return 1; }
	t_note "soak: 8 guests x $(t_serial_value "$t_soak_serial" soak-guests | awk '{ print $3 " s" }'), rounds: $(t_serial_text "$t_soak_serial" | sed -n 's/^guest| SOAK-GUEST: id [1-8] rounds \([0-9]*\) .*/\1/p' | paste -sd' ')"
}

t_soak_cycles() {
	local sum
	t_serial_case "$t_soak_serial" cycles 0 "# soak cycles: seed" || return 1
	sum=$(t_serial_output "$t_soak_serial" cycles | grep -a '^# soak cycles: seed [0-9]*: ')
	[[ $sum =~ :\ 100\ cycles.*\ 0\ failed$ ]] || { echo "not 100 cycles without a failure: $sum"; return 1; }
	[[ $sum =~ ,\ [1-9][0-9]*\ killed ]] || { echo "no cycle was killed: $sum"; return 1; }
	t_note "soak: ${sum#\# soak cycles: }"
}

t_soak_memory() {
	local line
	t_serial_text "$t_soak_serial" | grep -aqx 'not ok - rmmod lg' && { echo "rmmod lg failed; serial log: $t_soak_serial"; return 1; }
	line=$(t_serial_text "$t_soak_serial" | grep -a '^=== memfree before ') ||
		{ echo "no memory figures; serial log: $t_soak_serial"; return 1; }
	echo "$line"
	t_serial_text "$t_soak_serial" | grep -aq '^not ok - free memory after rmmod' &&
		{ echo "the memory did not come back; serial log: $t_soak_serial"; return 1; }
	t_note "soak: free memory ${line#=== memfree }"
}

check "soak: one QEMU boot runs eight Linux guests at once, then 100 start/stop cycles" t_soak_boot
check "soak: each of the eight guests (two with a disk, two with a NIC) ran its workload without an error and exited 0" t_soak_guests
check "soak: 100 start/stop cycles, some killed with SIGKILL, each ended as it should" t_soak_cycles
check "soak: rmmod lg succeeds and the free memory is back within $(($(t_soak_tolerance) / 1024)) MiB" t_soak_memory
