# test: the kernels the tests boot build (2-level, PAE, x86_64 host, debug host), with no new warnings
# shellcheck shell=bash
#
# The i386 kernels are host and guest at once (LGUEST_GUEST=y, LGUEST=m),
# as in the main job: one cold build per page-table format.  An i386
# kernel with LGUEST_GUEST off is the options test's to build (what the
# series touches, not the whole kernel).
#
# A warning is new unless the pristine tree gives it too, built with the
# same config (for the guest configs, the host config: LGUEST_GUEST does
# not exist in a pristine tree); warnings are compared by file and text
# (line numbers move when patches add lines).  A build with no warnings
# at all has nothing new, so the pristine baseline, a whole kernel build,
# is only built when the series' build warns.

t_new_warnings() {
	local v=$1 base=$2 new
	t_build "$v" >/dev/null || { echo "the $v build failed"; return 1; }
	if [[ ! -s $T_STATE/$v.warnings ]]; then
		echo "$v: no warnings, so none new (the $base baseline is not needed)"
		return 0
	fi
	echo "$v: $(wc -l <"$T_STATE/$v.warnings") warning(s); building the $base baseline to compare"
	t_build "$base" >/dev/null || { echo "the $base baseline did not build: $(<"$T_STATE/$base.log")"; return 1; }
	new=$(comm -13 "$T_STATE/$base.warnings" "$T_STATE/$v.warnings")
	echo "$base: $(wc -l <"$T_STATE/$base.warnings") warning(s)"
	if [[ -n $new ]]; then
		echo "new warnings in $v (full build log: $(<"$T_STATE/$v.log")):"
		printf '%s\n' "$new"
		return 1
	fi
	echo "no new warnings"
}

check "kernel with the series builds with the guest config (LGUEST_GUEST=y sticks)" t_build guest
check "guest config: no new warnings compared to pristine (host config)" t_new_warnings guest pristine-host
check "kernel with the series builds with the guest config and PAE page tables" t_build guest+pae
check "guest config with PAE: no new warnings compared to pristine (host config)" t_new_warnings guest+pae pristine-host

# The x86_64 host: no pristine x86_64 baseline (one more cold build), so
# the check is on what the series adds there: lg.ko builds, without a
# warning in drivers/lguest.
t_x86_64_lguest() {
	local out
	t_build x86_64 >/dev/null || { echo "the x86_64 build failed"; return 1; }
	out=$(<"$T_STATE/x86_64.out")
	[[ -f $out/drivers/lguest/lg.ko ]] || { echo "no $out/drivers/lguest/lg.ko"; return 1; }
	[[ -f $T_STATE/x86_64.warnings ]] || { echo "no warnings list from the x86_64 build"; return 1; }
	if grep 'drivers/lguest/' "$T_STATE/x86_64.warnings"; then
		echo "warnings in drivers/lguest on x86_64 (above)"
		return 1
	fi
	echo "$out/drivers/lguest/lg.ko built, no warnings in drivers/lguest"
}

if [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; then
	check "kernel with the series builds as the x86_64 host, lg.ko without warnings" t_x86_64_lguest
else
	skip "kernel with the series builds as the x86_64 host" \
		"LGUEST_TEST_X86_64=0 leaves out the x86_64 host kernel"
fi

# The debug host (config/debug.config over the host config): the 2-level
# host of the host, fuzz, launcher and soak tests.  Its checks add their
# own warnings in files the series does not touch (no pristine debug
# baseline: one more cold build), so the check is on lg.ko's.
t_debug_lguest() {
	local out
	t_build host+debug >/dev/null || { echo "the debug host build failed"; return 1; }
	out=$(<"$T_STATE/host+debug.out")
	[[ -f $out/drivers/lguest/lg.ko ]] || { echo "no $out/drivers/lguest/lg.ko"; return 1; }
	[[ -f $T_STATE/host+debug.warnings ]] || { echo "no warnings list from the debug host build"; return 1; }
	if grep 'drivers/lguest/' "$T_STATE/host+debug.warnings"; then
		echo "warnings in drivers/lguest on the debug host (above)"
		return 1
	fi
	echo "$out/drivers/lguest/lg.ko built, no warnings in drivers/lguest"
}

if t_debug_host; then
	check "kernel with the series builds as the debug host (config/debug.config), lg.ko without warnings" t_debug_lguest
else
	skip "kernel with the series builds as the debug host (config/debug.config)" \
		"$(t_debug_host_why)"
fi
