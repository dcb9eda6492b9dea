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

# scripts/release: its flat patch, applied with patch -p1 to the pristine
# files, and its split queue, pushed with quilt, both give the tree that
# quilt gives from the series.
t_release() {
	local rel=$T_STATE/release src q name p f ps files
	rm -rf "$rel" "$T_STATE/rel-quilt" "$T_STATE/rel-flat" "$T_STATE/rel-queue"
	"$LG_REPO/scripts/release" --version "$T_VERSION" --out "$rel" >/dev/null
	(cd "$rel" && sha256sum -c SHA256SUMS)
	[[ $(<"$rel/localversion-lguest") == "-lg$LG_RELEASE" ]] ||
		{ echo "localversion-lguest is '$(<"$rel/localversion-lguest")'"; return 1; }
	q=$("$LG_REPO/scripts/apply" --version "$T_VERSION" --sparse --to "$T_STATE/rel-quilt" | tail -n1)
	src=$(t_pristine)
	mapfile -t ps < <(t_patches)
	mapfile -t files < <(lg_patch_files "${ps[@]}")
	mkdir -p "$T_STATE/rel-flat"
	for f in "${files[@]}"; do
		[[ -e $src/$f ]] || continue
		mkdir -p "$T_STATE/rel-flat/$(dirname "$f")"
		cp -a "$src/$f" "$T_STATE/rel-flat/$f"
	done
	name=$(basename "$rel"/lguest-*.patch.xz .patch.xz)
	xz -dc "$rel/$name.patch.xz" | (cd "$T_STATE/rel-flat" && patch -p1 --fuzz=0 --no-backup-if-mismatch -s)
	for f in "${files[@]}"; do
		cmp "$q/$f" "$T_STATE/rel-flat/$f" || { echo "$f differs between quilt and patch -p1 of $name.patch"; return 1; }
	done
	echo "$name.patch: patch -p1 gives the quilt tree (${#files[@]} files)"
	# The split queue is the series itself.
	mkdir -p "$T_STATE/rel-queue"
	tar -C "$T_STATE/rel-queue" -xJf "$rel/$name.patches.tar.xz"
	diff -u "$T_SDIR/series" "$T_STATE/rel-queue/$name/series"
	while read -r p; do
		cmp "$T_SDIR/patches/$p" "$T_STATE/rel-queue/$name/patches/$p"
	done < <(lg_series_patches "$T_SDIR/series")
	echo "$name.patches.tar.xz: the series and its patches"
	rm -rf "$T_STATE/rel-quilt" "$T_STATE/rel-flat" "$T_STATE/rel-queue"
}
check "scripts/release: the flat patch (patch -p1) and the split queue give the quilt tree" t_release
