#!/bin/bash
# Build lgfuzz and its guest and run them in QEMU on a host kernel with lg.ko.
set -euo pipefail

usage() {
	cat <<USAGE
Usage: tests/fuzz/run-qemu.sh --bzimage BZ --module LG_KO --ksrc TREE
                              --run "dev|guest SEED|random --seconds N|--ops N"...
                              [--tolerance KB] [--timeout S] [--mem MB]
                              [--cpu MODEL] [-- BOOT_ARGS...]

Builds tests/fuzz (make), boots BZ in QEMU (scripts/boot) with lgfuzz,
the fuzzing guest and LG_KO in the initramfs, loads lg, runs lgfuzz once
per --run, unloads lg and checks that MemFree is back within the
tolerance.  Exits with scripts/boot's status: 0 when every run passed,
lg unloaded and MemFree came back (compared with after an rmmod that
followed a short warm-up run); 255 on any kernel warning, oops
or BUG in the host's log (scripts/boot's scan).

  --bzimage BZ   the host kernel (2-level page tables: the guest is built so)
  --module KO    lg.ko built for it
  --ksrc TREE    the patched kernel tree (scripts/apply prints it)
  --run SPEC     one lgfuzz run: mode, seed (or "random": lgfuzz picks and
                 prints it) and budget, e.g. "guest 1 --seconds 60"; or
                 "guest one SEED", the one guest a failure names (lgfuzz
                 guest --one SEED); repeatable, in order
  --tolerance KB how much lower MemFree may be after rmmod (default 1024)
  --timeout S    seconds for the whole boot (default 600)
  --mem MB       the QEMU host's memory (default 256)
  --cpu MODEL    QEMU CPU model (default max)
  -- ARGS...     passed on to scripts/boot (e.g. --quiet --log FILE)
  -h, --help     this text
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bz='' ko='' ksrc='' runs=() tol=1024 timeout=600 mem=256 cpu=max boot_args=()
while (($#)); do
	case $1 in
	--bzimage) bz=$2; shift ;;
	--module) ko=$2; shift ;;
	--ksrc) ksrc=$2; shift ;;
	--run) runs+=("$2"); shift ;;
	--tolerance) tol=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--mem) mem=$2; shift ;;
	--cpu) cpu=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; boot_args=("$@"); break ;;
	*) echo "run-qemu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
[[ -f $bz && -f $ko ]] || { echo "run-qemu.sh: need --bzimage and --module, existing files (see --help)" >&2; exit 2; }
[[ -n $ksrc ]] || { echo "run-qemu.sh: need --ksrc, the patched tree (scripts/apply prints it)" >&2; exit 2; }
((${#runs[@]})) || { echo "run-qemu.sh: need at least one --run (see --help)" >&2; exit 2; }
for r in "${runs[@]}"; do
	[[ $r =~ ^(dev|guest)\ ([0-9]+|random)\ --(seconds|ops)\ [0-9]+$ || $r =~ ^guest\ one\ [0-9]+$ ]] ||
		{ echo "run-qemu.sh: bad --run '$r': want 'dev|guest SEED|random --seconds N|--ops N' or 'guest one SEED'" >&2; exit 2; }
done
[[ $tol =~ ^[0-9]+$ ]] || { echo "run-qemu.sh: --tolerance takes kB, a number (got '$tol')" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$here" KSRC="$ksrc" O="$work" >&2
printf '%s\n' "${runs[@]}" >"$work/runs"
echo "$tol" >"$work/tolerance"
rc=0
"$repo/scripts/boot" "$bz" --cpu "$cpu" --mem "$mem" --timeout "$timeout" \
	--script "$here/in-qemu.sh" --add "$ko:/lg/lg.ko" --add "$work/lgfuzz:/lg/lgfuzz" \
	--add "$repo/tests/guest/memfree.sh:/lg/memfree" \
	--add "$work/fuzzguest.elf:/lg/fuzzguest.elf" --add "$work/runs:/lg/runs" \
	--add "$work/tolerance:/lg/tolerance" ${boot_args[@]+"${boot_args[@]}"} || rc=$?
exit "$rc"
