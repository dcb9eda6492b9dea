# shellcheck shell=bash
# Shared helpers for the lguest scripts. Sourced, never run.
#
# Everything big (downloads, pristine trees, patched trees, builds, the
# ccache) lives in $LGUEST_CACHE, outside the clone:
#
#   $LGUEST_CACHE/dl/                      downloaded linux-source .debs
#   $LGUEST_CACHE/src/<debver>/linux-source-6.12   one pristine tree per version
#   $LGUEST_CACHE/trees/<debver>/linux     pristine copy + the series (scripts/apply)
#   $LGUEST_CACHE/trees/<debver>/pristine  pristine copy, no series (baselines)
#   <tree>/_build-<variant>                out-of-tree (O=) build directories
#   $LGUEST_CACHE/ccache                   compiler cache
#   $LGUEST_CACHE/git/<debver>             git repo of the pristine tree (tests)
#   $LGUEST_CACHE/logs/                    build, boot and test logs

LG_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LGUEST_CACHE=${LGUEST_CACHE:-$HOME/.cache/lguest}
# The Debian package and the version the series is written against.
LG_PKG=linux-source-6.12
LG_PINNED=${LGUEST_PINNED:-6.12.117-1~deb12u1}
LG_ARCH=i386
# The release number of scripts/release ("-lgN" in the kernel's version).
LG_RELEASE=1

lg_prog=$(basename "$0")

msg()  { printf '%s: %s\n' "$lg_prog" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$lg_prog" "$*" >&2; }
die()  { printf '%s: error: %s\n' "$lg_prog" "$*" >&2; exit 1; }

# Print a duration in seconds as "1m23s" or "45s".
lg_dur() {
	local s=$1
	if (( s >= 60 )); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# lg_step "what" cmd...: say what a long step does, run it, say how long it took.
lg_step() {
	local what=$1 t0 rc=0
	shift
	msg "$what ..."
	t0=$SECONDS
	"$@" || rc=$?
	if (( rc == 0 )); then
		msg "$what: done in $(lg_dur $((SECONDS - t0)))"
	else
		msg "$what: FAILED (exit $rc) after $(lg_dur $((SECONDS - t0)))"
	fi
	return $rc
}

# Run as root, or through sudo when available.
lg_root() {
	if (( EUID == 0 )); then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root for '$*': run as root or install sudo"
	fi
}

# Directory names: a Debian version is used as is ("6.12.117-1~deb12u1").
# lg_bzimage_64 BZIMAGE: true for a 64-bit kernel. Its boot header
# ("HdrS" at 0x202) has XLF_KERNEL_64, bit 0 of xloadflags at 0x236.
lg_bzimage_64() {
	local xlf
	[[ $(dd if="$1" bs=1 skip=514 count=4 status=none) == HdrS ]] ||
		die "$1 is not a bzImage (no 'HdrS' boot header at 0x202): give arch/x86/boot/bzImage"
	xlf=$(od -An -tu2 -j566 -N2 "$1" | tr -d ' ')
	((xlf & 1))
}

lg_src_dir()  { printf '%s/src/%s/%s\n' "$LGUEST_CACHE" "$1" "$LG_PKG"; }
lg_tree_dir() { printf '%s/trees/%s/%s\n' "$LGUEST_CACHE" "$1" "${2:-linux}"; }

# Versions of linux-source-6.12 that apt can download now, newest first.
# Prints nothing when apt knows of none (offline, or no index yet).
lg_served_versions() {
	apt-cache madison "$LG_PKG" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
		sort -u | sort -rV
}

# Patch file names listed in a series file, in order (comments and
# blank lines dropped, quilt options like -p1 after the name ignored).
lg_series_patches() {
	local series=$1
	[[ -f $series ]] || return 0
	sed -e 's/#.*//' "$series" | awk 'NF { print $1 }'
}

# Files a set of patches touches, both sides of each "--- a/x" + "+++ b/x"
# header pair (/dev/null dropped, the first path component stripped).
lg_patch_files() {
	awk 'prev ~ /^--- / && /^\+\+\+ / {
		split(prev, o, /[ \t]+/); split($0, n, /[ \t]+/)
		if (o[2] != "/dev/null") { f = o[2]; sub(/^[^\/]*\//, "", f); print f }
		if (n[2] != "/dev/null") { f = n[2]; sub(/^[^\/]*\//, "", f); print f }
	} { prev = $0 }' "$@" | sort -u
}

# A stable hash of the series file and every patch it lists.
lg_series_hash() {
	local dir=$1 p
	{
		printf 'series\n'
		[[ -f $dir/series ]] && cat "$dir/series"
		while read -r p; do
			printf 'patch %s\n' "$p"
			cat "$dir/patches/$p"
		done < <(lg_series_patches "$dir/series")
	} | sha256sum | cut -c1-16
}

# lg_kb_builds TREE OUT ARCH FILE: whether kbuild compiles FILE (a .c or
# .S file, path from the top) in TREE under the configuration of build
# directory OUT (its include/config/auto.conf: after syncconfig or a
# build).  A single object given to make is compiled even where the
# config makes none, so ask kbuild itself: FILE's object is in the lists
# scripts/Makefile.build makes for its directory or one above (composite
# objects), and kbuild descends there.  The boot code is built by
# bzImage's own rules, outside those lists: there only the width counts.
# Answers are remembered per TREE, OUT and directory (lg_kb_forget).
declare -gA lg_kb_lists=()
lg_kb_forget() { lg_kb_lists=(); }
lg_kb_list() {
	local tree=$1 out=$2 arch=$3 d=$4 k="$1 $2 $4"
	if [[ -z ${lg_kb_lists[$k]+set} ]]; then
		# BITS comes from arch/x86/Makefile, which this make skips.
		# shellcheck disable=SC2016 # make's variables, for make
		lg_kb_lists[$k]=" $(make -s -C "$out" -f "$tree/scripts/Makefile.build" \
			obj="$d" srctree="$tree" objtree=. VPATH="$tree" ARCH="$arch" SRCARCH=x86 \
			BITS="$([[ $arch == x86_64 ]] && echo 64 || echo 32)" \
			need-builtin=1 need-modorder=1 \
			--eval 'lg-list: ; @echo $(real-obj-y) $(real-obj-m) $(lib-y) $(extra-y) $(subdir-ym)' \
			lg-list 2>/dev/null) "
	fi
	lg_kb=${lg_kb_lists[$k]}
}
lg_kb_visits() {
	local tree=$1 out=$2 arch=$3 d=$4
	[[ $d != */* || $d == arch/x86 ]] && return 0
	lg_kb_list "$tree" "$out" "$arch" "$(dirname "$d")"
	[[ $lg_kb == *" $d "* ]] && lg_kb_visits "$tree" "$out" "$arch" "$(dirname "$d")"
}
lg_kb_builds() {
	local tree=$1 out=$2 arch=$3 f=$4 o d
	[[ $f == *.[cS] ]] || return 1
	o=${f%.?}.o
	if [[ $f == arch/x86/boot/* ]]; then
		case $arch:$f in
		x86_64:*_32.[cS] | i386:*_64.[cS]) return 1 ;;
		esac
		return 0
	fi
	d=$(dirname "$f")
	while [[ $d != . ]]; do
		lg_kb_list "$tree" "$out" "$arch" "$d"
		if [[ $lg_kb == *" $o "* ]]; then
			lg_kb_visits "$tree" "$out" "$arch" "$d"
			return
		fi
		d=$(dirname "$d")
	done
	return 1
}

# The ccache and the kbuild environment every build uses. BASEDIR makes
# ccache hash relative paths; reproducible build stamps let init/version.c
# hit the cache too.
lg_build_env() {
	export CCACHE_DIR=${CCACHE_DIR:-$LGUEST_CACHE/ccache}
	export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$LGUEST_CACHE}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
	export CCACHE_NOHASHDIR=1
	export KBUILD_BUILD_USER=lguest KBUILD_BUILD_HOST=lguest
	export KBUILD_BUILD_TIMESTAMP=${KBUILD_BUILD_TIMESTAMP:-Thu Jan  1 00:00:00 UTC 2026}
	mkdir -p "$CCACHE_DIR"
}

# One tree-changing job at a time (apply, build): the CPU is shared and
# apply may replace a tree a build is using. Child scripts inherit the lock.
lg_lock() {
	[[ -n ${LG_LOCK_HELD:-} ]] && return 0
	mkdir -p "$LGUEST_CACHE"
	exec 9>"$LGUEST_CACHE/.build.lock"
	if ! flock -n 9; then
		msg "another apply or build is running; waiting for it"
		flock 9
	fi
	export LG_LOCK_HELD=$$
}

# lg_cpu_lock shared|exclusive: scripts/bisect-check's many builds hold
# this shared, scripts/bench exclusive, so that a benchmark never times
# beside them.  bisect-check builds in a tree of its own, so it does not
# hold lg_lock for its whole run: the test lane beside it would wait for
# each quick scripts/build (12 minutes in a cold test run).  Take it
# before lg_lock.
lg_cpu_lock() {
	local mode=-s
	[[ $1 == exclusive ]] && mode=-x
	mkdir -p "$LGUEST_CACHE"
	exec 7>"$LGUEST_CACHE/.cpu.lock"
	if ! flock -n "$mode" 7; then
		if [[ $mode == -x ]]; then
			msg "scripts/bisect-check is building; waiting for it"
		else
			msg "a benchmark is running; waiting for it"
		fi
		flock "$mode" 7
	fi
}

# lg_git_base VERSION: a git repository of the pristine tree of VERSION,
# one commit, made once and kept in the cache ($LGUEST_CACHE/git/VERSION).
# Debian's top-level .gitignore ignores the whole top level, so files are
# added with -f. Prints its path.
lg_git_base() {
	local version=$1 repo src
	repo=$LGUEST_CACHE/git/$version
	if [[ ! -f $repo/.lguest-base ]]; then
		src=$(lg_src_dir "$version")
		[[ -f $(dirname "$src")/.complete ]] ||
			src=$("$LG_REPO/scripts/get-kernel" --no-deps --version "$version" --print-path) ||
			die "no pristine tree for $version (see above)"
		mkdir -p "$(dirname "$repo")"
		exec 8>"$repo.lock"
		flock 8
		if [[ ! -f $repo/.lguest-base ]]; then
			rm -rf "$repo" "$repo.tmp"
			msg "making a git repository of $src (once per version, about a minute)"
			cp -a --reflink=auto "$src" "$repo.tmp"
			git -C "$repo.tmp" init -q
			git -C "$repo.tmp" add -f -A .
			git -C "$repo.tmp" -c user.name=lguest -c user.email=lguest@localhost \
				commit -q -m "$LG_PKG $version (pristine)"
			git -C "$repo.tmp" config gc.auto 0
			mv "$repo.tmp" "$repo"
			touch "$repo/.lguest-base"
		fi
		exec 8>&-
	fi
	printf '%s\n' "$repo"
}

# The options that turn a branch back into the series' patch files: mails
# with a zero From hash, "[PATCH]" subjects, no signature, and 9-digit
# blob abbreviations as the series has always used.
LG_FORMAT_PATCH_OPTS=(--zero-commit --no-signature --no-numbered --abbrev=9 --stat=72 --summary --no-renames)
