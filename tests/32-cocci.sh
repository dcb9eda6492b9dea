# test: coccicheck reports nothing in the directories the series adds
# shellcheck shell=bash
# lane: 1
#
# In the first lane, after sparse and options: it reads the source tree
# only.  Its clean result is kept (below), so a warm run spends nothing
# here, and a cold one spends its minutes beside the second lane's
# every-patch builds (patches) instead of before them.
#
# 'make coccicheck MODE=report M=DIR' on every directory whose .c files
# are new in the series (drivers/lguest and the like), in the patched
# tree. Files the series only edits are left to the sparse check: their
# directories carry mainline's own findings. coccicheck runs in the source
# tree, not with O=: with O= spatch looks for the sources in the build
# directory and finds nothing, so the check could never fail. It writes
# nothing into the source tree.
#
# About 70 semantic patches, each a spatch start, cost three minutes a
# directory.  What coccicheck finds depends only on the patched tree (the
# pinned version and the series), its scripts (in that tree) and spatch:
# a clean result is kept in $LGUEST_CACHE/cocci-clean under a hash of
# those and of this check, and a run with the same ones reuses it
# (LGUEST_TEST_RECHECK=1 runs spatch anyway).  A finding is never kept.

t_cocci_dirs() {
	local src f d
	src=$(t_pristine)
	while read -r f; do
		[[ $f == *.c ]] || continue
		d=$(dirname "$f")
		[[ -d $src/$d ]] || printf '%s\n' "$d"
	done < <(t_touched) | sort -u |
		awk '{ for (i = 1; i <= n; i++) if (index($0, top[i] "/") == 1) next; top[++n] = $0; print }'
}

t_cocci() {
	local d=$1 tree log=$T_LOG.cocci found key clean
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	[[ -d $tree/$d ]] || { echo "$d is not in the patched tree $tree"; return 1; }
	key=$({
		printf '%s\n' "$T_VERSION" "$d" "$(lg_series_hash "$T_SDIR")"
		spatch --version
		declare -f t_cocci
	} | sha256sum | cut -c1-16)
	clean=$LGUEST_CACHE/cocci-clean/${d//\//_}-$key
	if [[ -f $clean && ${LGUEST_TEST_RECHECK:-0} != 1 ]]; then
		echo "coccicheck MODE=report M=$d: no findings, as on $(<"$clean") (the same series, tree and spatch)"
		return 0
	fi
	make -C "$tree" ARCH="$LG_ARCH" coccicheck MODE=report M="$d" J="$(nproc)" \
		>"$log" 2>&1 || { tail -n 20 "$log"; echo "make coccicheck failed (log: $log)"; return 1; }
	found=$(grep -E "(^|/)$d/[^:]+:[0-9]+" "$log" || true)
	if [[ -n $found ]]; then
		echo "coccicheck findings in $d (log: $log):"
		printf '%s\n' "$found"
		return 1
	fi
	echo "coccicheck MODE=report M=$d: no findings (log: $log)"
	mkdir -p "${clean%/*}"
	date -u '+%Y-%m-%d %H:%M UTC' >"$clean"
}

mapfile -t cocci_dirs < <(t_cocci_dirs)
if ((${#cocci_dirs[@]} == 0)); then
	check "coccicheck: the series adds no directory of its own yet" true
fi
for d in "${cocci_dirs[@]}"; do
	check "coccicheck MODE=report: nothing in $d" t_cocci "$d"
done
