# test: the lguest host module (lg.ko) passes its selftests in QEMU
# shellcheck shell=bash

# Boot a host kernel with lg.ko and tests/selftests in the initramfs,
# run lgtest (KTAP) between insmod and rmmod, and pass if every selftest
# passed or skipped and lg unloaded.  The kernel is the guest variant
# (2-level page tables), which has lg.ko and runs natively as the host, as
# in the main job; with "pae" the guest+pae variant, a PAE host: then the
# selftest guests are the PAE set.  With "x86_64", the x86_64 host kernel: the PAE set too,
# in compatibility mode, under a 64-bit lgtest.  With "segments", tests/selftests/segments also checks the
# segments of a spinning guest from outside (see t_segments).
t_selftests() {
	local cpu=$1 smp=$2 format=${3:-2level} variant bz out ko tree log=$T_LOG.serial rc=0
	local args=()
	variant=$(t_host_variant)
	if [[ $format == pae ]]; then
		variant=guest+pae args=(--pae)
	elif [[ $format == x86_64 ]]; then
		# run-qemu.sh sees the 64-bit bzImage: PAE guests, lgtest-x86_64.
		variant=x86_64
	fi
	if [[ ${4:-} == segments ]]; then
		args+=(--segments "$T_STATE/segments-$format.out")
	fi
	bz=$(t_bzimage "$variant") || return 1
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	out=$(<"$T_STATE/$variant.out")
	ko=$out/drivers/lguest/lg.ko
	[[ -f $ko ]] || { echo "no $ko: the $variant build needs CONFIG_LGUEST=m (config/lguest.config)"; return 1; }
	"$LG_REPO/tests/selftests/run-qemu.sh" --bzimage "$bz" --module "$ko" --ksrc "$tree" "${args[@]}" \
		--cpu "$cpu" --smp "$smp" --timeout 300 -- --quiet --log "$log" || rc=$?
	grep -a -E '^(not )?ok [0-9]+ |^# [0-9]+ passed|^# (memory|hostirq|farjump|above|physabove):' "$log" | tr -d '\r' || true
	tr -d '\r' <"$log" | grep -aqx 'not ok - rmmod lg' && { echo "rmmod lg failed; serial log: $log"; return 1; }
	grep -aq 'not ok - rmmod lg left' "$log" &&
		{ echo "memory not back after rmmod lg (above); serial log: $log"; return 1; }
	((rc == 0)) || { echo "selftests failed (scripts/boot exit $rc); serial log: $log"; return 1; }
	echo "all selftests passed or skipped; serial log: $log"
}

# lgtest (i386 and x86_64) and the guests build against the patched
# tree's uapi headers, with no warnings.
t_selftests_build() {
	local tree out=$T_STATE/selftests
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	mkdir -p "$out"
	make -C "$LG_REPO/tests/selftests" KSRC="$tree" O="$out" >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log"; echo "make -C tests/selftests KSRC=$tree failed"; return 1; }
	# The x86_64 host's lgtest: built here, run only inside QEMU.
	make -C "$LG_REPO/tests/selftests" KSRC="$tree" O="$out" ARCH=x86_64 >>"$out/build.log" 2>&1 ||
		{ cat "$out/build.log"; echo "make -C tests/selftests KSRC=$tree ARCH=x86_64 failed"; return 1; }
	cat "$out/build.log"
	if grep -q 'warning:' "$out/build.log"; then
		echo "the selftests build has warnings (above)"
		return 1
	fi
	echo "built $out/lgtest, $out/lgtest-x86_64 and the guests against $tree/include/uapi"
}

# The segments of lgtest's segspin guest, read from outside while it
# spins (run-qemu.sh --segments): every code and data segment it can load
# ends below the switcher.  This is what the seglimit selftest checks from
# inside, and skips where the CPU ignores segment limits (QEMU's TCG).
t_segments() {
	local out=$T_STATE/segments-$1.out
	[[ -f $out ]] || { echo "no $out: the selftests did not run with --segments"; return 1; }
	cat "$out"
	[[ $(tail -n1 "$out") == "exit 0" ]] ||
		{ echo "tests/selftests/segments failed: see above"; return 1; }
}

# t_skips LABEL: a skip line for each selftest that skipped in the run
# whose serial log is the last check's ($T_LOG.serial), with its reason.
t_skips() {
	local line n name why
	[[ -f $T_LOG.serial ]] || return 0
	while IFS= read -r line; do
		n=${line%% # SKIP *} why=${line#* # SKIP }
		name=${n#ok * - }
		skip "lg.ko selftest $name ($1)" "$why"
	done < <(tr -d '\r' <"$T_LOG.serial" | grep -a -E '^ok [0-9]+ - .* # SKIP ')
}

check "lgtest and its guests build against the patched tree with no warnings" t_selftests_build
check "lg.ko selftests pass on -cpu max" t_selftests max 1 2level segments
t_skips "-cpu max"
check "the segments a guest loads end below the switcher (from QEMU's monitor)" t_segments 2level
check "lg.ko selftests pass on -cpu qemu32" t_selftests qemu32 1
t_skips "-cpu qemu32"
# Two CPUs on an Intel vendor: QEMU's max CPU is AMD family 6 without
# the MP bit, for which a 32-bit SMP kernel warns (amd_k7_smp_check())
# before lg is loaded, and every kernel warning fails a boot.
t_smp_cpu=max,vendor=GenuineIntel
check "lg.ko selftests pass on -cpu max (Intel vendor) with two CPUs" t_selftests "$t_smp_cpu" 2
t_skips "-cpu max, two CPUs"
check "lg.ko selftests pass on a PAE host (the guest+pae kernel), -cpu max" t_selftests max 1 pae
t_skips "PAE host, -cpu max"
check "lg.ko selftests pass on a PAE host with two CPUs (Intel vendor)" t_selftests "$t_smp_cpu" 2 pae
t_skips "PAE host, two CPUs"
unset t_smp_cpu

# The x86_64 host (LGUEST_TEST_X86_64=0 leaves out its kernel build).
if [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; then
	check "lg.ko selftests pass on an x86_64 host (PAE guests in compatibility mode), -cpu max" t_selftests max 1 x86_64
	t_skips "x86_64 host, -cpu max"
	check "lg.ko selftests pass on an x86_64 host with two CPUs, -cpu max" t_selftests max 2 x86_64
	t_skips "x86_64 host, two CPUs"
	# An older CPU: no SMEP, SMAP, UMIP or PCID for the switch to handle.
	check "lg.ko selftests pass on an x86_64 host, -cpu Nehalem (no SMEP/SMAP/UMIP/PCID)" t_selftests Nehalem 1 x86_64
	t_skips "x86_64 host, -cpu Nehalem"
else
	skip "lg.ko selftests pass on an x86_64 host, -cpu max" \
		"LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
