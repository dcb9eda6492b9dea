# test: the kernel builds with LGUEST_GUEST off and on, with no new warnings
# shellcheck shell=bash
#
# Baselines: the pristine tree built with the same config. For the guest
# config the baseline is the pristine host build, as LGUEST_GUEST does not
# exist in a pristine tree. Warnings are compared by file and text (line
# numbers move when patches add lines).

t_new_warnings() {
	local v=$1 base=$2 new
	t_build "$base" >/dev/null || { echo "the $base baseline did not build"; return 1; }
	t_build "$v" >/dev/null || { echo "the $v build failed"; return 1; }
	new=$(comm -13 "$T_STATE/$base.warnings" "$T_STATE/$v.warnings")
	echo "$base: $(wc -l <"$T_STATE/$base.warnings") warning(s); $v: $(wc -l <"$T_STATE/$v.warnings")"
	if [[ -n $new ]]; then
		echo "new warnings in $v (full build log: $(<"$T_STATE/$v.log")):"
		printf '%s\n' "$new"
		return 1
	fi
	echo "no new warnings"
}

check "pristine $T_VERSION builds with the host config (the baseline)" t_build pristine-host
check "kernel with the series builds with the host config (LGUEST_GUEST off)" t_build host
check "host config: no new warnings compared to pristine" t_new_warnings host pristine-host
check "kernel with the series builds with the guest config (LGUEST_GUEST=y sticks)" t_build guest
check "guest config: no new warnings compared to pristine (host config)" t_new_warnings guest pristine-host
check "kernel with the series builds with the guest config and PAE page tables" t_build guest+pae
check "guest config with PAE: no new warnings compared to pristine (host config)" t_new_warnings guest+pae pristine-host
