# test: sparse reports nothing new in the files the series touches
# shellcheck shell=bash
# lane: 1
#
# In the first lane beside the QEMU tests: it makes objects in the guest
# build directory, which the options test configures, so the two share a
# lane.
#
# Runs 'make C=2' (check even if up to date) on the objects built from the
# touched .c files, in the patched build and in the pristine baseline, and
# compares sparse's messages about touched files (by file and text).  The
# baseline is only configured (scripts/build --configure), and make
# builds there the objects of the touched files that it has and that its
# config makes (asked of kbuild, lg_kb_builds: a single object would be
# compiled even where the config leaves it out), not the whole pristine
# kernel.

# t_sparse_run VARIANT TARGET...: sparse's messages while making TARGETs
# (objects or directories) in VARIANT's build dir, without line numbers,
# to $T_STATE/VARIANT.sparse.all.
t_sparse_run() {
	local v=$1 out tree
	shift
	out=$(<"$T_STATE/$v.out")
	tree=$(dirname "$out")
	if (($# == 0)); then : >"$T_STATE/$v.sparse.all"; return 0; fi
	echo "sparse in $v: $*"
	lg_build_env
	make -C "$tree" O="$out" ARCH="$LG_ARCH" CC="ccache gcc" HOSTCC="ccache gcc" \
		C=2 CHECK=sparse -j"$(nproc)" "$@" >"$T_STATE/$v.sparse.log" 2>&1 ||
		{ tail -n 20 "$T_STATE/$v.sparse.log"; echo "make C=2 failed in $v"; return 1; }
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$T_STATE/$v.sparse.log" |
		sed -E -e 's|^(\.\./)+||' -e 's/:[0-9]+:[0-9]+:/:/' | sort -u >"$T_STATE/$v.sparse.all" || true
}

# t_sparse_base VARIANT OBJ...: t_sparse_run for a pristine baseline,
# kept in $LGUEST_CACHE/sparse-baseline under a hash of all it depends
# on (the tree's version, the .config, the objects, sparse and gcc;
# LGUEST_TEST_RECHECK=1 runs it anyway): the pristine tree never changes,
# and re-checking its few hundred files cost a warm run about a minute
# and a half per config.
t_sparse_base() {
	local v=$1 key dir=$LGUEST_CACHE/sparse-baseline
	shift
	key=$({
		printf '%s\n' "$T_VERSION" "$@"
		cat "$(<"$T_STATE/$v.out")/.config"
		sparse --version
		gcc --version
		declare -f t_sparse_run
	} | sha256sum | cut -c1-16)
	if [[ -f $dir/$v-$key && ${LGUEST_TEST_RECHECK:-0} != 1 ]]; then
		cp "$dir/$v-$key" "$T_STATE/$v.sparse.all"
		echo "sparse in $v: $* (the baseline's messages from $dir/$v-$key: same tree, .config, objects and tools)"
		return 0
	fi
	t_sparse_run "$v" "$@" || return 1
	mkdir -p "$dir"
	cp "$T_STATE/$v.sparse.all" "$dir/$v-$key.tmp" && mv "$dir/$v-$key.tmp" "$dir/$v-$key"
}

# t_sparse_touched VARIANT: of VARIANT's messages, those about the
# touched files, to $T_STATE/VARIANT.sparse.
t_sparse_touched() {
	grep -F -f <(t_touched | sed 's/$/:/') "$T_STATE/$1.sparse.all" >"$T_STATE/$1.sparse" || true
}

t_sparse() {
	local v=$1 base=$2 touched cfiles new f out base_tree base_out objs=() base_objs=() o
	touched=$(t_touched)
	cfiles=$(grep -E '\.c$' <<<"$touched" || true)
	if [[ -z $cfiles ]]; then echo "the series touches no .c file: nothing for sparse"; return 0; fi
	t_build "$v" >/dev/null || { echo "the $v build failed"; return 1; }
	out=$(<"$T_STATE/$v.out")
	# The touched files this config builds.
	while read -r f; do
		[[ -n $f && -f $out/${f%.c}.o ]] && objs+=("${f%.c}.o")
	done <<<"$cfiles"
	t_configure "$base" >/dev/null || { echo "the $base baseline could not be configured: $T_STATE/$base.configure.out"; return 1; }
	# The pristine tree has the files the series changes, not those it adds.
	base_out=$(<"$T_STATE/$base.out")
	base_tree=$(dirname "$base_out")
	lg_build_env
	make -s -C "$base_tree" O="$base_out" ARCH="$LG_ARCH" syncconfig >"$T_STATE/$base.syncconfig.log" 2>&1 ||
		{ tail -n 20 "$T_STATE/$base.syncconfig.log"; echo "make syncconfig failed in the $base baseline"; return 1; }
	for o in "${objs[@]}"; do
		[[ -f $base_tree/${o%.o}.c ]] && lg_kb_builds "$base_tree" "$base_out" "$LG_ARCH" "${o%.o}.c" &&
			base_objs+=("$o")
	done
	t_sparse_base "$base" ${base_objs[@]+"${base_objs[@]}"} || return 1
	t_sparse_run "$v" "${objs[@]}" || return 1
	t_sparse_touched "$base"
	t_sparse_touched "$v"
	new=$(comm -13 "$T_STATE/$base.sparse" "$T_STATE/$v.sparse")
	echo "sparse messages about touched files: $base $(wc -l <"$T_STATE/$base.sparse"), $v $(wc -l <"$T_STATE/$v.sparse")"
	if [[ -n $new ]]; then
		echo "new sparse messages in $v (log: $T_STATE/$v.sparse.log):"
		printf '%s\n' "$new"
		return 1
	fi
	echo "nothing new"
}

check "sparse: nothing new in the touched files (guest config)" t_sparse guest pristine-host
check "sparse: nothing new in the touched files (guest config with PAE)" t_sparse guest+pae pristine-host+pae
