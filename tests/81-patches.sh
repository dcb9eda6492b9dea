# test: every patch builds on its own (scripts/bisect-check), and a patch that breaks the build is named
# shellcheck shell=bash
# lane: 2
#
# Bisection and packagers need every patch of the series to build, not
# only the last.  scripts/bisect-check checks out each patch of a git
# branch of the series in order and, under the host and the guest
# configs, builds the objects of the .c and .S files that patch touches
# ('make prepare' where it touches none), and the whole kernel with its
# modules (modpost included) at the end of each group of the series.
# The whole kernel at every patch (--full) is a script for a person.
#
# What these checks find depends only on their inputs: the pinned tree,
# the series, the scripts and config fragments that configure and build
# it, and gcc.  A pass is kept in $LGUEST_CACHE/patches-ok under a hash
# of those and of the check, and a run with the same ones reuses it (its
# line says so; LGUEST_TEST_RECHECK=1 builds anyway).  A failure is never
# kept.  Measured with the variants built (ccache warm): the 74 steps
# 4m57s (most of it the first group's whole kernel of each config), the
# planted patch 1; cold 14m34s (70 steps).
#
# The native kernel's role (LGUEST_GUEST off) goes to the debug host's
# config when the run builds that variant (LGUEST_TEST_DEBUG_HOST=1): the
# same kernel with checks on, whose first group's whole kernel then comes
# from ccache (the group ends after the last patch that changes a widely
# included header).  Without the debug host, as by default, nothing else
# in the run builds a native kernel, and its whole kernel at the first
# group's end would be a cold build (10-11 minutes on a machine where a
# cold run takes an hour): there the host config's steps build each
# patch's objects only (--objects), and the whole kernels at the ends of
# the groups are the guest config's, which has both LGUEST and
# LGUEST_GUEST.  scripts/bisect-check --configs host,guest is the whole
# check for a person.
T_PATCHES_NATIVE=host T_PATCHES_NATIVE_MODE=--objects
t_debug_host && T_PATCHES_NATIVE=debug T_PATCHES_NATIVE_MODE=

# t_patches_key NAME: the hash a kept pass of check NAME goes under.
t_patches_key() {
	{
		printf '%s\n' "$1" "$T_PATCHES_NATIVE" "$T_PATCHES_NATIVE_MODE" "$T_VERSION" \
			"$(lg_series_hash "$T_SDIR")"
		cat "$LG_REPO"/scripts/{bisect-check,build,apply,series-to-git,lib.sh} \
			"$LG_REPO"/config/*.config "$LG_REPO"/guest-config/*.config
		gcc --version
		declare -f t_patches_all t_patches_planted t_patches_steps_ok t_patches_kept
	} | sha256sum | cut -c1-16
}

# t_patches_kept NAME FUNC: FUNC's pass, kept or made now.
t_patches_kept() {
	local kept
	kept=$LGUEST_CACHE/patches-ok/$1-$(t_patches_key "$1")
	if [[ -f $kept && ${LGUEST_TEST_RECHECK:-0} != 1 ]]; then
		echo "passed on $(head -n1 "$kept") with the same tree, series, scripts, configs and gcc; its log:"
		tail -n +2 "$kept"
		t_note "kept from $(head -n1 "$kept") (the same inputs; LGUEST_TEST_RECHECK=1 builds again)$(
			sed -n 's/^bisect-check: \(patches .* in all\)$/: \1/p' "$kept")"
		return 0
	fi
	"$2" >"$T_LOG.out" 2>&1 || { cat "$T_LOG.out"; return 1; }
	cat "$T_LOG.out"
	mkdir -p "${kept%/*}"
	{ date -u '+%Y-%m-%d %H:%M UTC'; cat "$T_LOG.out"; } >"$kept.tmp" && mv "$kept.tmp" "$kept"
}

# The series as it is: every step of both configs builds, no warning.
t_patches_all() {
	local log=$T_LOG.bisect-check rc=0 dir=$LGUEST_CACHE/bisect-check/tests

	if [[ -n $T_PATCHES_NATIVE_MODE ]]; then
		"$LG_REPO/scripts/bisect-check" --configs guest --keep-going \
			--dir "$dir" >"$log.guest" 2>&1 || rc=$?
		"$LG_REPO/scripts/bisect-check" "$T_PATCHES_NATIVE_MODE" \
			--configs "$T_PATCHES_NATIVE" --keep-going \
			--dir "$dir" >"$log.native" 2>&1 || rc=$((rc | $?))
		cat "$log.guest" "$log.native" >"$log"
	else
		"$LG_REPO/scripts/bisect-check" --configs "$T_PATCHES_NATIVE,guest" \
			--keep-going --dir "$dir" >"$log" 2>&1 || rc=$?
	fi
	cat "$log"
	sed -n 's/^bisect-check: \(patches .* in all\)$/\1/p' "$log" | t_note_stdin
	((rc == 0)) || { echo "scripts/bisect-check exited $rc"; return 1; }
	t_patches_steps_ok "$log" "$T_PATCHES_NATIVE" guest
}

# t_note_stdin: each line read becomes a note of the check.
t_note_stdin() {
	local line
	while IFS= read -r line; do t_note "$line"; done
}

# t_patches_steps_ok LOG CONFIG...: LOG has an "ok" line for every patch
# under every CONFIG, and no FAIL line: no step was left out.
t_patches_steps_ok() {
	local log=$1 n c got
	shift
	n=$(lg_series_patches "$T_SDIR/series" | wc -l)
	for c in "$@"; do
		got=$(grep -c -E "^ *[0-9]+ $c +ok " "$log" || true)
		((got == n)) || { echo "$got ok steps under $c, not one for each of the $n patches"; return 1; }
	done
	! grep -q -E '^ *[0-9]+ [a-z0-9_]+ +FAIL ' "$log" || { echo "a step failed (above)"; return 1; }
}

# A copy of the series where one patch in the middle of the host's group
# breaks a line it adds to drivers/lguest/core.c: bisect-check must stop
# at that patch and name it, and build nothing after it.
t_patches_planted() {
	local sdir=$T_STATE/patches/planted-series log=$T_LOG.bisect-check rc=0 p n
	p=$(lg_series_patches "$T_SDIR/series" | grep -m1 -- '-lguest-add-the-host-module-lg\.patch$') ||
		{ echo "no 'lguest: add the host module lg' patch in the series: update this test"; return 1; }
	n=$(lg_series_patches "$T_SDIR/series" | grep -n -x -F -- "$p" | cut -d: -f1)
	rm -rf "$sdir"
	mkdir -p "$sdir"
	cp -r "$T_SDIR/series" "$T_SDIR/patches" "$sdir/"
	# The first "return 0;" the patch adds to core.c becomes a syntax
	# error; the hunk keeps its line count.
	awk '/^\+\+\+ b\// { core = ($2 == "b/drivers/lguest/core.c") }
	     core && !done && /^\+\treturn 0;$/ { print "+\treturn 0 +;"; done = 1; next }
	     { print }
	     END { exit !done }' "$T_SDIR/patches/$p" >"$sdir/patches/$p" ||
		{ echo "$p adds no 'return 0;' to drivers/lguest/core.c to break: update this test"; return 1; }
	LGUEST_SERIES_DIR=$sdir "$LG_REPO/scripts/bisect-check" --objects --configs host \
		--from $((n - 1)) --dir "$LGUEST_CACHE/bisect-check/planted" >"$log" 2>&1 || rc=$?
	cat "$log"
	((rc == 1)) || { echo "scripts/bisect-check exited $rc, not 1, with $p broken"; return 1; }
	grep -q -E "^ *$((n - 1)) host +ok " "$log" || { echo "the patch before $p did not build"; return 1; }
	grep -q -E "^ *$n host +FAIL .*$p: .*drivers/lguest/core\.o" "$log" ||
		{ echo "no FAIL line naming $p and core.o"; return 1; }
	grep -q 'core\.c:[0-9]*:[0-9]*: error' "$log" || { echo "the compiler's error is not quoted"; return 1; }
	! grep -q -E "^ *$((n + 1)) " "$log" || { echo "bisect-check went on after the failing patch"; return 1; }
	echo "patch $n ($p), broken, is named; the one before it builds"
}

if [[ -n $T_PATCHES_NATIVE_MODE ]]; then
	t_all="every patch of the series builds its objects under the host and guest configs, and each group's last the whole kernel and modules under the guest config, no warning (scripts/bisect-check)"
else
	t_all="every patch of the series builds its objects, and each group's last the whole kernel and modules, under the $T_PATCHES_NATIVE and guest configs, no warning (scripts/bisect-check)"
fi
t_planted="a patch planted to break drivers/lguest/core.c is named by scripts/bisect-check, with the compiler's error"
if [[ ${LGUEST_TEST_PATCHES:-1} != 0 ]]; then
	check "$t_all" t_patches_kept all t_patches_all
	check "$t_planted" t_patches_kept planted t_patches_planted
else
	why="LGUEST_TEST_PATCHES=0 leaves it out"
	skip "$t_all" "$why"
	skip "$t_planted" "$why"
fi
unset t_all t_planted why T_PATCHES_NATIVE T_PATCHES_NATIVE_MODE
