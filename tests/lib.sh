# shellcheck shell=bash
# The test runner's helpers; sourced by tests/run (and so by every test).
#
# A test file tests/NN-name.sh is sourced by tests/run and calls:
#
#   check "what it checks" CMD ARGS...   run CMD in a subshell under set -e,
#                                        its output in a log of its own;
#                                        ok when it exits 0
#   skip  "what it would check" "why"    an 'ok ... # SKIP why' line
#   note  "text"                         a '# text' diagnostic line
#
# A skip is not a pass: tests/run counts them apart and ends with
# "N passed, N failed, N skipped".  A check that finds at run time that it
# cannot check what it says (no hardware feature, say) calls t_skip WHY
# and returns 0: its line becomes 'ok ... # SKIP WHY'.
#
# Inside CMD, $T_LOG is the check's log. Checks run in subshells, so they
# share results through files in $T_STATE (see t_build for an example).

. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

T_N=0 T_PASS=0 T_FAIL=0 T_SKIP=0
T_RUN_ID=$(date +%Y%m%d-%H%M%S)
T_LOGS=$LGUEST_CACHE/logs/tests/$T_RUN_ID
T_STATE=$T_LOGS/state
T_VERSION=${LGUEST_VERSION:-$LG_PINNED}
# Fetch the tree now if needed; get-kernel falls back to the newest served
# version when the pinned one is gone, and the tests follow it.
if [[ ! -f $LGUEST_CACHE/src/$T_VERSION/.complete ]]; then
	if [[ -n ${LGUEST_VERSION:-} ]]; then
		t_src=$("$LG_REPO/scripts/get-kernel" --no-deps --version "$T_VERSION" --print-path) || exit 1
	else
		t_src=$("$LG_REPO/scripts/get-kernel" --no-deps --print-path) || exit 1
	fi
	T_VERSION=$(basename "$(dirname "$t_src")")
fi
T_SDIR=${LGUEST_SERIES_DIR:-$LG_REPO}
mkdir -p "$T_LOGS" "$T_STATE"
ln -sfn "$T_RUN_ID" "$LGUEST_CACHE/logs/tests/latest"
export LGUEST_SERIES_DIR=$T_SDIR

note() { printf '# %s\n' "$*"; }

t_progress() { if [[ -t 2 ]]; then printf '  ... %s\n' "$*" >&2; fi; }

check() {
	local what=$1 rc=0 t0=$SECONDS slug
	shift
	T_N=$((T_N + 1))
	slug=$(printf '%s' "$what" | tr -c 'A-Za-z0-9._-' '-' | tr -s '-' | cut -c1-60)
	T_LOG=$T_LOGS/${T_LANE:+$T_LANE-}$(printf '%03d' "$T_N")-${slug%-}.log
	t_progress "$what"
	set +e
	( set -e; "$@" ) >"$T_LOG" 2>&1
	rc=$?
	set -e
	if ((rc == 0)) && [[ -f $T_LOG.skip ]]; then
		T_SKIP=$((T_SKIP + 1))
		printf 'ok %d - %s # SKIP %s\n' "$T_N" "$what" "$(tr '\n' ' ' <"$T_LOG.skip" | sed 's/ *$//')"
	elif ((rc == 0)); then
		T_PASS=$((T_PASS + 1))
		printf 'ok %d - %s\n' "$T_N" "$what"
	else
		T_FAIL=$((T_FAIL + 1))
		printf 'not ok %d - %s  # log: %s\n' "$T_N" "$what" "$T_LOG"
	fi
	# Long checks say how long they took.
	if ((SECONDS - t0 >= 10)); then note "took $(lg_dur $((SECONDS - t0)))"; fi
	# A check can leave notes for the KTAP output in $T_LOG.notes.
	if [[ -s $T_LOG.notes ]]; then sed 's/^/# /' "$T_LOG.notes"; fi
	return 0
}

skip() {
	T_N=$((T_N + 1)) T_SKIP=$((T_SKIP + 1))
	printf 'ok %d - %s # SKIP %s\n' "$T_N" "$1" "$2"
}

# t_skip WHY: from inside a check, mark it skipped (it must still return 0;
# a check that fails is a failure whatever it said before).
t_skip() { printf '%s\n' "$*" >>"$T_LOG.skip"; echo "SKIP: $*"; }

# t_note TEXT: from inside a check, add a diagnostic line to the output.
t_note() { printf '%s\n' "$*" >>"$T_LOG.notes"; }

# Identity for commits that git makes itself (the patches carry their
# own): the checkout's, or a fixed one where it has none.
t_git_ident() {
	local n e
	n=$(git -C "$LG_REPO" config user.name || echo lguest)
	e=$(git -C "$LG_REPO" config user.email || echo lguest@localhost)
	printf '%s\n' -c "user.name=$n" -c "user.email=$e"
}

# The patches of the series under test, as paths, in series order.
t_patches() {
	local p
	while read -r p; do printf '%s\n' "$T_SDIR/patches/$p"; done < <(lg_series_patches "$T_SDIR/series")
}

# Files the series touches (relative to the tree top).
t_touched() {
	local ps
	mapfile -t ps < <(t_patches)
	((${#ps[@]})) || return 0
	lg_patch_files "${ps[@]}"
}

# The pristine tree of the pinned version (fetched if needed), asked of
# get-kernel once a run (it takes two seconds).
t_pristine() {
	local f=$T_STATE/pristine.path tmp=$T_STATE/pristine.path.$BASHPID
	if [[ ! -s $f ]]; then
		if ! "$LG_REPO/scripts/get-kernel" --no-deps --version "$T_VERSION" --print-path >"$tmp"; then
			rm -f "$tmp"
			return 1
		fi
		mv "$tmp" "$f"
	fi
	cat "$f"
}

# t_variant_args VARIANT: scripts/build's options for a variant, one a line.
t_variant_args() {
	case $1 in
	pristine-*) echo --pristine ;;
	x86_64) printf '%s\n' --arch x86_64 ;;
	esac
	case $1 in
	guest|guest+*|pristine-guest*) echo --guest ;;
	esac
	case $1 in
	*+distro|*+distro+pae) printf '%s\n' --config distro ;;
	esac
	case $1 in
	*+debug) printf '%s\n' --config debug ;;
	*+pae) printf '%s\n' --config pae ;;
	esac
}

# t_host_variant: the 2-level host of the selftests, the fuzzers, the
# launcher tests and the soak: the guest variant (a host-and-guest
# kernel, as in the main job), or with LGUEST_TEST_DEBUG_HOST=1 the debug
# host (host+debug: the host config, LGUEST_GUEST off, with
# config/debug.config), so that all of them run under lockdep, UBSAN,
# KFENCE, SLUB and page-allocator checks and kmemleak.  Unset,
# T_DEBUG_HOST_DEFAULT says.  The debug host is one more cold kernel
# build, 12-13 minutes on a machine where a cold run without it takes
# about an hour, so the default run leaves it out (README, "How long it
# takes"); LGUEST_TEST_DEBUG_HOST=1 tests/run build harness host fuzz
# launcher soak runs them on it.
T_DEBUG_HOST_DEFAULT=0
t_debug_host() { [[ ${LGUEST_TEST_DEBUG_HOST:-$T_DEBUG_HOST_DEFAULT} != 0 ]]; }
t_host_variant() {
	if t_debug_host; then echo host+debug; else echo guest; fi
}
# t_debug_host_why: why the debug host's own checks skip.
t_debug_host_why() {
	if [[ -n ${LGUEST_TEST_DEBUG_HOST:-} ]]; then
		echo "LGUEST_TEST_DEBUG_HOST=0 leaves out the debug host"
	else
		echo "T_DEBUG_HOST_DEFAULT=0 in tests/lib.sh leaves out the debug host: LGUEST_TEST_DEBUG_HOST=1 runs it"
	fi
}

# t_build VARIANT: build a variant once per run, its result remembered in
# $T_STATE. VARIANT is host, guest, pristine-host or pristine-guest, with
# "+pae" appended for the PAE page-table variant (config/pae.config);
# guest+distro for the distribution guest kernel (guest-config/
# distro.config; guest+distro+pae with PAE); or
# x86_64, the x86_64 host kernel (scripts/build --arch x86_64).
# Its warnings go to $T_STATE/VARIANT.warnings, its build dir to
# $T_STATE/VARIANT.out.
t_build() {
	local lock rc=0
	# Two lanes of tests/run may want one variant: one builds, one waits.
	exec {lock}>"$T_STATE/$1.lock"
	flock "$lock"
	t_build_locked "$1" || rc=$?
	exec {lock}>&-
	return "$rc"
}

t_build_locked() {
	local v=$1 args=() rc=0
	if [[ -f $T_STATE/$v.rc ]]; then
		echo "already built in this run: $v (exit $(<"$T_STATE/$v.rc"))"
		return "$(<"$T_STATE/$v.rc")"
	fi
	mapfile -t args < <(t_variant_args "$v")
	"$LG_REPO/scripts/build" --version "$T_VERSION" "${args[@]}" \
		--warnings "$T_STATE/$v.warnings" >"$T_STATE/$v.build.out" 2>&1 || rc=$?
	cat "$T_STATE/$v.build.out"
	sed -n 's/^bzImage: //p' "$T_STATE/$v.build.out" >"$T_STATE/$v.bzimage"
	sed -n 's/^log: //p' "$T_STATE/$v.build.out" >"$T_STATE/$v.log"
	[[ ! -s $T_STATE/$v.bzimage ]] ||
		dirname "$(dirname "$(dirname "$(dirname "$(<"$T_STATE/$v.bzimage")")")")" >"$T_STATE/$v.out"
	echo "$rc" >"$T_STATE/$v.rc"
	return "$rc"
}

# t_configure VARIANT: only configure a variant's build dir (scripts/build
# --configure), for building single objects in it; the dir goes to
# $T_STATE/VARIANT.out (a later t_build of the variant builds there).
t_configure() {
	local v=$1 args=() rc=0
	mapfile -t args < <(t_variant_args "$v")
	"$LG_REPO/scripts/build" --version "$T_VERSION" "${args[@]}" --configure \
		>"$T_STATE/$v.configure.out" 2>&1 || rc=$?
	cat "$T_STATE/$v.configure.out"
	((rc == 0)) || return "$rc"
	sed -n 's/^out: //p' "$T_STATE/$v.configure.out" >"$T_STATE/$v.out"
	[[ -s $T_STATE/$v.out ]]
}

# t_bzimage VARIANT: path of a variant's bzImage, building it if needed.
t_bzimage() {
	t_build "$1" >&2 || { echo "the $1 build failed: see the build check above" >&2; return 1; }
	cat "$T_STATE/$1.bzimage"
}

# A host variant and what runs on it.  The i386 kernels are their own
# guests (one bzImage is both); the x86_64 host runs the PAE guest, the
# guest+pae bzImage, under a native 64-bit launcher (make ARCH=x86_64).
#
# t_guest_variant HOST: the variant whose bzImage is the guest on HOST.
t_guest_variant() {
	case $1 in
	x86_64) echo guest+pae ;;
	*) echo "$1" ;;
	esac
}

# t_launcher_dir OUT HOST: where the tests build the launcher for HOST
# under OUT (t_launcher_build_for).
t_launcher_dir() {
	case $2 in
	x86_64) echo "$1/launcher-x86_64" ;;
	*) echo "$1/launcher" ;;
	esac
}

# t_launcher_build_for OUT HOST [TARGET]...: build the launcher for HOST
# into t_launcher_dir OUT HOST.
t_launcher_build_for() {
	local out host=$2 arch=()
	out=$(t_launcher_dir "$1" "$host")
	shift 2
	[[ $host == x86_64 ]] && arch=(ARCH=x86_64)
	t_launcher_build_into "$out" "${@:-all}" "${arch[@]}"
}

# t_x86_64: true unless LGUEST_TEST_X86_64=0 leaves the x86_64 host out.
t_x86_64() { [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; }

# The distribution guest kernels (guest+distro, guest+distro+pae) are a
# cold kernel build each, 15 to 18 minutes on two cores, and the Debian
# image that 63-debian boots (scripts/mkrootfs) takes about 14 minutes
# more: a cold run has no room for them (README, "How long it takes").
# So, unset, LGUEST_TEST_DISTRO follows the image: a machine that has
# made the current Debian image (scripts/mkrootfs --check) builds the
# kernels and runs 62-distro and 63-debian, warm from their build
# directories after the first time; a machine without it (a new one's
# cold run) skips both and says how to get them.  LGUEST_TEST_DEBIAN=1
# makes the image in the run (and so runs both), LGUEST_TEST_DISTRO=1
# runs both without the image (63-debian's boots skip), =0 neither.
# t_deb_image_current: scripts/mkrootfs --check (status, and what it says).
t_deb_image_current() { "$LG_REPO/scripts/mkrootfs" --check 2>&1; }
# t_distro: true when 62-distro and 63-debian run; t_distro_why: why not.
t_distro() {
	case ${LGUEST_TEST_DISTRO:-} in
	0) return 1 ;;
	'') [[ ${LGUEST_TEST_DEBIAN:-0} == 1 ]] || t_deb_image_current >/dev/null ;;
	*) return 0 ;;
	esac
}
t_distro_why() {
	if [[ -n ${LGUEST_TEST_DISTRO:-} ]]; then
		echo "LGUEST_TEST_DISTRO=0 leaves out the distribution guest kernels"
	else
		echo "$(t_deb_image_current | sed 's/^mkrootfs: //'); the distribution guest kernels (a cold build each, 15 to 18 minutes) and their tests run on a machine that has made it, or with LGUEST_TEST_DISTRO=1 (LGUEST_TEST_DEBIAN=1 makes the image in the run)"
	fi
}

# t_launcher_build_into OUT [TARGET]...: build tools-lguest (default target
# all) against the patched tree into OUT, with no compiler warnings.
t_launcher_build_into() {
	local out=$1 tree
	shift
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	mkdir -p "$out"
	make -C "$LG_REPO/tools-lguest" KSRC="$tree" O="$out" "${@:-all}" >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log"; echo "make -C tools-lguest KSRC=$tree failed"; return 1; }
	cat "$out/build.log"
	if grep -q 'warning:' "$out/build.log"; then
		echo "the launcher build has warnings (above)"
		return 1
	fi
}

# The serial logs of the QEMU boots, as the tests read them.  Each reader
# reads the whole log: one that stopped at the first match would leave tr
# to die of SIGPIPE on a long log, and pipefail would fail the check.
#
# t_serial_text FILE: the log without carriage returns.
t_serial_text() {
	[[ -f $1 ]] || { echo "no serial log $1: see the boot check" >&2; return 1; }
	tr -d '\r' <"$1"
}

# t_serial_value FILE NAME: the value of the first "=== NAME VALUE" line.
t_serial_value() {
	t_serial_text "$1" | sed -n "s/^=== $2 //p" | awk 'NR == 1 { sub(/ +$/, ""); print }'
}

# t_serial_output FILE NAME: the launcher's output in case NAME (between
# "=== case NAME rc=N" and "=== end NAME"), without the "guest| " prefix.
t_serial_output() {
	t_serial_text "$1" | awk -v n="$2" '
		index($0, "=== case " n " rc=") == 1 { p = 1; next }
		$0 == "=== end " n { p = 0 }
		p { sub(/^guest\| /, ""); print }'
}


# t_serial_case SERIAL NAME STATUS TEXT...: in a QEMU run's serial log,
# the block "=== case NAME rc=STATUS" ... "=== end NAME" exists, with
# that status, and has every TEXT.
t_serial_case() {
	local serial=$1 name=$2 want=$3 block text
	shift 3
	[[ -f $serial ]] || { echo "no serial log $serial: see the QEMU check"; return 1; }
	block=$(tr -d '\r' <"$serial" | awk -v n="$name" '
		index($0, "=== case " n " rc=") == 1 { p = 1 }
		p { print }
		$0 == "=== end " n { p = 0 }')
	[[ -n $block ]] || { echo "case $name did not run; serial log: $serial"; return 1; }
	printf '%s\n' "$block" | tail -n 60
	grep -aqx "=== case $name rc=$want" <<<"$block" ||
		{ echo "exit status is not $want; serial log: $serial"; return 1; }
	for text in "$@"; do
		grep -aqF -- "$text" <<<"$block" || { echo "missing: '$text'; serial log: $serial"; return 1; }
	done
	echo "case $name: exit status $want with: $*"
}

# t_scripts_boot ARGS...: scripts/boot ARGS, its messages in the check's
# log; when it fails, its FAIL line (which quotes a kernel warning, say)
# is also a note in the runner's output.  Returns scripts/boot's status.
t_scripts_boot() {
	local rc=0
	"$LG_REPO/scripts/boot" "$@" 2>"$T_LOG.boot" || rc=$?
	cat "$T_LOG.boot"
	if ((rc != 0)); then
		t_note "$(grep -m1 'FAIL: ' "$T_LOG.boot" || echo "scripts/boot exited $rc")"
	fi
	return "$rc"
}

# t_serial_said SERIAL NAME STATUS STREAM TEXT...: in a QEMU run's serial
# log, case NAME exited with STATUS and each TEXT is on one of its
# "STREAM: " lines (stdout or stderr), not just anywhere in the block.
t_serial_said() {
	local serial=$1 name=$2 want=$3 stream=$4 lines text
	shift 4
	t_serial_case "$serial" "$name" "$want" || return 1
	lines=$(t_serial_output "$serial" "$name" | sed -n "s/^$stream: //p")
	for text in "$@"; do
		grep -qF -- "$text" <<<"$lines" || { echo "no '$text' on $stream; serial log: $serial"; return 1; }
	done
	echo "case $name: on $stream: $*"
}
