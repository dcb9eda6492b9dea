# test: the project's shell scripts pass shellcheck
# shellcheck shell=bash

# Two kinds: scripts for this machine (bash, or what their shebang says),
# and the scripts QEMU's initramfs runs with busybox sh (scripts/boot
# --script: tests/guest/*.sh and the in-qemu.sh files), checked as sh
# whatever their first line says.
t_lint() {
	local host=() initramfs=() f
	mapfile -t host < <(cd "$LG_REPO" && { ls scripts/* .ci/run tests/run tests/*.sh tests/selftests/*.sh; } 2>/dev/null |
		grep -v '/in-qemu\.sh$')
	mapfile -t initramfs < <(cd "$LG_REPO" && ls tests/guest/*.sh tests/selftests/in-qemu.sh tools-lguest/tests/in-qemu.sh 2>/dev/null)
	for f in tests/run tests/05-lint.sh tests/selftests/run-qemu.sh; do
		printf '%s\n' "${host[@]}" | grep -qx "$f" || { echo "$f is not in the list: the globs above are wrong"; return 1; }
	done
	for f in tests/guest/in-guest.sh tests/selftests/in-qemu.sh tools-lguest/tests/in-qemu.sh; do
		printf '%s\n' "${initramfs[@]}" | grep -qx "$f" || { echo "$f is not in the list: the globs above are wrong"; return 1; }
	done
	(cd "$LG_REPO" && shellcheck -x "${host[@]}")
	(cd "$LG_REPO" && shellcheck -x --shell=sh "${initramfs[@]}")
	echo "shellcheck: ${#host[@]} scripts for this machine and ${#initramfs[@]} for the initramfs (as sh) clean"
}
if command -v shellcheck >/dev/null; then
	check "shellcheck: scripts/, tests/ (with tests/guest, tests/selftests), tools-lguest/tests and .ci/run are clean" t_lint
else
	skip "shellcheck: scripts/, tests/ (with tests/guest, tests/selftests), tools-lguest/tests and .ci/run are clean" \
		"shellcheck not installed (scripts/get-kernel installs it)"
fi
