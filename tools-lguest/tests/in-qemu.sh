#!/bin/sh
# Run inside the test initramfs (scripts/boot --script, see
# tests/55-launcher.sh): the launcher's cases against lg.ko.  Each case
# prints a block that the test on the outside judges:
#
#   === case NAME rc=STATUS
#   stdout: ...
#   stderr: ...
#   === end NAME
#
# /lg holds lg.ko, the launcher and the test guests (tests/*.elf).
L=/lg/lguest
G=/lg/guest

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

run_case nodev /dev/null "$L" 16 "$G/console.elf"

insmod /lg/lg.ko || echo "=== insmod lg.ko failed"

printf 'lguest-initrd-marker\nmore\n' >/tmp/initrd.img
printf 'ping from stdin\n' >/tmp/stdin.txt
run_case console /tmp/stdin.txt "$L" --initrd=/tmp/initrd.img 16 "$G/console.elf" console=hvc0 lguest.test=1
run_case bzimage /dev/null "$L" 16 "$G/hello.bzImage" a b c
run_case panic /dev/null "$L" 16 "$G/panic.elf"
run_case restart /dev/null "$L" 16 "$G/restart.elf"
run_case badinsn /dev/null "$L" 16 "$G/badinsn.elf"
run_case violation /dev/null "$L" 16 "$G/violation.elf"
run_case killed /dev/null "$L" 16 "$G/killed.elf"
# --verbose traces the setup and the devices on stderr.
run_case verbose /dev/null "$L" -v 16 "$G/hello.bzImage"
# With stdin a terminal the launcher makes it raw, and puts it back when
# it exits, whether the guest powers off or panics.
run_case tty /dev/console sh -c "s=\$(stty -g); $L 16 $G/hello.bzImage; \
	[ \"\$(stty -g)\" = \"\$s\" ] && echo tty restored after power-off; \
	$L 16 $G/panic.elf; [ \"\$(stty -g)\" = \"\$s\" ] && echo tty restored after panic"
# On a pseudo-terminal (ptyrun): raw while the guest runs, restored when
# a signal stops the launcher or a guest driver error ends it.
P=/lg/guest/ptyrun
# Pseudo-terminals need devpts (and /dev/ptmx, which devtmpfs may lack).
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts || echo "=== mount devpts failed"
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
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

rmmod lg || echo "=== rmmod lg failed"
dmesg | grep -i -E 'lguest|BUG|WARNING|Oops' | head -20
exit 0
