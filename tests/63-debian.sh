# test: Debian 12 (scripts/mkrootfs's image) as the guest's root on the 2-level and PAE hosts: systemd's default target, no failed unit, apt, dpkg --verify, python3, a service on its network, poweroff
# shellcheck shell=bash
# lane: 2

# One QEMU boot per page-table format: the guest variant (2-level) or
# guest+pae as the host, the distribution guest kernel of the same format
# (guest+distro, guest+distro+pae) as the guest, and scripts/mkrootfs's
# Debian bookworm i386 image as the guest's root (root=/dev/vda, systemd
# as init).  The image is the QEMU host's virtio disk in a snapshot
# (scripts/boot --snapshot): it is the same before and after.  The
# QEMU host runs tests/guest/debian-host.sh: the launcher with the image,
# a tar with tests/guest/debian-guest.sh as the guest's second disk and
# a NIC (--tunnet); the image's lguest-cmd.service runs that script once
# multi-user.target is reached (lguest.cmd= on the guest's command line)
# and powers the guest off after it.  The checks below read the serial
# log.  No unit is masked, by the image or here, and the test allows
# none in /etc or /run (a masked unit would hide its failure); Debian's
# packages ship the SysV scripts' units that systemd replaces masked
# (rcS.service, hwclock.service...): listed, not judged.
#
# Cost: the image takes about 14 minutes of QEMU to make, and each
# distribution guest kernel is one more cold kernel build.  So the image
# is made only when asked (LGUEST_TEST_DEBIAN=1, or scripts/mkrootfs by
# hand), and the test runs where it is made and current (t_distro in
# tests/lib.sh); without it, the boots skip.

t_deb_image=$LGUEST_CACHE/rootfs/debian-bookworm-i386.img
t_deb_run=$T_STATE/debian-run
# The guest's memory (the QEMU host gets 256 MB more), as boot-guest
# --rootfs gives it.
t_deb_mem=256

t_debian_prepare() {
	local out=$t_deb_run v img cmd
	for v in guest guest+pae guest+distro guest+distro+pae; do
		t_bzimage "$v" >/dev/null || return 1
	done
	rm -rf "$out"
	mkdir -p "$out/tar"
	t_launcher_build_for "$out" guest || return 1
	if [[ ${LGUEST_TEST_DEBIAN:-0} == 1 ]]; then
		# Made, or found made from the same script and packages.
		img=$("$LG_REPO/scripts/mkrootfs" --kernel "$(t_bzimage guest+distro)" | sed -n 's/^image: //p') ||
			{ echo "scripts/mkrootfs failed (above)"; return 1; }
		[[ $img == "$t_deb_image" ]] || { echo "scripts/mkrootfs made $img, not $t_deb_image"; return 1; }
	fi
	# The guest's script and the run's token, in a tar that is the
	# guest's /dev/vdb (whole 512-byte sectors, as --block wants).
	cp "$LG_REPO/tests/guest/debian-guest.sh" "$out/tar/"
	echo "lg-debian-$RANDOM$RANDOM" >"$out/tar/token"
	tar -C "$out/tar" --owner=0 --group=0 -cf "$out/debian-test.tar" debian-guest.sh token
	cmd='mkdir -p /run/lguest-test && tar -xf /dev/vdb -C /run/lguest-test && sh /run/lguest-test/debian-guest.sh'
	{
		echo "LG_MEM=$t_deb_mem"
		echo "LG_KARGS='root=/dev/vda rw console=hvc0 lguest.cmd=$(printf '%s\n' "$cmd" | base64 -w0)'"
		echo "LG_REQUEST=service-$(cat "$out/tar/token")"
	} >"$out/debian.env"
	cat "$out/debian.env"
	echo "launcher, the guest's tar and its command line in $out"
}

# t_deb_host FMT / t_deb_guest FMT: the host and guest variants of a
# page-table format (2level or pae).
t_deb_host() { if [[ $1 == pae ]]; then echo guest+pae; else echo guest; fi; }
t_deb_guest() { if [[ $1 == pae ]]; then echo guest+distro+pae; else echo guest+distro; fi; }

t_debian_boot() {
	local fmt=$1 serial=$T_STATE/debian-$1.serial hv gv before after rc=0 s
	[[ -f $t_deb_run/debian.env ]] || { echo "nothing built: see the first check"; return 1; }
	[[ -f $t_deb_image ]] || { echo "no image $t_deb_image"; return 1; }
	hv=$(t_deb_host "$fmt") gv=$(t_deb_guest "$fmt")
	before=$(stat -c '%s %Y' "$t_deb_image")
	t_scripts_boot "$(t_bzimage "$hv")" --quiet --cpu max --mem $((t_deb_mem + 256)) --timeout 1500 \
		--log "$serial" --drive "$t_deb_image" --snapshot \
		--script "$LG_REPO/tests/guest/debian-host.sh" \
		--add "$(<"$T_STATE/$hv.out")/drivers/lguest/lg.ko:/lg/lg.ko" \
		--add "$(t_launcher_dir "$t_deb_run" guest)/lguest:/lg/lguest" \
		--add "$(t_bzimage "$gv"):/lg/bzImage" \
		--add "$t_deb_run/debian-test.tar:/lg/debian-test.tar" \
		--add "$t_deb_run/debian.env:/lg/debian.env" || rc=$?
	t_deb_lines "$fmt" '^=== |^lguest-test: '
	after=$(stat -c '%s %Y' "$t_deb_image")
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $serial"; return 1; }
	[[ $before == "$after" ]] ||
		{ echo "the image changed (size and mtime '$before', now '$after'): the snapshot did not hold"; return 1; }
	echo "the image is as it was: size and mtime $after"
	# The figures, as notes.
	s=$(t_deb_said "$fmt" 'target: ' | awk '{ printf "%.1f", $(NF - 1) / 1e6 }')
	t_note "$fmt host: launch to the guest's login prompt $(t_deb_host_said "$fmt" 'login ') s; kernel start to systemd's default target ${s:-?} s (the guest's clock)"
	echo "serial log: $serial"
}

# t_deb_lines FMT REGEX: the serial log's lines that match REGEX, the
# guest's without their "guest| " mark and whatever the console had
# before an "lguest-test: " on the line.
t_deb_lines() {
	t_serial_text "$T_STATE/debian-$1.serial" | sed 's/^guest| //; s/^.*\(lguest-test: \)/\1/' |
		grep -a -E "$2" || true
}

# t_deb_said FMT NAME: the rest of the guest's first "lguest-test: NAME"
# line (debian-guest.sh's); t_deb_host_said FMT NAME: of the host's
# first "=== NAME" line (debian-host.sh's).  The autologin shell shares
# the console with debian-guest.sh: its prompt can come first on the
# line ("root@lguest-debian:~# lguest-test: target: ...").
t_deb_said() {
	t_serial_text "$T_STATE/debian-$1.serial" |
		awk -v k="lguest-test: $2" '!f && index($0, "guest| ") == 1 && (i = index($0, k)) {
			print substr($0, i + length(k)); f = 1 }'
}
t_deb_host_said() {
	t_serial_text "$T_STATE/debian-$1.serial" |
		awk -v k="=== $2" '!f && index($0, k) == 1 { print substr($0, length(k) + 1); f = 1 }'
}

# t_deb_want FMT NAME REGEX: the guest's "lguest-test: NAME" line matches
# REGEX (an extended regex over what follows NAME).
t_deb_want() {
	local got
	got=$(t_deb_said "$1" "$2")
	echo "lguest-test: $2$got"
	[[ -n $got ]] || { echo "the guest printed no 'lguest-test: $2' line (see the boot check)"; return 1; }
	grep -qE -- "$3" <<<"$got" || { echo "want: $2$3"; return 1; }
}

# systemd reached the default target, and no unit failed or is masked.
t_debian_target() {
	t_deb_want "$1" 'target: ' '^[a-z-]+\.target active at [0-9]+ us$' || return 1
	t_deb_want "$1" 'failed units: ' '^none$' || return 1
	t_deb_want "$1" 'masked units: ' '^none$' || return 1
	t_deb_said "$1" "masked, with the packages' own: " | sed "s/^/(not judged) masked, with the packages' own: /"
	t_deb_said "$1" 'queued jobs: ' | sed 's/^/(not judged) queued jobs besides lguest-cmd.service: /'
}

t_debian_apt() { t_deb_want "$1" 'apt: ' '^status 0 apt [0-9][0-9.~a-z]* \(i386\)$'; }

# The hash of the run's token, the 10th harmonic number and 2^100, as
# computed here.
t_debian_python() {
	local h
	h=$(tr -d '\n' <"$t_deb_run/tar/token" | sha256sum | cut -c1-16)
	t_deb_want "$1" 'python: ' "^$h 7381/2520 1267650600228229401496703205376 \(status 0\)$"
}

t_debian_dpkg() {
	t_deb_want "$1" 'dpkg verify: ' '^status 0, 0 line\(s\)$' || { t_deb_lines "$1" '^lguest-test: dpkg verify\| '; return 1; }
}

# The QEMU host sent "service-TOKEN" to 10.0.2.15:7777 and got back its
# hash from the service that systemd started for the connection.
t_debian_service() {
	local h got
	h=$(printf '%s' "$(grep '^LG_REQUEST=' "$t_deb_run/debian.env" | cut -d= -f2)" | sha256sum | cut -c1-16)
	t_deb_said "$1" 'service: ' | sed 's/^/guest: /'
	got=$(t_deb_host_said "$1" 'answer ')
	echo "the QEMU host's answer: ${got:-none}"
	[[ $got == "lguest-answer $h from lguest-debian" ]] ||
		{ echo "want: lguest-answer $h from lguest-debian"; return 1; }
}

# lguest-cmd.service's 'systemctl poweroff' after the script: systemd
# shuts down to its last words, then the launcher exits 0.  (The guest
# kernel's own "reboot: Power down" comes after device_shutdown(), which
# in 6.12 breaks and resets every virtio device, the console too: no
# guest whose console is hvc0 prints it, natively under QEMU neither.)
t_debian_poweroff() {
	local rc
	t_deb_want "$1" 'done: ' '^up [0-9.]+ s$' || return 1
	rc=$(t_deb_host_said "$1" 'launcher rc ')
	t_deb_lines "$1" 'System Power Off|systemd-shutdown\[1\]: Powering off'
	echo "the launcher exited with ${rc:-nothing: see the boot check}"
	[[ $rc == 0 ]] || return 1
	[[ -n $(t_deb_lines "$1" 'systemd-shutdown\[1\]: Powering off') ]] ||
		{ echo "no 'systemd-shutdown[1]: Powering off.' from the guest"; return 1; }
}

t_deb_why=''
if ! t_distro; then
	t_deb_why=$(t_distro_why)
elif [[ ${LGUEST_TEST_DEBIAN:-0} != 1 ]] && ! t_deb_image_current >/dev/null; then
	t_deb_why="$(t_deb_image_current | sed 's/^mkrootfs: //') (root, the network, about 14 minutes of QEMU, 520 MB in a 2 GB sparse file), or LGUEST_TEST_DEBIAN=1 makes it in this run"
fi
t_debian_checks=(
	"Debian: the host and distribution guest kernels, the launcher and the guest's script" t_debian_prepare
)
for t_fmt in 2level pae; do
	t_debian_checks+=(
		"Debian on the $t_fmt host: one QEMU boot, the image in a snapshot and the same after it" "t_debian_boot $t_fmt"
		"Debian on the $t_fmt host: systemd reaches its default target, no unit failed or masked" "t_debian_target $t_fmt"
		"Debian on the $t_fmt host: apt-get --version" "t_debian_apt $t_fmt"
		"Debian on the $t_fmt host: dpkg --verify finds every file as its package shipped it" "t_debian_dpkg $t_fmt"
		"Debian on the $t_fmt host: python3 computes a hash, fractions and 2**100 right" "t_debian_python $t_fmt"
		"Debian on the $t_fmt host: a service that systemd starts answers the QEMU host over --tunnet" "t_debian_service $t_fmt"
		"Debian on the $t_fmt host: poweroff inside the guest ends the launcher with exit 0" "t_debian_poweroff $t_fmt"
	)
done
for ((t_i = 0; t_i < ${#t_debian_checks[@]}; t_i += 2)); do
	if [[ -z $t_deb_why ]]; then
		# shellcheck disable=SC2086 # a function and its argument
		check "${t_debian_checks[t_i]}" ${t_debian_checks[t_i + 1]}
	elif ((t_i == 0)) && t_distro; then
		# The kernels are built without the image.
		# shellcheck disable=SC2086 # a function and its argument
		check "${t_debian_checks[t_i]}" ${t_debian_checks[t_i + 1]}
	else
		skip "${t_debian_checks[t_i]}" "$t_deb_why"
	fi
done
