# test: the top-level MAINTAINERS holds what the series adds to the kernel's
# shellcheck shell=bash

# Every line the series adds to the kernel's MAINTAINERS LGUEST entry
# must be in the top-level MAINTAINERS file (which may list more: paths
# that later patches of the plan add).
t_maintainers() {
	local added missing=0 line
	mapfile -t ps < <(t_patches)
	((${#ps[@]})) || { echo "series is empty"; return 0; }
	added=$(awk '/^diff --git a\/MAINTAINERS b\/MAINTAINERS/ { m = 1; next }
		     /^diff --git / { m = 0 }
		     m && /^\+[A-Z]:\t/ { print substr($0, 2) }' "${ps[@]}")
	[[ -n $added ]] || { echo "the series adds no MAINTAINERS lines"; return 0; }
	while read -r line; do
		if grep -qxF "$line" "$LG_REPO/MAINTAINERS"; then
			echo "present: $line"
		else
			echo "missing from MAINTAINERS: $line"; missing=1
		fi
	done <<<"$added"
	return "$missing"
}
check "MAINTAINERS (top level) has every line the series adds to the kernel's" t_maintainers
