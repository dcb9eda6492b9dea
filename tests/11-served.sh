# test: the series applies to every 6.12.y Debian serves
# shellcheck shell=bash

# Applies on a sparse copy (only the files the series touches) of each
# served version: patch(1) sees exactly what it would see in a full tree.
t_apply_version() {
	local v=$1
	"$LG_REPO/scripts/get-kernel" --no-deps --version "$v" --print-path
	"$LG_REPO/scripts/apply" --version "$v" --sparse --force --to "$T_STATE/served-$v"
	rm -rf "$T_STATE/served-$v"
}

served=$(lg_served_versions)
if [[ -z $served ]]; then
	skip "series applies to every linux-source-6.12 Debian serves" \
		"apt knows no versions (offline, or run 'apt-get update')"
else
	note "Debian serves: $(tr '\n' ' ' <<<"$served")"
	for v in $served; do
		# Fetch first: a failed download means offline, not a bad series.
		dlog=$T_LOGS/get-kernel-$v.log
		if ! "$LG_REPO/scripts/get-kernel" --no-deps --version "$v" --print-path >"$dlog" 2>&1; then
			if grep -q 'download of' "$dlog"; then
				skip "series applies with no fuzz to $v" "offline: cannot download $LG_PKG=$v (log: $dlog)"
				continue
			fi
		fi
		check "series applies with no fuzz to $v" t_apply_version "$v"
	done
fi
