#!/bin/sh
# Run inside the test initramfs (scripts/boot --script, see
# tests/55-launcher.sh): the launcher's cases, first its usage and setup
# errors without lg.ko (as on a machine without lguest), then against
# lg.ko.  Each case prints a block that the test on the outside judges:
#
#   === case NAME rc=STATUS
#   stdout: ...
#   stderr: ...
#   === end NAME
#
# /lg holds lg.ko, the launcher, the test guests (guest/*.elf), the host
# kernel (vmlinux, host.bzImage) and files that are not kernels.  The
# launcher is an i386 program: it runs here, never on the test machine.
L=/lg/lguest
G=/lg/guest
P=/lg/guest/ptyrun

# run_case NAME STDIN COMMAND...: run it and report.  No timeout(1): in
# this kernel under TCG, busybox's sleep (and so timeout) returns at once;
# scripts/boot's time limit catches a hang.
run_case() {
	name=$1 input=$2
	shift 2
	"$@" <"$input" >"/tmp/$name.out" 2>"/tmp/$name.err"
	rc=$?
	echo "=== case $name rc=$rc"
	sed 's/^/stdout: /' "/tmp/$name.out"
	sed 's/^/stderr: /' "/tmp/$name.err"
	echo "=== end $name"
}

# The launcher is static and reads these itself (--user, --group); nobody
# is also the user of the non-root cases.
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/bin/sh' >/etc/passwd
printf '%s\n' 'root:x:0:' 'nogroup:x:65534:' >/etc/group

# Usage and setup errors: exit 2 with the message (--help and --version 0).
H=$G/hello.elf
run_case help /dev/null "$L" --help
run_case version /dev/null "$L" --version
run_case version-short /dev/null "$L" -V
run_case no-args /dev/null "$L"
run_case unknown-option /dev/null "$L" --bogus 16 "$H"
run_case no-value /dev/null "$L" --user 16 "$H"
run_case user-unknown /dev/null "$L" --user=no-such-user-lg 16 "$H"
run_case user-uid /dev/null "$L" --user=987654 16 "$H"
run_case group-unknown /dev/null "$L" --user=nobody --group=no-such-group-lg 16 "$H"
run_case chroot-missing /dev/null "$L" --chroot=/nonexistent/jail 16 "$H"
run_case chroot-file /dev/null "$L" --chroot=/lg/README.md 16 "$H"
run_case restart-user /dev/null "$L" --restart=exec --user=nobody 16 "$H"
mkdir -p /tmp/a-dir
run_case block-dir-ro /dev/null "$L" --block=/tmp/a-dir,ro 16 "$H"
run_case mem-nan /dev/null "$L" 16M "$H"
run_case mem-big /dev/null "$L" 100000 "$H"
run_case kernel-missing /dev/null "$L" 16 /nonexistent/vmlinux
run_case kernel-text /dev/null "$L" 16 /lg/README.md
run_case kernel-elf64 /dev/null "$L" 16 /lg/x86_64.elf
run_case initrd-missing /dev/null "$L" --initrd=/nonexistent/initrd 16 "$H"
dd if=/dev/zero of=/tmp/big.img bs=1M count=3 2>/dev/null
run_case initrd-big /dev/null "$L" --initrd=/tmp/big.img 4 "$H"

# As nobody (busybox su), in a directory of our own that nobody can
# enter: a disk image it cannot read is refused; one it can only read
# becomes a read-only disk (-v says so), then /dev/lguest stops it.
# (The initramfs's / comes from a mktemp -d, 0700: open it up first.)
chmod 755 /
d=/tmp/nonroot
mkdir -p $d
chmod 755 $d
cp "$L" "$H" $d/
head -c 4096 /dev/zero >$d/secret.img
chmod 000 $d/secret.img
head -c 4096 /dev/zero >$d/readonly.img
chmod 444 $d/readonly.img
run_case nonroot-secret /dev/null su -s /bin/sh nobody -c "$d/lguest --block=$d/secret.img 16 $d/hello.elf"
run_case nonroot-readonly /dev/null su -s /bin/sh nobody -c "$d/lguest -v --block=$d/readonly.img 16 $d/hello.elf"

# The real host kernel: its vmlinux and bzImage load (too little memory
# for them, then enough), and the launcher stops at /dev/lguest.
run_case vmlinux-small /dev/null "$L" 8 /lg/vmlinux
run_case vmlinux-nodev /dev/null "$L" 64 /lg/vmlinux
run_case bzimage-small /dev/null "$L" 8 /lg/host.bzImage
run_case bzimage-nodev /dev/null "$L" 64 /lg/host.bzImage

run_case nodev /dev/null "$L" 16 "$G/console.elf"

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"

printf 'lguest-initrd-marker\nmore\n' >/tmp/initrd.img
printf 'ping from stdin\n' >/tmp/stdin.txt
run_case console /tmp/stdin.txt "$L" --initrd=/tmp/initrd.img 16 "$G/console.elf" console=hvc0 lguest.test=1
run_case bzimage /dev/null "$L" 16 "$G/hello.bzImage" a b c
# A long MMIO instruction in code the guest maps away from its physical
# place: the launcher reads it through the guest's page tables.  This
# host is 2-level (tests/55-launcher.sh boots the host variant).
run_case walk /dev/null "$L" 16 "$G/walk.elf"
run_case panic /dev/null "$L" 16 "$G/panic.elf"
run_case restart /dev/null "$L" 16 "$G/restart.elf"
# --restart=exec: the launcher executes itself again, with the same
# arguments and its stdin at its end, and the guest's second boot powers off.
printf 'again\n' >/tmp/again.txt
run_case restart-exec /tmp/again.txt "$L" --restart=exec --initrd=/tmp/initrd.img 16 "$G/console.elf" restart
run_case badinsn /dev/null "$L" 16 "$G/badinsn.elf"
run_case violation /dev/null "$L" 16 "$G/violation.elf"
run_case killed /dev/null "$L" 16 "$G/killed.elf"
# --verbose traces the setup and the devices on stderr.
run_case verbose /dev/null "$L" -v 16 "$G/hello.bzImage"
# On a terminal (ptyrun): raw while the guest runs, restored when it
# powers off or panics, when a signal stops the launcher or a guest
# driver error ends it.  With --stdin=/dev/console the terminal is the
# serial console and the pty only takes the output.
# Pseudo-terminals need devpts (and /dev/ptmx, which devtmpfs may lack).
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts || echo "=== mount devpts failed"
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
run_case tty-poweroff /dev/null $P --stdin=/dev/console none "hello from a bzImage" "$L" 16 "$G/hello.bzImage"
run_case tty-panic /dev/null $P --stdin=/dev/console none "about to panic" "$L" 16 "$G/panic.elf"
run_case pty-term /dev/null $P TERM "idle: waiting" "$L" 16 "$G/idle.elf"
run_case pty-int /dev/null $P INT "idle: waiting" "$L" 16 "$G/idle.elf"
run_case pty-hup /dev/null $P HUP "idle: waiting" "$L" 16 "$G/idle.elf"
run_case pty-error /dev/null $P none "breaking the virtio rules" "$L" 16 "$G/violation.elf"

# --user, --group and --chroot: the running launcher's credentials and
# root, from /proc, then a whole console run (its threads start after
# the drop) as that user in an empty directory.
echo 'lgtest:x:1234:1234:lguest test:/:/bin/sh' >>/etc/passwd
echo 'lgtest:x:1234:' >>/etc/group
echo 'lgextra:x:4321:someone,lgtest' >>/etc/group
mkdir -p /tmp/jail
# privs NAME ARGS...: start the idle guest with ARGS, report what /proc says.
privs() {
	name=$1
	shift
	"$L" "$@" 16 "$G/idle.elf" </dev/null >"/tmp/$name.out" 2>&1 &
	pid=$!
	i=0
	while ! grep -q 'idle: waiting to be stopped' "/tmp/$name.out" && [ $i -lt 200000 ]; do
		i=$((i + 1))
	done
	# Real, effective, saved and filesystem IDs, and the groups, in [];
	# in a file of their own (the launcher is still writing its output).
	for f in Uid Gid Groups; do
		echo "$f: [$(sed -n "s/^$f:[[:space:]]*//p" "/proc/$pid/status" | xargs)]"
	done >"/tmp/$name.proc"
	echo "root: [$(readlink "/proc/$pid/root")]" >>"/tmp/$name.proc"
	kill "$pid"
	wait "$pid"
	rc=$?
	echo "=== case $name rc=$rc"
	sed 's/^/stdout: /' "/tmp/$name.out" "/tmp/$name.proc"
	echo "=== end $name"
}
privs privs-name --user=lgtest --chroot=/tmp/jail
privs privs-ids --user=2000 --group=3000
run_case privs-console /tmp/stdin.txt "$L" --user=lgtest --chroot=/tmp/jail \
	--initrd=/tmp/initrd.img 16 "$G/console.elf" console=hvc0 lguest.test=1

# The guest's memory is freed with the launcher: run a few in a row.
run_case again /dev/null sh -c "for i in 1 2 3 4 5; do $L 64 $G/hello.bzImage run \$i || exit; done"

rmmod lg
echo "=== rmmod rc=$?"
dmesg | grep -i -E 'lguest|BUG|WARNING|Oops' | head -20
exit 0
