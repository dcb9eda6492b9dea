# test: the launcher's virtio NIC (--tunnet): pings and TCP both ways, a bridge, setup errors, two guests at once
# shellcheck shell=bash
# lane: 2

# One QEMU boot of the guest-variant kernel runs tests/guest/net-host.sh:
# lg.ko, then the launcher with bad --tunnet values (exit 2, no tap left),
# then a guest on --tunnet=10.0.2.1 that pings the host and is pinged,
# receives 4 MiB from the host and sends it 4 MiB over TCP (busybox nc),
# with the checksum and TSO offloads at work, then two guests at once: one on a tap in bridge br0, one with a virtio
# disk.  The guests run tests/guest/net-guest.sh.  The checks after the
# boot read the serial log.

t_net_run=$T_STATE/net-run

t_net_prepare() {
	local out=$t_net_run
	t_bzimage guest >/dev/null || return 1
	rm -rf "$out"
	t_launcher_build_for "$out" guest || return 1
	if t_x86_64; then t_launcher_build_for "$out" x86_64 || return 1; fi
	"$LG_REPO/scripts/mkinitramfs" --out "$out/net.cpio.gz" --poweroff \
		--script "$LG_REPO/tests/guest/net-guest.sh" >/dev/null
	echo "launcher and the guest initramfs in $out"
}

t_net_boot() {
	local bz gbz build rc=0
	[[ -f $t_net_run/net.cpio.gz ]] || { echo "nothing built: see the first check"; return 1; }
	bz=$(t_bzimage "$t_net_v") || return 1
	gbz=$(t_bzimage "$(t_guest_variant "$t_net_v")") || return 1
	build=$(<"$T_STATE/$t_net_v.out")
	t_scripts_boot "$bz" --quiet --cpu max --timeout 900 \
		--log "$t_net_serial_log" --script "$LG_REPO/tests/guest/net-host.sh" \
		--add "$build/drivers/lguest/lg.ko:/lg/lg.ko" \
		--add "$(t_launcher_dir "$t_net_run" "$t_net_v")/lguest:/lg/lguest" \
		--add "$gbz:/lg/bzImage" --add "$t_net_run/net.cpio.gz:/lg/net.cpio.gz" || rc=$?
	grep -a '^=== ' "$t_net_serial_log" | tr -d '\r' || true
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $t_net_serial_log"; return 1; }
	echo "serial log: $t_net_serial_log"
}

t_net_serial() { t_serial_text "$t_net_serial_log"; }

# t_net_value NAME: the value of the host's "=== NAME VALUE" line.
t_net_value() { t_serial_value "$t_net_serial_log" "$1"; }

# t_net_case NAME: the launcher's output in case NAME, without "guest| ".
t_net_case() { t_serial_output "$t_net_serial_log" "$1"; }

# t_net_guest CASE KEY: the guest's first "KEY: VALUE" line in CASE, as VALUE.
t_net_guest() { t_net_case "$1" | sed -n "s/^$2: //p" | awk 'NR == 1'; }

# t_net_same WHAT A B: A and B are the same, and not empty.
t_net_same() {
	echo "$1: '$2' and '$3'"
	[[ -n $2 && $2 == "$3" ]] || { echo "they differ; serial log: $t_net_serial_log"; return 1; }
}

# t_net_no_tap CASE: after the launcher of CASE exited, no tap device is left.
t_net_no_tap() {
	local links
	links=$(t_net_value "links-after-$1")
	echo "network devices after case $1: '$links'"
	[[ -n $links ]] || { echo "no device list; serial log: $t_net_serial_log"; return 1; }
	if grep -qw 'tap[0-9]*' <<<"$links"; then
		echo "a tap device is left behind; serial log: $t_net_serial_log"
		return 1
	fi
}

# t_net_setup_error CASE TEXT: the launcher of CASE exited 2, said TEXT,
# and left no tap device behind.
t_net_setup_error() {
	t_serial_case "$t_net_serial_log" "$1" 2 "$2" && t_net_no_tap "$1"
}

# t_net_exit CASE TEXT...: the launcher of CASE exited 0 with every TEXT.
t_net_exit() { t_serial_case "$t_net_serial_log" "$1" 0 "LGTEST-RESULT: 0" "GUEST-NET-DONE" "${@:2}"; }

# t_net_rate WHAT BYTES T0 T1: a note of the transfer's time and rate.
t_net_rate() {
	local secs
	secs=$(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.2f", b - a }')
	t_note "$1$t_net_l: $2 bytes in $secs s ($(awk -v n="$2" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0) ? n / s / 1024 : 0 }') KiB/s)"
}

t_net_h2g() {
	local sent got t0 t1
	sent=$(t_net_value h2g-sent)
	got=$(t_net_guest net GUEST-H2G)
	echo "host sent: '$sent'; guest got: '$got'"
	t_net_same "host md5, guest md5" "$(t_net_value h2g-md5)" "$(awk '{ print $6 }' <<<"$got")" &&
		t_net_same "bytes" 4194304 "$(awk '{ print $4 }' <<<"$got")" &&
		t_net_same "guest's nc exit status" 0 "$(awk '{ print $2 }' <<<"$got")" || return 1
	[[ $sent =~ ^[0-9.]+\ [0-9.]+$ ]] || { echo "the host's send failed"; return 1; }
	read -r t0 t1 <<<"$sent"
	t_net_rate "host -> guest" 4194304 "$t0" "$t1"
}

t_net_g2h() {
	local got sent
	got=$(t_net_value g2h-received)
	sent=$(t_net_guest net GUEST-G2H)
	echo "guest sent: '$sent'; host got: '$got'"
	t_net_same "guest md5, host md5" "$(t_net_guest net GUEST-G2H-MD5)" "$(awk '{ print $2 }' <<<"$got")" &&
		t_net_same "bytes" 4194304 "$(awk '{ print $1 }' <<<"$got")" || return 1
	[[ $sent =~ ^sent\ in\ [0-9.]+\ to\ [0-9.]+$ ]] || { echo "the guest's send failed"; return 1; }
	t_net_rate "guest -> host" 4194304 "$(awk '{ print $3 }' <<<"$sent")" "$(awk '{ print $5 }' <<<"$sent")"
}

t_net_tap_addr() {
	t_net_same "tap and its address" "tap0 10.0.2.1/24" "$(t_net_value net-tap)" &&
		t_serial_case "$t_net_serial_log" net 0 "--tunnet=10.0.2.1:52:54:00:12:34:56: the guest's network is tap0, host end 10.0.2.1/24"
}

t_net_mac() {
	t_net_same "guest's eth0 MAC" 52:54:00:12:34:56 "$(t_net_guest net GUEST-MAC)" &&
		t_net_same "guest's eth0 address" 10.0.2.2/24 "$(t_net_guest net GUEST-eth0)" &&
		t_net_same "host's neighbour 10.0.2.2" "10.0.2.2 dev tap0 lladdr 52:54:00:12:34:56" \
			"$(t_net_value host-neigh | awk '{ print $1, $2, $3, $4, $5 }')"
}

# (The guests' kernel warnings fail the boot: scripts/boot.)
t_net_clean() {
	local bad
	bad=$(t_net_serial | grep -aE '^guest\| .*(cannot emulate|guest driver error)' | head -n 20 || true)
	[[ -z $bad ]] || { printf '%s\n' "$bad"; echo "serial log: $t_net_serial_log"; return 1; }
	echo "no driver errors or unemulated instructions in the guests' output"
}

t_net_block() {
	t_serial_case "$t_net_serial_log" block 0 "LGTEST-RESULT: 0" "GUEST-NET-DONE" &&
		t_net_same "guest wrote, image holds" "$(t_net_guest block GUEST-BLOCK-WROTE-MD5)" "$(t_net_value block-image-md5)" &&
		t_net_same "guest wrote, guest read" "$(t_net_guest block GUEST-BLOCK-WROTE-MD5)" "$(t_net_guest block GUEST-BLOCK-READ-MD5)"
}

t_net_bridge() {
	t_net_exit bridge &&
		t_net_same "br0's ports" tap0 "$(t_net_value bridge-ports)" &&
		t_net_same "bridged guest still running when the disk guest ended" yes \
			"$(t_net_value bridged-guest-running-after-block-guest)"
}

# The bridged guest's launcher ran as UID 2000 (--user) beside the disk
# guest's (root), and still set its taps' offloads at DRIVER_OK.
t_net_bridge_user() {
	t_net_same "launchers' UIDs" "0 2000" "$(t_net_value launcher-uids)" &&
		t_net_feature bridge 7 1 && t_net_feature bridge 15 1
}

t_net_bridge_ping() {
	t_serial_case "$t_net_serial_log" bridge 0 "GUEST-PING-PEER: 3 packets transmitted, 3 packets received" \
		"GUEST-eth0: 10.0.3.2/24" "GUEST-HOST-SAYS: pinged" &&
		t_net_same "host's pings" "3 packets transmitted, 3 packets received, 0% packet loss" \
			"$(t_net_value host-ping-bridged)"
}

# t_net_feature CASE BIT WANT: the guest of CASE negotiated feature BIT
# (WANT 1) or not (0).
t_net_feature() {
	local f
	f=$(t_net_guest "$1" GUEST-NET-FEATURES)
	echo "case $1: features $f, bit $2: '${f:$2:1}', wanted $3"
	[[ -n $f && ${f:$2:1} == "$3" ]]
}

# Offloads: CSUM 0, GUEST_CSUM 1, GUEST_TSO4 7, HOST_TSO4 11, MRG_RXBUF
# 15; MAC 5.  The tap's statistics show frames bigger than the MTU both
# ways.
t_net_offloads() {
	local bit stats
	for bit in 0 1 7 11 15; do t_net_feature net $bit 1 || return 1; done
	stats=$(t_net_value tap-stats)
	echo "tap stats: $stats"
	awk '$1 == "from-guest" && $4 == "to-guest" && $2 > 0 && $5 > 0 {
		printf "from the guest %.0f bytes a frame, to it %.0f\n", $3 / $2, $6 / $5
		exit !($3 / $2 > 1514 && $6 / $5 > 1514) }
		END { if (NR != 1) exit 1 }' <<<"$stats" ||
		{ echo "no frames bigger than the MTU on average both ways: TSO is not at work"; return 1; }
}

t_net_macs() {
	t_net_feature net 5 1 && t_net_feature bridge 5 0
}

t_net_rmmod() { t_net_serial | grep -x "=== rmmod rc=0"; }

check "net: launcher and the guest initramfs build (no warnings)" t_net_prepare

# t_net_checks VARIANT: one QEMU boot of the VARIANT kernel (guest for
# 2-level page tables, guest+pae for PAE, x86_64 for the x86_64 host with
# the PAE guest) and the checks on its guests.
t_net_checks() {
	t_net_v=$1 t_net_serial_log=$T_STATE/net-$1.serial t_net_l=''
	[[ $1 == *+pae ]] && t_net_l=' (PAE)'
	[[ $1 == x86_64 ]] && t_net_l=' (x86_64 host)'
	check "net$t_net_l: host boots and runs the --tunnet cases under lg.ko" t_net_boot
	check "net$t_net_l: --tunnet=10.0.2.300: exit 2, 'not an IPv4 address', no tap left" \
		t_net_setup_error bad-addr "--tunnet=10.0.2.300: '10.0.2.300' is not an IPv4 address; give --tunnet=IPADDR[:MAC]"
	check "net$t_net_l: --tunnet with a 5-byte MAC: exit 2, 'not a MAC address', no tap left" \
		t_net_setup_error bad-mac "'52:54:00:12:34' is not a MAC address; give six hex pairs"
	check "net$t_net_l: --tunnet=bridge:nobr0 (no such bridge): exit 2 with the fix, no tap left" \
		t_net_setup_error no-bridge "--tunnet=bridge:nobr0: there is no bridge nobr0 in this host; create it first (ip link add nobr0 type bridge"
	check "net$t_net_l: --tunnet=bridge:lo (not a bridge): exit 2 naming it, no tap left" \
		t_net_setup_error not-bridge "--tunnet=bridge:lo: lo is not a bridge; name a bridge"
	check "net$t_net_l: a good --tunnet and a missing kernel: exit 2, the tap it made is gone" \
		t_net_setup_error no-kernel "/lg/no-such-bzImage"
	check "net$t_net_l: no /dev/net/tun: exit 2 naming it, the cause and the fix" \
		t_net_setup_error no-tun "--tunnet=10.0.2.1: /dev/net/tun: No such file or directory; the host needs the tun driver"
	check "net$t_net_l: the guest on --tunnet=10.0.2.1 powers off (launcher exit 0) after its network work" t_net_exit net
	check "net$t_net_l: the launcher names tap0, which has 10.0.2.1/24 in the host" t_net_tap_addr
	check "net$t_net_l: the guest's eth0 has the MAC given (F_MAC) and 10.0.2.2/24; the host sees that MAC" t_net_mac
	check "net$t_net_l: guest PCI: the NIC in slot 2 (0x1041, class 020000, IRQ 2)" \
		t_serial_case "$t_net_serial_log" net 0 "GUEST-PCI: 0000:00:02.0 0x1af4 0x1041 0x020000 irq 2"
	check "net$t_net_l: F_MAC offered with a MAC, not without one (the bridged guest)" t_net_macs
	check "net$t_net_l: the guest negotiates CSUM, TSO4 both ways, MRG_RXBUF; its tap carries frames bigger than the MTU both ways" t_net_offloads
	check "net$t_net_l: the guest pings the host: 3 of 3 replies" \
		t_serial_case "$t_net_serial_log" net 0 "GUEST-PING-HOST: 3 packets transmitted, 3 packets received"
	check "net$t_net_l: the host pings the guest: 3 of 3 replies" \
		t_net_same "host's pings" "3 packets transmitted, 3 packets received, 0% packet loss" "$(t_net_value host-ping-guest)"
	check "net$t_net_l: 4 MiB host -> guest over TCP (nc) arrive intact (md5)" t_net_h2g
	check "net$t_net_l: 4 MiB guest -> host over TCP (nc) arrive intact (md5)" t_net_g2h
	check "net$t_net_l: the tap is gone when the guest has powered off" t_net_no_tap net
	check "net$t_net_l: two guests at once: the disk guest ran inside the bridged guest's run, exit 0, its data on disk" t_net_block
	check "net$t_net_l: two guests at once: the bridged guest exits 0, its tap is br0's one port" t_net_bridge
	check "net$t_net_l: the bridged guest's launcher runs as --user=2000 after making its taps, offloads still negotiated" t_net_bridge_user
	check "net$t_net_l: through bridge br0, the guest pings the host and the host pings the guest" t_net_bridge_ping
	check "net$t_net_l: a second --tunnet: the bridged guest's eth1 (slot 3, IRQ 3) pings the host on tap1" \
		t_serial_case "$t_net_serial_log" bridge 0 "GUEST-PCI: 0000:00:03.0 0x1af4 0x1041 0x020000 irq 3" \
		"GUEST-eth1: 10.0.4.2/24" "GUEST-PING-PEER2: 3 packets transmitted, 3 packets received" \
		"--tunnet=10.0.4.1: the guest's network is tap1, host end 10.0.4.1/24"
	check "net$t_net_l: no tap left after the bridged guest" t_net_no_tap bridge
	check "net$t_net_l: no driver errors or unemulated instructions in the guests' output" t_net_clean
	check "net$t_net_l: rmmod lg succeeds after the guests" t_net_rmmod
}

t_net_checks guest
t_net_checks guest+pae
# The x86_64 host: the PAE guest under the 64-bit launcher.
if t_x86_64; then
	t_net_checks x86_64
else
	skip "net (x86_64 host)" "LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi
unset t_net_run t_net_v t_net_serial_log t_net_l
