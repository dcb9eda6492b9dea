# test: git am and git quiltimport take the series
# shellcheck shell=bash

# A git repository of the pristine tree, made once per version and kept
# in the cache (scripts/lib.sh); each run works in a fresh worktree of it.
t_git_base() { lg_git_base "$T_VERSION"; }

# The worktree is sparse: only the files the series touches are checked
# out (the commit is still the whole pristine tree), which keeps it fast.
t_git_worktree() {
	local repo wt=$T_STATE/git-wt pats
	repo=$(t_git_base)
	if [[ ! -d $wt ]]; then
		git -C "$repo" worktree prune
		git -C "$repo" worktree add -q --no-checkout --detach "$wt" HEAD >&2
		mapfile -t pats < <(t_touched | sed 's|^|/|')
		((${#pats[@]})) || pats=(/Makefile)
		git -C "$wt" sparse-checkout set --no-cone "${pats[@]}" >&2
		git -C "$wt" reset -q --hard HEAD >&2
	fi
	printf '%s\n' "$wt"
}

t_git_cleanup() {
	local repo=$LGUEST_CACHE/git/$T_VERSION
	rm -rf "$T_STATE/git-wt"
	[[ -d $repo ]] && git -C "$repo" worktree prune
}

t_git_am() {
	local wt ps ident
	wt=$(t_git_worktree)
	mapfile -t ps < <(t_patches)
	mapfile -t ident < <(t_git_ident)
	git -C "$wt" reset -q --hard HEAD
	if ((${#ps[@]} == 0)); then echo "series is empty: nothing for git am to take"; return 0; fi
	git -C "$wt" "${ident[@]}" am --no-3way "${ps[@]}" </dev/null
	git -C "$wt" log --oneline "HEAD~${#ps[@]}..HEAD"
	git -C "$wt" rev-parse 'HEAD^{tree}' >"$T_STATE/am.tree"
}
check "git am takes every patch of the series on a git copy of the pristine tree" t_git_am

t_git_quiltimport() {
	local wt n base ident
	wt=$(t_git_worktree)
	mapfile -t ident < <(t_git_ident)
	n=$(lg_series_patches "$T_SDIR/series" | grep -c . || true)
	base=$(git -C "$LGUEST_CACHE/git/$T_VERSION" rev-parse HEAD)
	git -C "$wt" reset -q --hard "$base"
	if ((n == 0)); then echo "series is empty: nothing for git quiltimport to take"; return 0; fi
	(cd "$wt" && git "${ident[@]}" quiltimport --patches "$T_SDIR/patches" --series "$T_SDIR/series" </dev/null)
	git -C "$wt" log --oneline "HEAD~$n..HEAD"
	# Both routes must give the same tree.
	if [[ -f $T_STATE/am.tree ]]; then
		[[ $(git -C "$wt" rev-parse 'HEAD^{tree}') == $(<"$T_STATE/am.tree") ]] ||
			{ echo "git quiltimport and git am gave different trees"; return 1; }
		echo "same tree as git am"
	fi
}
check "git quiltimport takes the series (and gives the same tree as git am)" t_git_quiltimport

# The series is the source of truth and round-trips through git:
# series-to-git then git-to-series gives back the same bytes.
t_git_roundtrip() {
	local g=$T_STATE/roundtrip-git o=$T_STATE/roundtrip
	rm -rf "$g" "$o"
	mkdir -p "$o"
	cp "$T_SDIR/series" "$o/series"
	"$LG_REPO/scripts/series-to-git" --version "$T_VERSION" --series-dir "$T_SDIR" --sparse "$g"
	"$LG_REPO/scripts/git-to-series" --series-dir "$o" "$g"
	diff -u "$T_SDIR/series" "$o/series"
	diff -r "$T_SDIR/patches" "$o/patches" -x '*.orig' || { echo "the patches changed in the round trip (above)"; return 1; }
	echo "series and $(lg_series_patches "$T_SDIR/series" | wc -l) patches: byte-identical after series-to-git + git-to-series"
	rm -rf "$g"
}
check "scripts/series-to-git + git-to-series give back the series byte for byte" t_git_roundtrip
t_git_cleanup
