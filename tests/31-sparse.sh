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
# builds the directories of those files there, as its config has them
# (a single object would be compiled even where the config leaves it
# out): a few hundred objects, not the whole pristine kernel.

# t_sparse_run VARIANT TARGET...: sparse's messages about the touched
# files while making TARGETs (objects or directories) in VARIANT's build
# dir, to $T_STATE/VARIANT.sparse.
t_sparse_run() {
	local v=$1 out tree
	shift
	out=$(<"$T_STATE/$v.out")
	tree=$(dirname "$out")
	if (($# == 0)); then : >"$T_STATE/$v.sparse"; return 0; fi
	echo "sparse in $v: $*"
	lg_build_env
	make -C "$tree" O="$out" ARCH="$LG_ARCH" CC="ccache gcc" HOSTCC="ccache gcc" \
		C=2 CHECK=sparse -j"$(nproc)" "$@" >"$T_STATE/$v.sparse.log" 2>&1 ||
		{ tail -n 20 "$T_STATE/$v.sparse.log"; echo "make C=2 failed in $v"; return 1; }
	# Sparse's own messages about the touched files, without line numbers.
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$T_STATE/$v.sparse.log" |
		sed -E -e 's|^(\.\./)+||' -e 's/:[0-9]+:[0-9]+:/:/' |
		grep -F -f <(printf '%s\n' "$(t_touched)" | sed 's/$/:/') | sort -u >"$T_STATE/$v.sparse" || true
}

t_sparse() {
	local v=$1 base=$2 touched cfiles new f out base_tree objs=() base_dirs=() o
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
	base_tree=$(dirname "$(<"$T_STATE/$base.out")")
	for o in "${objs[@]}"; do
		[[ -f $base_tree/${o%.o}.c ]] && base_dirs+=("$(dirname "$o")/")
	done
	mapfile -t base_dirs < <(printf '%s\n' "${base_dirs[@]}" | sort -u | grep . || true)
	t_sparse_run "$base" "${base_dirs[@]}" || return 1
	t_sparse_run "$v" "${objs[@]}" || return 1
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
