# test: git am and git quiltimport take the series
# shellcheck shell=bash

# A git repository of the pristine tree, made once per version and kept
# in the cache; each run works in a fresh worktree of it.
t_git_base() {
	local repo=$LGUEST_CACHE/git/$T_VERSION src
	if [[ ! -f $repo/.lguest-base ]]; then
		src=$(t_pristine)
		rm -rf "$repo" "$repo.tmp"
		mkdir -p "$(dirname "$repo")"
		echo "making a git repository of $src (once per version)" >&2
		cp -a --reflink=auto "$src" "$repo.tmp"
		# Debian's .gitignore ignores the whole top level: add with -f.
		git -C "$repo.tmp" init -q
		git -C "$repo.tmp" add -f -A .
		git -C "$repo.tmp" -c user.name=lguest -c user.email=lguest@localhost \
			commit -q -m "$LG_PKG $T_VERSION (pristine)"
		git -C "$repo.tmp" config gc.auto 0
		mv "$repo.tmp" "$repo"
		touch "$repo/.lguest-base"
	fi
	printf '%s\n' "$repo"
}

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

# Identity for commits that git makes itself (the patches carry their own).
t_git_ident() {
	local n e
	n=$(git -C "$LG_REPO" config user.name || echo lguest)
	e=$(git -C "$LG_REPO" config user.email || echo lguest@localhost)
	printf '%s\n' -c "user.name=$n" -c "user.email=$e"
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
t_git_cleanup
