#!/bin/bash
# Build the soak's pieces and run it in QEMU on a host kernel with lg.ko.
set -euo pipefail

usage() {
	cat <<USAGE
Usage: tests/soak/run-qemu.sh --bzimage BZ --module LG_KO --ksrc TREE
                              [--guest GUEST_BZ] [--seconds N] [--cycles N]
                              [--seed N|random] [--kill-percent P]
                              [--linux-every K] [--tolerance KB]
                              [--mem MB] [--guest-mem MB] [--timeout S]
                              [-- BOOT_ARGS...]

Builds the launcher and its small test guests (tools-lguest, against
TREE's uapi headers), tests/soak/cycles and the Linux guests' initramfs
(tests/soak/guest.sh), boots BZ in QEMU (scripts/boot) and runs
tests/soak/in-qemu.sh there: a warm-up, then eight Linux guests at once
(GUEST_BZ; two with a disk, two with a NIC) running a fork/exec/file
(disk, network) workload for N seconds each, then N start/stop cycles
of small guests (every Kth a Linux guest), P percent of them killed with
SIGKILL at a random moment, then rmmod lg and the free memory compared
with after the warm-up.  Exits with scripts/boot's status: 0 when every
guest finished its workload and exited 0, every cycle ended as it should,
lg unloaded and the memory came back; 255 on any kernel warning, oops or
BUG in the host's log or a guest's console (scripts/boot's scan).

The host and the guests use 2-level page tables (the small guests are
built so): BZ is the host variant (or host+debug), GUEST_BZ the guest
variant, which is also a host (the default for BZ when --guest is not
given is BZ itself, so BZ must then be the guest variant).

  --bzimage BZ      the host kernel
  --module KO       lg.ko built for it
  --ksrc TREE       the patched kernel tree (scripts/apply prints it)
  --guest BZ        the Linux guests' kernel (default: --bzimage)
  --seconds N       each Linux guest's workload time (default 300)
  --cycles N        start/stop cycles (default 1000)
  --seed N          the cycles' seed (default random: printed)
  --kill-percent P  cycles killed with SIGKILL (default 25)
  --linux-every K   every Kth cycle runs a Linux guest (default 25)
  --tolerance KB    how much less free memory after rmmod (default 1024)
  --mem MB          the QEMU host's memory (default 768)
  --guest-mem MB    each Linux guest's memory (default 48)
  --timeout S       seconds for the whole boot (default: from the above)
  -- ARGS...        passed on to scripts/boot (e.g. --quiet --log FILE)
  -h, --help        this text
USAGE
}

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bz='' ko='' ksrc='' gbz='' secs=300 cycles=1000 seed=random kill=25 every=25 tol=1024
mem=768 gmem=48 timeout='' boot_args=()
while (($#)); do
	case $1 in
	--bzimage) bz=$2; shift ;;
	--module) ko=$2; shift ;;
	--ksrc) ksrc=$2; shift ;;
	--guest) gbz=$2; shift ;;
	--seconds) secs=$2; shift ;;
	--cycles) cycles=$2; shift ;;
	--seed) seed=$2; shift ;;
	--kill-percent) kill=$2; shift ;;
	--linux-every) every=$2; shift ;;
	--tolerance) tol=$2; shift ;;
	--mem) mem=$2; shift ;;
	--guest-mem) gmem=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; boot_args=("$@"); break ;;
	*) echo "run-qemu.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
	shift
done
die() { echo "tests/soak/run-qemu.sh: error: $*" >&2; exit 2; }
[[ -f $bz && -f $ko ]] || die "need --bzimage and --module, existing files (see --help)"
[[ -n $ksrc ]] || die "need --ksrc, the patched tree (scripts/apply prints it)"
[[ -n $gbz ]] || gbz=$bz
[[ -f $gbz ]] || die "--guest $gbz: no such file"
for v in seconds:$secs cycles:$cycles kill-percent:$kill linux-every:$every \
	tolerance:$tol mem:$mem guest-mem:$gmem; do
	[[ ${v#*:} =~ ^[0-9]+$ ]] || die "--${v%%:*} takes a whole number (got '${v#*:}')"
done
[[ $seed == random || $seed =~ ^[0-9]+$ ]] || die "--seed takes a number or 'random' (got '$seed')"
((kill <= 100)) || die "--kill-percent is at most 100 (got $kill)"
((every > 0)) || die "--linux-every must be at least 1"
# Eight guests, the warm-up's and the host's own: the host must hold them.
((mem >= 9 * gmem + 128)) ||
	die "--mem $mem is too small for eight ${gmem} MB guests: give at least $((9 * gmem + 128))"
# The guests start one after another on one vCPU and boot for about
# 30 s together; a cycle takes about 0.2 s, a Linux one about 5 s.
[[ -n $timeout ]] || timeout=$((secs * 2 + 300 + cycles / 2 + cycles * 8 / every + 300))

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make -s -C "$repo/tools-lguest" KSRC="$ksrc" O="$work/launcher" all tests >&2
gcc -m32 -static -O2 -Wall -Wextra -Werror -o "$work/cycles" "$here/cycles.c"
"$repo/scripts/mkinitramfs" --out "$work/soak.cpio.gz" --poweroff --script "$here/guest.sh" >/dev/null
"$repo/scripts/mkinitramfs" --out "$work/quick.cpio.gz" --poweroff --cmd true >/dev/null
cat >"$work/conf" <<EOF
SECS=$secs
CYCLES=$cycles
SEED=$seed
KILL_PCT=$kill
LINUX_EVERY=$every
TOLERANCE=$tol
MEM=$gmem
EOF
rc=0
"$repo/scripts/boot" "$bz" --mem "$mem" --timeout "$timeout" --script "$here/in-qemu.sh" \
	--add "$ko:/lg/lg.ko" --add "$work/launcher/lguest:/lg/lguest" --add "$gbz:/lg/bzImage" \
	--add "$work/soak.cpio.gz:/lg/soak.cpio.gz" --add "$work/quick.cpio.gz:/lg/quick.cpio.gz" \
	--add "$work/cycles:/lg/cycles" --add "$work/conf:/lg/conf" \
	--add "$repo/tests/guest/memfree.sh:/lg/memfree" \
	--add "$work/launcher/tests/hello.bzImage:/lg/guest/hello.bzImage" \
	--add "$work/launcher/tests/walk.elf:/lg/guest/walk.elf" \
	--add "$work/launcher/tests/idle.elf:/lg/guest/idle.elf" \
	${boot_args[@]+"${boot_args[@]}"} || rc=$?
exit "$rc"
