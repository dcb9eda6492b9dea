# test: both kernels boot to init in QEMU and power off cleanly
# shellcheck shell=bash

# Boot, check init printed our token and the command's status 0, and that
# the kernel went down through its reboot path (no hang, no crash).
t_boot() {
	local v=$1 cpu=$2 bz log=$T_LOG.serial token
	bz=$(t_bzimage "$v")
	token=boot-$v-$RANDOM
	t_scripts_boot "$bz" --quiet --cpu "$cpu" --timeout 120 --log "$log" \
		--token "$token" --cmd 'cat /proc/version; grep -m1 "model name" /proc/cpuinfo' || return 1
	grep -q "^LGTEST-INIT: $token" "$log" || { echo "no init token in $log"; return 1; }
	grep -q 'reboot: Restarting system' "$log" || { echo "no clean reboot/power-off in $log"; return 1; }
	echo "booted to init (token $token), command ok, clean power-off; serial log: $log"
}

check "host kernel (LGUEST_GUEST off) boots to init on -cpu max and powers off" t_boot host max
check "guest-config kernel (LGUEST_GUEST=y) boots natively to init on -cpu max and powers off" t_boot guest max
check "guest-config kernel (LGUEST_GUEST=y) boots natively on -cpu qemu32 (no PAE/NX) and powers off" t_boot guest qemu32
check "guest-config kernel with PAE boots natively to init on -cpu max (NX on) and powers off" t_boot guest+pae max
