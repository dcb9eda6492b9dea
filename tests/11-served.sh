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

# t_registry_down: true only when none of apt's sources answers (their
# Release files, fetched with apt's own downloader).  Only then is a
# failed download "offline" and a skip; any other failure is a failure.
# Prints what it tried.
t_registry_down() {
	local tmp src n=0
	tmp=$(mktemp -d)
	while read -r src; do
		[[ -n $src ]] || continue
		n=$((n + 1))
		if /usr/lib/apt/apt-helper -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20 \
			download-file "${src% *}dists/${src#* }/Release" "$tmp/Release" >"$tmp/log" 2>&1; then
			echo "${src% *} answers (dists/${src#* }/Release)"
			rm -rf "$tmp"
			return 1
		fi
		echo "${src% *}: $(grep -m1 -E 'Could not|Connection|unreachable|timed out|^E:' "$tmp/log" || echo 'no answer')"
	done < <(apt-get indextargets --no-release-info --format "\$(REPO_URI) \$(RELEASE)" 2>/dev/null | sort -u)
	rm -rf "$tmp"
	((n)) || { echo "apt has no sources configured"; return 1; }
}

# t_served_failed WHAT LOG: the step that failed, with its log.
t_served_failed() {
	cat "$2"
	echo "$1 failed while the registry answers: not an offline skip (log: $2)"
	return 1
}

served=$(lg_served_versions)
if [[ -z $served ]]; then
	if down=$(t_registry_down); then
		skip "series applies to every linux-source-6.12 Debian serves" \
			"offline: apt knows no versions and no apt source answers ($(tr '\n' ' ' <<<"$down"))"
	else
		printf '%s\n' "$down" "apt-cache madison $LG_PKG lists nothing: run 'apt-get update'" >"$T_LOGS/served-none.log"
		check "Debian serves some linux-source-6.12 (apt-cache madison $LG_PKG)" \
			t_served_failed "apt-cache madison $LG_PKG" "$T_LOGS/served-none.log"
	fi
else
	note "Debian serves: $(tr '\n' ' ' <<<"$served")"
	for v in $served; do
		# Fetch first: a download that fails because no source answers
		# means offline, not a bad series.
		dlog=$T_LOGS/get-kernel-$v.log
		if ! "$LG_REPO/scripts/get-kernel" --no-deps --version "$v" --print-path >"$dlog" 2>&1; then
			if down=$(t_registry_down); then
				skip "series applies with no fuzz to $v" "offline: cannot download $LG_PKG=$v and no apt source answers (log: $dlog)"
			else
				printf '%s\n' "$down" >>"$dlog"
				check "series applies with no fuzz to $v (download)" t_served_failed "scripts/get-kernel --version $v" "$dlog"
			fi
			continue
		fi
		check "series applies with no fuzz to $v" t_apply_version "$v"
	done
fi
unset served down dlog
