# test: git bisect run scripts/bisect-run names the commit that broke the guest
# shellcheck shell=bash
# lane: 2
#
# A small history on the series as commits (scripts/series-to-git): a
# harmless commit, a planted one that breaks the guest's power-off (lg.ko
# takes it for a restart, so the launcher exits 3, not 0), and two
# harmless ones after it.  'git bisect run scripts/bisect-run' between the
# series (good) and the last commit (bad) must name the planted commit.
# Every commit changes only lg.ko's sources, so a step rebuilds one
# module and boots once.  The tree and its build directory are kept in
# $LGUEST_CACHE/bisect/VERSION for the next run with the same series,
# which resets it to the series' commit: the first build then remakes
# only the three files the planted history touched (a new tree's first
# build takes the guest variant's objects from ccache, about 2.5 minutes
# more).

# t_bisect_commit DIR MESSAGE: commit what changed in DIR's tracked files.
t_bisect_commit() {
	local ident
	mapfile -t ident < <(t_git_ident)
	git -C "$1" "${ident[@]}" commit -q -a -m "$2"
}

# t_bisect_tree DIR: DIR as scripts/series-to-git makes it of this
# series, from the last run's tree when it carried the same series.
t_bisect_tree() {
	local dir=$1 key good
	key=$(lg_series_hash "$T_SDIR")
	good=$(cat "$dir.good" 2>/dev/null || true)
	if [[ $(cat "$dir.series" 2>/dev/null) == "$key" && -n $good ]] &&
		git -C "$dir" cat-file -e "$good^{commit}" 2>/dev/null; then
		git -C "$dir" bisect reset -q >/dev/null 2>&1 || true
		git -C "$dir" checkout -q -f lguest && git -C "$dir" reset -q --hard "$good" &&
			git -C "$dir" clean -q -f -d && { echo "the kept tree, reset to $good"; return 0; }
	fi
	rm -f "$dir.series" "$dir.good"
	"$LG_REPO/scripts/series-to-git" --version "$T_VERSION" --series-dir "$T_SDIR" --force "$dir" >/dev/null ||
		return 1
	git -C "$dir" rev-parse HEAD >"$dir.good"
	echo "$key" >"$dir.series"
	echo "a new tree of the series"
}

t_bisect() {
	local dir=$LGUEST_CACHE/bisect/$T_VERSION/linux good planted first f=drivers/lguest/hypercalls.c log=$T_LOG.bisect-run lock
	mkdir -p "$(dirname "$dir")"
	# One run at a time in the kept tree.
	exec {lock}>"$dir.lock"
	flock "$lock"
	t_bisect_tree "$dir" || { echo "scripts/series-to-git could not make $dir"; return 1; }
	good=$(git -C "$dir" rev-parse HEAD)
	grep -q 'if (how == LGUEST_SHUTDOWN_RESTART) {' "$dir/$f" ||
		{ echo "$f no longer has the line the planted commit changes: update this test"; return 1; }
	echo "/* bisect test: harmless 1 */" >>"$dir/drivers/lguest/core.c"
	t_bisect_commit "$dir" "harmless 1"
	sed -i 's/if (how == LGUEST_SHUTDOWN_RESTART) {/if (how != LGUEST_SHUTDOWN_RESTART) {/' "$dir/$f"
	t_bisect_commit "$dir" "planted: a power-off becomes a restart"
	planted=$(git -C "$dir" rev-parse HEAD)
	echo "/* bisect test: harmless 2 */" >>"$dir/drivers/lguest/core.c"
	t_bisect_commit "$dir" "harmless 2"
	echo "/* bisect test: harmless 3 */" >>"$dir/drivers/lguest/segments.c"
	t_bisect_commit "$dir" "harmless 3"
	echo "good $good, planted $planted, bad $(git -C "$dir" rev-parse HEAD)"
	git -C "$dir" bisect start HEAD "$good" >/dev/null
	(cd "$dir" && git bisect run "$LG_REPO/scripts/bisect-run" --timeout 240) >"$log" 2>&1 || true
	git -C "$dir" bisect log || true
	grep -E 'is the first bad commit|bisect-run: .*(good|bad|skip)|build .*, boot ' "$log" || true
	first=$(sed -n 's/^\([0-9a-f]\{40\}\) is the first bad commit$/\1/p' "$log")
	git -C "$dir" bisect reset -q >/dev/null 2>&1 || true
	[[ -n $first ]] || { echo "git bisect run named no first bad commit: $log"; return 1; }
	[[ $first == "$planted" ]] || { echo "git bisect run named $first, not the planted $planted: $log"; return 1; }
	echo "git bisect run named the planted commit"
}

check "git bisect run scripts/bisect-run names the commit that broke the guest's power-off" t_bisect
