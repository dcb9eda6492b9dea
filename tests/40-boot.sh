# test: the kernels boot natively to init in QEMU and power off cleanly
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

check "guest-config kernel (LGUEST_GUEST=y) boots natively to init on -cpu max and powers off" t_boot guest max
check "guest-config kernel (LGUEST_GUEST=y) boots natively on -cpu qemu32 (no PAE/NX) and powers off" t_boot guest qemu32
check "guest-config kernel with PAE boots natively to init on -cpu max (NX on) and powers off" t_boot guest+pae max

# The x86_64 host: the same boot, and the kernel must say it is x86_64
# (a 32-bit bzImage would boot as well in qemu-system-x86_64).
t_boot_x86_64() {
	local bz log=$T_LOG.serial token=boot-x86_64-$RANDOM
	bz=$(t_bzimage x86_64)
	# shellcheck disable=SC2016 # $(uname -m) runs in the booted system
	t_scripts_boot "$bz" --quiet --cpu max --timeout 120 --log "$log" \
		--token "$token" --cmd 'echo "machine: $(uname -m)"; grep -m1 "model name" /proc/cpuinfo' || return 1
	grep -q "^LGTEST-INIT: $token" "$log" || { echo "no init token in $log"; return 1; }
	t_serial_text "$log" | grep -cx 'machine: x86_64' >/dev/null || { echo "uname -m is not x86_64 in $log"; return 1; }
	grep -q 'reboot: Restarting system' "$log" || { echo "no clean reboot/power-off in $log"; return 1; }
	echo "x86_64 kernel booted to init (token $token), i386 busybox ran, clean power-off; serial log: $log"
	sed -n 's/^\[ *\([0-9.]*\)\] Run \/init as init process.*/kernel time to init: \1 s/p' "$log" | tr -d '\r'
}

# The x86_64 host kernel costs one more kernel build (a cold one is
# 15-20 minutes on 2 cores): LGUEST_TEST_X86_64=0 leaves it out.
if [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; then
	check "x86_64 host kernel boots to init on -cpu max (i386 busybox through IA32 emulation) and powers off" t_boot_x86_64
else
	skip "x86_64 host kernel boots to init on -cpu max and powers off" \
		"LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
