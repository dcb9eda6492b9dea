# test: the series applies with no fuzz to the pinned tree
# shellcheck shell=bash

t_apply_pinned() {
	local out
	out=$("$LG_REPO/scripts/apply" --version "$T_VERSION" 2>&1) || { printf '%s\n' "$out"; return 1; }
	printf '%s\n' "$out"
	# Offsets are allowed but reported: a refresh removes them.
	grep 'warning: offset' <<<"$out" | sed 's/^apply: //' >>"$T_LOG.notes" || true
}
check "series applies with quilt push -a --fuzz=0 to the pinned $T_VERSION tree" t_apply_pinned

t_series_complete() {
	local listed p missing=0
	listed=$(lg_series_patches "$T_SDIR/series")
	while read -r p; do
		[[ -z $p ]] && continue
		[[ -f $T_SDIR/patches/$p ]] || { echo "series lists $p, which is not in patches/"; missing=1; }
	done <<<"$listed"
	if [[ -d $T_SDIR/patches ]]; then
		while read -r p; do
			grep -qxF "$p" <<<"$listed" || { echo "patches/$p is not listed in series"; missing=1; }
		done < <(cd "$T_SDIR/patches" && find . -type f -name '*.patch' -printf '%P\n' | sort)
	fi
	echo "$(grep -c . <<<"$listed" || true) patch(es) in series"
	return "$missing"
}
check "series and patches/ agree (every patch listed, every listed patch present)" t_series_complete
