# test: the shell scripts pass shellcheck; the README lists the packages get-kernel installs
# shellcheck shell=bash

# Two kinds: scripts for this machine (bash, or what their shebang says),
# and the scripts QEMU's initramfs runs with busybox sh (scripts/boot
# --script: tests/guest/*.sh and the in-qemu.sh files), checked as sh
# whatever their first line says.
t_lint() {
	local host=() initramfs=() f
	mapfile -t host < <(cd "$LG_REPO" && { ls scripts/* .ci/run tests/run tests/*.sh tests/selftests/*.sh tests/fuzz/*.sh tests/soak/*.sh; } 2>/dev/null |
		grep -v '/in-qemu\.sh$')
	mapfile -t initramfs < <(cd "$LG_REPO" && ls tests/guest/*.sh tests/selftests/in-qemu.sh tests/fuzz/in-qemu.sh \
		tests/soak/in-qemu.sh tests/soak/guest.sh tools-lguest/tests/in-qemu.sh 2>/dev/null)
	for f in tests/run tests/05-lint.sh tests/selftests/run-qemu.sh tests/fuzz/run-qemu.sh tests/soak/run-qemu.sh; do
		printf '%s\n' "${host[@]}" | grep -qx "$f" || { echo "$f is not in the list: the globs above are wrong"; return 1; }
	done
	for f in tests/guest/in-guest.sh tests/selftests/in-qemu.sh tests/fuzz/in-qemu.sh tests/soak/in-qemu.sh \
		tests/soak/guest.sh tools-lguest/tests/in-qemu.sh; do
		printf '%s\n' "${initramfs[@]}" | grep -qx "$f" || { echo "$f is not in the list: the globs above are wrong"; return 1; }
	done
	(cd "$LG_REPO" && shellcheck -x "${host[@]}")
	(cd "$LG_REPO" && shellcheck -x --shell=sh "${initramfs[@]}")
	echo "shellcheck: ${#host[@]} scripts for this machine and ${#initramfs[@]} for the initramfs (as sh) clean"
}
if command -v shellcheck >/dev/null; then
	check "shellcheck: scripts/, tests/ (with tests/guest, tests/selftests, tests/fuzz, tests/soak), tools-lguest/tests and .ci/run are clean" t_lint
else
	skip "shellcheck: scripts/, tests/ (with tests/guest, tests/selftests, tests/fuzz, tests/soak), tools-lguest/tests and .ci/run are clean" \
		"shellcheck not installed (scripts/get-kernel installs it)"
fi

# The README's package list (the indented block under "## Debian
# packages") is scripts/get-kernel's DEPS, word for word.
t_deps_listed() {
	local deps readme
	deps=$(sed -n '/^DEPS=(/,/)/p' "$LG_REPO/scripts/get-kernel" | sed -e 's/^DEPS=(//' -e 's/)$//' | xargs -n1 | sort)
	readme=$(awk '/^## Debian packages$/ { p = 1; next } /^## / { p = 0 }
		      p && /^    [a-z]/ { print }' "$LG_REPO/README.md" | xargs -n1 | sort)
	[[ -n $deps ]] || { echo "no DEPS=(...) in scripts/get-kernel"; return 1; }
	if [[ $deps != "$readme" ]]; then
		diff <(echo "$deps") <(echo "$readme") | sed -e 's/^</only in get-kernel:/' -e 's/^>/only in the README:/' | grep '^only'
		return 1
	fi
	echo "README and scripts/get-kernel list the same $(wc -l <<<"$deps") packages"
}
check "README's Debian packages are scripts/get-kernel's DEPS" t_deps_listed
