# test: coccicheck reports nothing in the directories the series adds
# shellcheck shell=bash
# lane: 2
#
# In the second lane: it reads the source tree only.
#
# 'make coccicheck MODE=report M=DIR' on every directory whose .c files
# are new in the series (drivers/lguest and the like), in the patched
# tree. Files the series only edits are left to the sparse check: their
# directories carry mainline's own findings. coccicheck runs in the source
# tree, not with O=: with O= spatch looks for the sources in the build
# directory and finds nothing, so the check could never fail. It writes
# nothing into the source tree.

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
	local d=$1 tree log=$T_LOG.cocci found
	tree=$("$LG_REPO/scripts/apply" --version "$T_VERSION" | tail -n1)
	[[ -d $tree/$d ]] || { echo "$d is not in the patched tree $tree"; return 1; }
	make -C "$tree" ARCH="$LG_ARCH" coccicheck MODE=report M="$d" J="$(nproc)" \
		>"$log" 2>&1 || { tail -n 20 "$log"; echo "make coccicheck failed (log: $log)"; return 1; }
	found=$(grep -E "(^|/)$d/[^:]+:[0-9]+" "$log" || true)
	if [[ -n $found ]]; then
		echo "coccicheck findings in $d (log: $log):"
		printf '%s\n' "$found"
		return 1
	fi
	echo "coccicheck MODE=report M=$d: no findings (log: $log)"
}

mapfile -t cocci_dirs < <(t_cocci_dirs)
if ((${#cocci_dirs[@]} == 0)); then
	check "coccicheck: the series adds no directory of its own yet" true
fi
for d in "${cocci_dirs[@]}"; do
	check "coccicheck MODE=report: nothing in $d" t_cocci "$d"
done
