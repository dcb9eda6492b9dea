# test: the x86_64 host runs a Linux PAE guest to userspace, and refuses a 2-level one
# shellcheck shell=bash

# The x86_64 host kernel with lg.ko, the 64-bit launcher (make
# ARCH=x86_64), and as the guest the same PAE bzImage the 32-bit PAE host
# runs (the guest+pae variant), in compatibility mode; then the 2-level
# guest bzImage, which lg refuses at LHCALL_LGUEST_INIT.  One QEMU boot,
# tests/guest/x86_64-host.sh.  The full guest checks (devices, net, the
# cases of tests/60-guest.sh) on this host are still to come.

t_x86_64_guest_boot() {
	local out=$T_STATE/x86_64-guest serial=$T_STATE/x86_64-guest.serial host build guest other token
	host=$(t_bzimage x86_64) || return 1
	build=$(<"$T_STATE/x86_64.out")
	guest=$(t_bzimage guest+pae) || return 1
	other=$(t_bzimage guest) || return 1
	rm -rf "$out"
	t_launcher_build_into "$out/launcher" all ARCH=x86_64 || return 1
	token=lg-x86_64-$RANDOM$RANDOM
	echo "$token" >"$out/token"
	# shellcheck disable=SC2016 # $(uname -m) runs in the guest
	"$LG_REPO/scripts/mkinitramfs" --out "$out/guest.cpio.gz" --token "$token" \
		--cmd 'echo "GUEST-UNAME: $(uname -m)"; grep -c -m1 "^flags.* pae" /proc/cpuinfo | sed "s/^/GUEST-PAE: /"; echo GUEST-X86_64-OK' \
		--poweroff >/dev/null || return 1
	t_scripts_boot "$host" --quiet --cpu max --timeout 400 --log "$serial" \
		--script "$LG_REPO/tests/guest/x86_64-host.sh" \
		--add "$build/drivers/lguest/lg.ko:/lg/lg.ko" --add "$out/launcher/lguest:/lg/lguest" \
		--add "$guest:/lg/bzImage" --add "$other:/lg/other.bzImage" \
		--add "$out/guest.cpio.gz:/lg/guest.cpio.gz" || { echo "serial log: $serial"; return 1; }
	grep -a '^=== ' "$serial" | tr -d '\r'
	echo "serial log: $serial"
}

t_x86_64_guest_pae() {
	t_serial_case "$T_STATE/x86_64-guest.serial" pae 0 \
		"guest| LGTEST-INIT: $(<"$T_STATE/x86_64-guest/token")" "guest| GUEST-UNAME: i686" "guest| GUEST-PAE: 1" \
		"Booting paravirtualized kernel on lguest" "guest| GUEST-X86_64-OK" || return 1
	t_note "x86_64 host: $(t_serial_value "$T_STATE/x86_64-guest.serial" exits) exits for the guest's boot to power-off"
}

if [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; then
	check "x86_64 host boots, runs a PAE guest and a 2-level one, unloads lg" t_x86_64_guest_boot
	check "x86_64 host: the PAE guest reaches userspace (i686, PAE, lguest) and powers off (exit 0)" t_x86_64_guest_pae
	check "x86_64 host: a 2-level guest is refused (exit 255, says to build with PAE)" \
		t_serial_case "$T_STATE/x86_64-guest.serial" 2level 255 \
		"guest kernel was built without PAE (CONFIG_X86_PAE): an x86_64 host runs PAE guests only"
	check "x86_64 host: rmmod lg succeeds after the guests" grep -aq '^=== rmmod rc=0' "$T_STATE/x86_64-guest.serial"
else
	skip "x86_64 host runs a PAE guest" "LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
