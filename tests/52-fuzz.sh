# test: the fuzzers: /dev/lguest and the guest side, in a QEMU host (bounded)
# shellcheck shell=bash

# lgfuzz and its guest build against the patched tree's uapi headers,
# with no warnings.
t_fuzz_build() {
	local tree out=$T_STATE/fuzz
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	mkdir -p "$out"
	make -C "$LG_REPO/tests/fuzz" KSRC="$tree" O="$out" >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log"; echo "make -C tests/fuzz KSRC=$tree failed"; return 1; }
	cat "$out/build.log"
	if grep -q 'warning:' "$out/build.log"; then
		echo "the fuzzers' build has warnings (above)"
		return 1
	fi
	echo "built $out/lgfuzz and $out/fuzzguest.elf against $tree/include/uapi"
}

# One boot of the host kernel: each fuzzer with a fixed seed and a fixed
# number of operations (replayable), then with a random seed for 20
# seconds (printed, to replay a failure); then rmmod lg, and MemFree back
# within 1 MiB of what it was after a warm-up run (tests/fuzz/in-qemu.sh):
# about 1200 guests run, so a page leaked per guest shows (a clean run
# measured 20 kB lower; with a planted leak of a page per guest, 5 MiB).  scripts/boot
# fails the boot on any kernel warning, oops or BUG in the host's log.
t_fuzz() {
	local bz out ko tree log=$T_LOG.serial rc=0 line
	bz=$(t_bzimage "$(t_host_variant)") || return 1
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	out=$(<"$T_STATE/$(t_host_variant).out")
	ko=$out/drivers/lguest/lg.ko
	[[ -f $ko ]] || { echo "no $ko: the host build needs CONFIG_LGUEST=m (config/lguest.config)"; return 1; }
	"$LG_REPO/tests/fuzz/run-qemu.sh" --bzimage "$bz" --module "$ko" --ksrc "$tree" \
		--run "dev 1 --ops 8000" --run "dev random --seconds 20" \
		--run "guest 1 --ops 15000" --run "guest random --seconds 20" \
		--tolerance 1024 --timeout 900 -- --quiet --log "$log" || rc=$?
	tr -d '\r' <"$log" | grep -a -E '^(# lgfuzz|# guests|FAIL|not ok|=== memfree)' || true
	# Every run got to its summary and passed: no run silently skipped.
	for line in "lgfuzz dev ends with 0 failure" "lgfuzz guest ends with 0 failure"; do
		[[ $(tr -d '\r' <"$log" | grep -a -c "# host survived: $line") == 2 ]] ||
			{ echo "not two passing runs with '$line'; serial log: $log"; return 1; }
	done
	((rc == 0)) || { echo "the fuzz boot failed (scripts/boot exit $rc; 255: a kernel warning, oops or BUG); serial log: $log"; return 1; }
	while IFS= read -r line; do
		t_note "${line#\# }"
	done < <(tr -d '\r' <"$log" | grep -a -E '^# lgfuzz (dev|guest): seed [0-9]+: |^=== memfree' | sed 's/^=== /# /')
	echo "both fuzzers passed, lg unloaded, MemFree back; serial log: $log"
}

check "lgfuzz and the fuzzing guest build against the patched tree with no warnings" t_fuzz_build
check "the fuzzers find nothing: /dev/lguest and the guest side, fixed and random seeds" t_fuzz
