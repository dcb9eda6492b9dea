#!/bin/bash
# Build the selftests and run them in QEMU on a host kernel with lg.ko.
set -euo pipefail

usage() {
	cat <<USAGE
Usage: tests/selftests/run-qemu.sh --bzimage BZ --module LG_KO --ksrc TREE [--pae]
                                    [--cpu MODEL] [--smp N] [--timeout S]
                                    [--segments FILE] [--only TEST,...]
                                    [-- BOOT_ARGS...]

Builds lgtest and the guests (make), boots BZ in QEMU (scripts/boot) with
them and LG_KO in the initramfs, loads lg, runs lgtest (KTAP) and unloads
lg.  Exits with scripts/boot's status: 0 when every selftest passed.

  --bzimage BZ   the host kernel
  --module KO    lg.ko built for it
  --ksrc TREE    the patched kernel tree (scripts/apply prints it): the
                 selftests are built with its uapi headers
  --pae          BZ is a PAE kernel (CONFIG_X86_PAE): run the guests built
                 with PAE page tables (guest-pae/), lgtest -p; without it,
                 the 2-level ones (guest/).  A guest of the other format
                 dies at its first hypercall, "built with(out) PAE".  A
                 64-bit BZ (an x86_64 host) always runs the PAE guests,
                 under lgtest-x86_64 (make ARCH=x86_64).
  --cpu MODEL    QEMU CPU model (default max)
  --smp N        virtual CPUs (default 1)
  --timeout S    seconds (default 180)
  --segments F   first run lgtest's segspin guest, and meanwhile check from
                 outside, through QEMU's QMP monitor, that every segment it
                 can load ends below the switcher (tests/selftests/segments);
                 that check's output goes to F, its exit status last
                 ("exit N").  Needs --smp 1: it reads the one CPU.
  --only T,...   run only these lgtest tests (lgtest NAME...)
  -- ARGS...     passed on to scripts/boot (e.g. --quiet --log FILE)
  -h, --help     this text
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bz='' ko='' ksrc='' cpu=max smp=1 timeout=180 boot_args=() set=guest segments='' only=''
while (($#)); do
	case $1 in
	--bzimage) bz=$2; shift ;;
	--module) ko=$2; shift ;;
	--ksrc) ksrc=$2; shift ;;
	--pae) set=guest-pae ;;
	--cpu) cpu=$2; shift ;;
	--smp) smp=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--segments) segments=$2; shift ;;
	--only) only=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; boot_args=("$@"); break ;;
	*) echo "run-qemu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ -f $bz && -f $ko ]] || { echo "run-qemu.sh: need --bzimage and --module (see --help)" >&2; exit 2; }

[[ -n $ksrc ]] || { echo "run-qemu.sh: need --ksrc, the patched tree (scripts/apply prints it)" >&2; exit 2; }
# An x86_64 host runs PAE guests, under a 64-bit lgtest.
# shellcheck source=../../scripts/lib.sh
. "$repo/scripts/lib.sh"
arch=i386 lgtest=lgtest
if lg_bzimage_64 "$bz"; then
	arch=x86_64 lgtest=lgtest-x86_64 set=guest-pae
fi
make -s -C "$here" KSRC="$ksrc" ARCH="$arch" >&2
adds=(--add "$ko:/lg/lg.ko" --add "$here/$lgtest:/lg/lgtest" --add "$repo/tests/guest/memfree.sh:/lg/memfree")
# in-qemu.sh runs lgtest -p when it finds /lg/guest-pae.
for g in "$here/$set"/*.elf; do
	adds+=(--add "$g:/lg/$set/$(basename "$g")")
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# in-qemu.sh passes the names in /lg/only to lgtest.
if [[ -n $only ]]; then
	tr ',' '\n' <<<"$only" >"$work/only"
	adds+=(--add "$work/only:/lg/only")
fi
boot=("$repo/scripts/boot" "$bz" --cpu "$cpu" --smp "$smp" --timeout "$timeout"
      --script "$here/in-qemu.sh")
if [[ -z $segments ]]; then
	rc=0
	"${boot[@]}" "${adds[@]}" ${boot_args[@]+"${boot_args[@]}"} || rc=$?
	exit "$rc"
fi

((smp == 1)) || { echo "run-qemu.sh: --segments reads one CPU: use --smp 1" >&2; exit 2; }
# in-qemu.sh runs "lgtest segspin" first when it finds /lg/segspin.
echo segspin >"$work/segspin"
adds+=(--add "$work/segspin:/lg/segspin")
"$here/segments" --qmp "$work/qmp" --timeout "$timeout" >"$segments" 2>&1 &
checker=$!
rc=0 crc=0
"${boot[@]}" --qmp "$work/qmp" "${adds[@]}" ${boot_args[@]+"${boot_args[@]}"} || rc=$?
wait "$checker" || crc=$?
echo "exit $crc" >>"$segments"
exit "$rc"
