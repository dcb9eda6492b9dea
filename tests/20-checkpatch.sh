# test: checkpatch.pl --strict: 0 errors, 0 warnings on every patch
# shellcheck shell=bash
#
# Exceptions live in the series file, one comment line per patch:
#
#   # checkpatch-ignore: <patch> <TYPE>[,<TYPE>...] <reason>
#
# TYPE is checkpatch's message type (shown by --show-types, e.g.
# LONG_LINE); the reason is required. One more rule: when some patch of
# the series edits MAINTAINERS, FILE_PATH_CHANGES ("does MAINTAINERS need
# updating?") is ignored for all of them, as the series does update it.
#
# checkpatch takes about two seconds a patch, a minute and a half of
# every run before the lanes start.  What it says depends only on the
# patch, the ignored types and checkpatch.pl (the pinned version's): a
# clean result is kept in $LGUEST_CACHE/checkpatch-clean under a hash of
# those and of this check (LGUEST_TEST_RECHECK=1 runs it anyway).  A
# patch with errors or warnings is never kept.

t_checkpatch_ignores() {
	local patch=$1
	awk -v p="$patch" '$1 == "#" && $2 == "checkpatch-ignore:" && $3 == p { print $4 }' "$T_SDIR/series" |
		paste -sd, -
}

t_checkpatch() {
	local patch=$1 src types out e w c key clean
	src=$(t_pristine)
	types=$(t_checkpatch_ignores "$(basename "$patch")")
	if [[ -n $(awk -v p="$(basename "$patch")" '$1 == "#" && $2 == "checkpatch-ignore:" && $3 == p && NF < 5' "$T_SDIR/series") ]]; then
		echo "a checkpatch-ignore line for $(basename "$patch") has no reason: write why"
		return 1
	fi
	if t_touched | grep -qx MAINTAINERS; then
		types=${types:+$types,}FILE_PATH_CHANGES
	fi
	echo "ignored types: ${types:-none}"
	key=$({
		printf '%s\n' "$T_VERSION" "$types"
		cat "$patch" "$src/scripts/checkpatch.pl"
		declare -f t_checkpatch
	} | sha256sum | cut -c1-16)
	clean=$LGUEST_CACHE/checkpatch-clean/$key
	if [[ -f $clean && ${LGUEST_TEST_RECHECK:-0} != 1 ]]; then
		read -r e w c <"$clean"
		echo "the same patch, ignored types and checkpatch.pl gave $e errors, $w warnings, $c checks on $(date -u -r "$clean" '+%Y-%m-%d %H:%M UTC')"
		if ((c)); then t_note "$(basename "$patch"): $c check(s) from --strict (not failing; kept result, LGUEST_TEST_RECHECK=1 shows them)"; fi
		return 0
	fi
	# Debian's python3 has the python3-ply and python3-git that
	# checkpatch's SPDX check (scripts/spdxcheck.py) needs.
	out=$(cd "$src" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --show-types --no-color \
		${types:+--ignore "$types"} "$patch" 2>&1) || true
	printf '%s\n' "$out"
	read -r e w c < <(sed -n 's/^total: \([0-9]*\) errors, \([0-9]*\) warnings, \([0-9]*\) checks.*/\1 \2 \3/p' <<<"$out" | tail -n1)
	[[ -n $e ]] || { echo "checkpatch printed no total line"; return 1; }
	if ((c)); then t_note "$(basename "$patch"): $c check(s) from --strict (not failing; see $T_LOG)"; fi
	((e == 0 && w == 0)) || return 1
	mkdir -p "${clean%/*}"
	echo "$e $w $c" >"$clean"
}

mapfile -t cp_patches < <(t_patches)
if ((${#cp_patches[@]} == 0)); then
	check "checkpatch --strict: series is empty, nothing to check" true
fi
for p in "${cp_patches[@]}"; do
	check "checkpatch --strict: $(basename "$p") has 0 errors, 0 warnings" t_checkpatch "$p"
done
