# test: scripts/boot tells success, failure, hang and crash apart
# shellcheck shell=bash

# scripts/boot must exit with EXPECT for the command CMD.
t_boot_rc() {
	local expect=$1 cmd=$2 timeout=$3 bz rc=0
	bz=$(t_bzimage host)
	"$LG_REPO/scripts/boot" "$bz" --quiet --timeout "$timeout" --log "$T_LOG.serial" --cmd "$cmd" || rc=$?
	echo "scripts/boot --cmd '$cmd' exited $rc (want $expect); serial log: $T_LOG.serial"
	((rc == expect))
}

check "scripts/boot exits 0 when the command succeeds (true)" t_boot_rc 0 true 120
check "scripts/boot exits 1 when the command fails (false)" t_boot_rc 1 false 120
# A busy loop, not 'sleep': busybox sleep returns at once in these kernels.
check "scripts/boot exits 124 when the guest hangs (busy loop, 30s timeout)" t_boot_rc 124 'while :; do :; done' 30
check "scripts/boot exits 255 on a kernel panic (sysrq c)" t_boot_rc 255 'echo c > /proc/sysrq-trigger' 120
