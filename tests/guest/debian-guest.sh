#!/bin/sh
# Runs in the Debian guest of tests/63-debian.sh (Debian's sh), started
# by the image's lguest-cmd.service once multi-user.target is reached
# (scripts/mkrootfs): the test's disk (/dev/vdb, a tar) holds this script
# and the run's token.  It prints one "lguest-test: NAME: ..." line (or
# a few) per check; the test on the build machine judges them.  When it
# ends, lguest-cmd.service prints its status and runs 'systemctl
# poweroff', which must end the launcher with 0.
here=$(dirname "$0")
token=$(cat "$here/token")
say() { printf 'lguest-test: %s\n' "$*"; }

# systemd's default target: active (lguest-cmd.service is ordered after
# multi-user.target only, so graphical.target may still be on its way),
# when it became so (the guest's monotonic clock, from the kernel's
# start), the units that failed, the jobs still queued besides this
# one's, and the units masked in /etc or /run (the test allows none: a
# masked unit would hide its failure).
target=$(systemctl get-default)
i=0
while ! systemctl is-active -q "$target" && [ $i -lt 120 ]; do sleep 1; i=$((i + 1)); done
say "target: $target $(systemctl is-active "$target") at $(systemctl show -P ActiveEnterTimestampMonotonic "$target") us"
failed=$(systemctl list-units --all --state=failed --no-legend --plain | awk '{ print $1 }' | sort | paste -sd' ' -)
say "failed units: ${failed:-none}"
jobs=$(systemctl list-jobs --no-legend --plain | awk '$2 != "lguest-cmd.service" { print $2 }' | sort | paste -sd' ' -)
say "queued jobs: ${jobs:-none}"
masked=$(find /etc/systemd/system /run/systemd/system -type l -lname /dev/null -printf '%f\n' | sort | paste -sd' ' -)
say "masked units: ${masked:-none}"
# Debian's own packages ship some units masked (the SysV scripts that
# systemd replaces: rcS.service, hwclock.service...): not judged.
say "masked, with the packages' own: $(systemctl list-unit-files --state=masked --no-legend --plain | awk '{ print $1 }' | paste -sd' ' -)"

# apt: its version line and status.
v=$(apt-get --version 2>&1)
say "apt: status $? $(printf '%s\n' "$v" | head -n1)"

# python3: a computation the test checks (a hash of the run's token,
# exact fractions, a big integer).
p=$(python3 -c 'import sys, hashlib, fractions
t = sys.argv[1].encode()
h = sum(fractions.Fraction(1, n) for n in range(1, 11))
print(hashlib.sha256(t).hexdigest()[:16], h, 2**100)' "$token" 2>&1)
say "python: $p (status $?)"

# dpkg: every installed file as its package shipped it.
dpkg --verify >/run/lguest-verify.out 2>&1
st=$?
say "dpkg verify: status $st, $(wc -l </run/lguest-verify.out) line(s)"
sed 's/^/lguest-test: dpkg verify| /' /run/lguest-verify.out | head -n 20

# A service that systemd starts: a socket unit on TCP port 7777 (runtime
# units, in /run), one service instance per connection, which answers
# the line it reads with its hash and the guest's name, and marks that
# it ran.  The QEMU host reaches it through --tunnet (10.0.2.15 here,
# from the image's systemd-networkd) and relays the answer; this waits
# for that, for 300 s at most.
cat >/run/lguest-answer.sh <<'EOF'
read -r t
echo "lguest-answer $(printf %s "$t" | sha256sum | cut -c1-16) from $(hostname)"
touch /run/lguest-answered
EOF
cat >/run/systemd/system/lguest-answer.socket <<'EOF'
[Unit]
Description=tests/63-debian.sh: the service the QEMU host reaches

[Socket]
ListenStream=7777
Accept=yes
EOF
cat >/run/systemd/system/lguest-answer@.service <<'EOF'
[Unit]
Description=tests/63-debian.sh: answer the QEMU host

[Service]
StandardInput=socket
StandardOutput=socket
ExecStart=/bin/sh /run/lguest-answer.sh
EOF
systemctl daemon-reload
systemctl start lguest-answer.socket
say "service: lguest-answer.socket $(systemctl is-active lguest-answer.socket), address $(ip -o -4 addr show | awk '$4 ~ /^10\.0\.2\./ { print $4 }')"
i=0
while [ ! -e /run/lguest-answered ] && [ $i -lt 300 ]; do sleep 1; i=$((i + 1)); done
if [ -e /run/lguest-answered ]; then
	say "service: answered a connection after ${i} s of waiting"
else
	say "service: no connection in 300 s"
fi
say "done: up $(cut -d' ' -f1 /proc/uptime) s"
