# test: the distribution guest kernel (guest-config/distro.config) runs as an lguest guest and has what systemd, dpkg and python3 call
# shellcheck shell=bash

# The guest+distro variant (scripts/build --guest --config distro) is the
# guest; the guest variant is the host, as in scripts/boot-guest
# --config distro.  One QEMU boot runs two guests with the same
# initramfs, whose command is tests/guest/distro-check (a static i386
# program: flock and fcntl locks, epoll, timerfd, signalfd, eventfd,
# inotify, fhandle, /proc/sys, cgroup2, IPv6, ptys, System V IPC,
# seccomp, namespaces (user ones too), kcmp, POSIX message queues, AIO,
# membarrier, rseq, tmpfs xattrs and ACLs, madvise) followed by a
# mount of an ext4 disk image (--block) made here: the distribution
# kernel must pass all of it, and the test kernel (tinyconfig-based, the
# guest variant itself) must fail it where it lacks the options, so that
# the checker is seen to fail.

t_distro_run=$T_STATE/distro-run
t_distro_serial=$T_STATE/distro.serial

t_distro_prepare() {
	local out=$t_distro_run d
	t_bzimage guest >/dev/null || return 1
	t_bzimage guest+distro >/dev/null || return 1
	rm -rf "$out"
	t_launcher_build_for "$out" guest || return 1
	gcc -m32 -static -O2 -Wall -Wextra -Werror -o "$out/distro-check" \
		"$LG_REPO/tests/guest/distro-check.c"
	d=$out/ext4-files
	mkdir -p "$d"
	printf 'LGUEST-EXT4-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$d/host.txt"
	mke2fs -q -F -t ext4 -L lguest-ext4 -d "$d" "$out/ext4.img" 8M
	# The guest: the checks, then the ext4 disk (the launcher's first
	# --block is the guest's /dev/vda).
	# shellcheck disable=SC2016 # expanded by the shell inside the guest
	"$LG_REPO/scripts/mkinitramfs" --out "$out/distro.cpio.gz" --poweroff \
		--add "$out/distro-check:/distro-check" --cmd '
		/distro-check; rc=$?
		mkdir -p /mnt
		if mount -t ext4 /dev/vda /mnt; then
			echo "EXT4: $(cat /mnt/host.txt)"
			umount /mnt
		else
			echo "EXT4: the mount failed"; rc=$((rc + 1))
		fi
		exit $rc' >/dev/null
	echo "launcher, distro-check, the ext4 image and the guest initramfs in $out"
}

t_distro_boot() {
	local out=$t_distro_run build rc=0
	[[ -f $out/distro.cpio.gz ]] || { echo "nothing built: see the first check"; return 1; }
	build=$(<"$T_STATE/guest.out")
	# One case per guest kernel: the launcher's output as "guest| " lines.
	# shellcheck disable=SC2016 # expanded by the shell in the QEMU host
	t_scripts_boot "$(t_bzimage guest)" --quiet --cpu max --timeout 600 --log "$t_distro_serial" \
		--add "$build/drivers/lguest/lg.ko:/lg/lg.ko" \
		--add "$(t_launcher_dir "$out" guest)/lguest:/lg/lguest" \
		--add "$(t_bzimage guest+distro):/lg/distro.bzImage" \
		--add "$(t_bzimage guest):/lg/guest.bzImage" \
		--add "$out/distro.cpio.gz:/lg/distro.cpio.gz" \
		--add "$out/ext4.img:/lg/ext4.img" --cmd '
		insmod /lg/lg.ko || exit 1
		for k in distro guest; do
			cp /lg/ext4.img /tmp/ext4.img
			/lg/lguest --initrd=/lg/distro.cpio.gz --block=/tmp/ext4.img 64 /lg/$k.bzImage >/tmp/$k.out 2>&1
			echo "=== case $k rc=$?"
			sed "s/^/guest| /" /tmp/$k.out
			echo "=== end $k"
		done' || rc=$?
	((rc == 0)) || { echo "scripts/boot exit $rc; serial log: $t_distro_serial"; return 1; }
	echo "serial log: $t_distro_serial"
}

# The distribution kernel: every check ok, the ext4 disk read back.
t_distro_pass() {
	local text n want
	t_serial_case "$t_distro_serial" distro 0 "guest| distro-check: 0 failure(s)" \
		"guest| EXT4: $(cat "$t_distro_run/ext4-files/host.txt")" "guest| LGTEST-RESULT: 0" || return 1
	text=$(t_serial_output "$t_distro_serial" distro)
	# As many ok lines as main() runs checks: none was left out.
	want=$(grep -c '^	check_[a-z0-9_]*();$' "$LG_REPO/tests/guest/distro-check.c")
	n=$(grep -c '^CHECK [a-z0-9-]*: ok' <<<"$text")
	((n == want && want >= 24)) || { echo "$n checks ok, not the $want that distro-check runs"; return 1; }
	grep '^CHECK timerfd' <<<"$text"
}

# The test kernel fails the checks of what it lacks: the checker can fail.
t_distro_fails() {
	local text c
	t_serial_case "$t_distro_serial" guest 0 "guest| EXT4: the mount failed" || return 1
	text=$(t_serial_output "$t_distro_serial" guest)
	for c in flock fcntl epoll timerfd signalfd inotify fhandle cgroup2 ipv6 sysvipc seccomp netns \
		userns kcmp mqueue aio membarrier rseq xattr madvise fs; do
		grep -q "^CHECK $c: FAIL" <<<"$text" || { echo "the test kernel passed the $c check"; return 1; }
	done
	grep -q '^LGTEST-RESULT: 0' <<<"$text" && { echo "the test kernel's guest command exited 0"; return 1; }
	echo "the test kernel fails: $(grep -c '^CHECK [a-z0-9-]*: FAIL' <<<"$text") checks, and the ext4 mount"
}

t_distro_checks=(
	"the distribution guest kernel, the launcher, distro-check and an ext4 image build" t_distro_prepare
	"one QEMU boot: the distribution kernel and the test kernel as lguest guests, each running distro-check" t_distro_boot
	"distribution guest kernel: every distro-check passes (locks, epoll, timerfd, inotify, cgroup2, IPv6...) and ext4 mounts" t_distro_pass
	"test guest kernel (tinyconfig-based): distro-check fails where it lacks the options (the checker can fail)" t_distro_fails
)
# The distribution kernel is one more cold kernel build: it runs where
# the Debian image is made, or as LGUEST_TEST_DISTRO says (t_distro in
# tests/lib.sh).
for ((t_i = 0; t_i < ${#t_distro_checks[@]}; t_i += 2)); do
	if t_distro; then
		check "${t_distro_checks[t_i]}" "${t_distro_checks[t_i + 1]}"
	else
		skip "${t_distro_checks[t_i]}" "$(t_distro_why)"
	fi
done
