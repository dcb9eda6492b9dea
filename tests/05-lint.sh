# test: the project's shell scripts pass shellcheck
# shellcheck shell=bash

t_lint() {
	local files=()
	mapfile -t files < <(cd "$LG_REPO" && { ls scripts/* .ci/run tests/run tests/*.sh; } 2>/dev/null)
	(cd "$LG_REPO" && shellcheck -x "${files[@]}")
	echo "shellcheck: ${#files[@]} files clean"
}
if command -v shellcheck >/dev/null; then
	check "shellcheck: scripts/, tests/ and .ci/run are clean" t_lint
else
	skip "shellcheck: scripts/, tests/ and .ci/run are clean" "shellcheck not installed (scripts/get-kernel installs it)"
fi
