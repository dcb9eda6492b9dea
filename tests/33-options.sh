# test: the lguest code builds with each option it does not depend on turned on and off
# shellcheck shell=bash
# lane: 1
#
# A packager's configuration is not ours.  From the guest variant's
# .config (LGUEST_GUEST=y, LGUEST=m; the build test links it), flip the
# options where Kconfig allows, so that each is built both on and off
# (in two flipped sets, what a small kernel turns off and what a big one
# turns on: a build per option cost five builds more, about 2.5 minutes
# of every run), and from allnoconfig take only
# what LGUEST_GUEST and LGUEST say they need; each time build
# arch/x86/lguest/ and drivers/lguest/ (compiled, not linked: modpost and
# the link need the whole kernel, which the build test links for the
# variants the tests run), with no warning from the lguest code.  Every flip must
# hold in the .config after olddefconfig: a flip that Kconfig refuses is
# a Kconfig dependency the test does not know, and fails.  One build
# directory for all, so a flip costs its changed objects.
#
# The seven builds take about three minutes of every run, and what they
# find depends only on the patched tree (version and series), the
# configuration they start from, the compiler and this file: a clean
# result is kept in $LGUEST_CACHE/options-clean under a hash of those,
# and a run with the same ones reuses it (LGUEST_TEST_RECHECK=1 builds
# anyway).  A failure is never kept.

# t_opt_kept FUNCTION ARG...: run the check FUNCTION ARG..., or say that
# it passed with the same inputs before.
t_opt_kept() {
	local key clean conf=guest
	[[ $1 == t_opt_xen ]] && conf=x86_64
	t_configure "$conf" >/dev/null ||
		{ echo "the $conf variant could not be configured: $T_STATE/$conf.configure.out"; return 1; }
	key=$({
		printf '%s\n' "$T_VERSION" "$(lg_series_hash "$T_SDIR")" "$*"
		cat "$(<"$T_STATE/$conf.out")/.config" "$LG_REPO/tests/33-options.sh"
		declare -f lg_build_env
		gcc --version | head -n1
	} | sha256sum | cut -c1-16)
	clean=$LGUEST_CACHE/options-clean/$key
	if [[ -f $clean && ${LGUEST_TEST_RECHECK:-0} != 1 ]]; then
		echo "$*: built clean on $(<"$clean") from the same tree, $conf .config, compiler and test"
		return 0
	fi
	"$@" || return 1
	mkdir -p "${clean%/*}"
	date -u '+%Y-%m-%d %H:%M UTC' >"$clean"
}

# t_opt_kmake ARGS...: make in the options build dir, the build's way.
t_opt_kmake() {
	make -C "$(<"$T_STATE/options.tree")" O="$(<"$T_STATE/options.dir")" ARCH=i386 \
		CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

# t_opt_build WHAT WARNED MAKE TARGET...: run MAKE (a function) on the
# TARGETs into $T_LOG.make; fail if it fails or a line matching the
# regexp WARNED warns.
t_opt_build() {
	local what=$1 warned=$2 mk=$3 log=$T_LOG.make
	shift 3
	"$mk" -j"$(nproc)" "$@" >"$log" 2>&1 ||
		{ tail -n 30 "$log"; echo "$what does not build: $log"; return 1; }
	cat "$log"
	if grep -E "$warned" "$log"; then
		echo "$what warns (above)"
		return 1
	fi
	echo "objects compiled: $(grep -cE '^ +(CC|AS)' "$log")"
}

# t_opt BASE FLIP...: BASE is 'guest' (the guest variant's .config) or
# 'allno' (allnoconfig); each FLIP is NAME=y, NAME=m or NAME=n.
t_opt() {
	local base=$1 flip name want have out
	shift
	lg_build_env
	if [[ ! -f $T_STATE/options.dir ]]; then
		t_configure guest >/dev/null ||
			{ echo "the guest variant could not be configured: $T_STATE/guest.configure.out"; return 1; }
		dirname "$(<"$T_STATE/guest.out")" >"$T_STATE/options.tree"
		echo "$(<"$T_STATE/options.tree")/_build-options" >"$T_STATE/options.dir"
	fi
	out=$(<"$T_STATE/options.dir")
	mkdir -p "$out"
	if [[ $base == allno ]]; then
		t_opt_kmake -s allnoconfig
	else
		cp "$(<"$T_STATE/guest.out")/.config" "$out/.config"
	fi
	for flip; do
		name=${flip%%=*} want=${flip#*=}
		case $want in
		y) "$(<"$T_STATE/options.tree")/scripts/config" --file "$out/.config" -e "$name" ;;
		m) "$(<"$T_STATE/options.tree")/scripts/config" --file "$out/.config" -m "$name" ;;
		n) "$(<"$T_STATE/options.tree")/scripts/config" --file "$out/.config" -d "$name" ;;
		esac
	done
	t_opt_kmake -s olddefconfig
	for flip; do
		name=${flip%%=*} want=${flip#*=}
		have=$(sed -n "s/^CONFIG_$name=//p" "$out/.config")
		[[ $have == "${want/n/}" ]] ||
			{ echo "CONFIG_$name=$want did not hold after olddefconfig (.config has '${have:-n}'): a dependency Kconfig has and this test does not know"; return 1; }
	done
	echo "options: $base with $*"
	t_opt_build "the lguest code with ${*:-nothing flipped}" '(arch/x86/lguest|drivers/lguest)/.*warning:' \
		t_opt_kmake arch/x86/lguest/ drivers/lguest/
}

check "options: guest variant as built (ACPI, SMP, MODULES on, LGUEST=m; HIGHMEM, PAE, PCI_MSI, PARAVIRT_SPINLOCKS off)" t_opt_kept t_opt guest
check "options: ACPI, SMP and MODULES off (LGUEST built in), HIGHMEM4G" \
	t_opt_kept t_opt guest ACPI=n SMP=n MODULES=n HIGHMEM4G=y LGUEST=y LGUEST_GUEST=y
check "options: PAE (HIGHMEM64G), PCI_MSI and PARAVIRT_SPINLOCKS on" \
	t_opt_kept t_opt guest HIGHMEM64G=y X86_PAE=y PCI_MSI=y PARAVIRT_SPINLOCKS=y LGUEST_GUEST=y LGUEST=m
check "options: allnoconfig + what LGUEST_GUEST and LGUEST need" \
	t_opt_kept t_opt allno HYPERVISOR_GUEST=y PARAVIRT=y PCI=y LGUEST_GUEST=y VIRTUALIZATION=y LGUEST=y

# The i386 kernel a distribution builds without the guest: LGUEST_GUEST,
# PARAVIRT and HYPERVISOR_GUEST off (Kconfig's defaults), lg.ko on.  No
# test boots such a kernel (the i386 kernels the tests boot are the
# host-and-guest ones; the x86_64 host is the native kernel that boots),
# so build what the series changes there: the directories of the files
# it touches, as this config has them, and the 32-bit decompressor's
# head; no warning about a touched file.
t_opt_noguest() {
	local dirs=() f out log=$T_LOG.make
	t_opt guest LGUEST_GUEST=n PARAVIRT=n HYPERVISOR_GUEST=n LGUEST=m >/dev/null ||
		{ cat "$log"; echo "the guest variant with LGUEST_GUEST, PARAVIRT and HYPERVISOR_GUEST off did not configure or build its lguest code"; return 1; }
	out=$(<"$T_STATE/options.dir")
	! grep -qx 'CONFIG_PARAVIRT=y' "$out/.config" ||
		{ echo "PARAVIRT is still on in $out/.config"; return 1; }
	while read -r f; do
		case $f in
		arch/x86/boot/*|arch/x86/lguest/*) ;;
		*.c|*.S) dirs+=("$(dirname "$f")/") ;;
		esac
	done < <(t_touched)
	mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -u)
	echo "LGUEST_GUEST off: making ${dirs[*]} arch/x86/boot/compressed/head_32.o"
	t_opt_kmake -j"$(nproc)" "${dirs[@]}" arch/x86/boot/compressed/head_32.o >"$log" 2>&1 ||
		{ tail -n 30 "$log"; echo "the directories the series touches do not build with LGUEST_GUEST off: $log"; return 1; }
	echo "objects compiled: $(grep -cE '^ +(CC|AS)' "$log")"
	if grep -E 'warning:' "$log" | grep -F -f <(t_touched | sed 's/$/:/'); then
		echo "warnings about files the series touches (above; log: $log)"
		return 1
	fi
	echo "no warning about a file the series touches"
}
check "options: LGUEST_GUEST and PARAVIRT off (an i386 kernel without the guest): what the series touches builds, no warning" t_opt_kept t_opt_noguest

# The forward-ports (0001-0016) change headers that x86_64's own
# PARAVIRT_XXL user, Xen PV, builds on.  From the x86_64 variant's .config
# with XEN_PV on, build the .c files those patches touch and arch/x86/xen/
# (every file of both that config compiles): no errors, no warnings.
t_opt_xen() {
	local tree out f objs=() ps=() conf
	lg_build_env
	t_configure x86_64 >/dev/null ||
		{ echo "the x86_64 variant could not be configured: $T_STATE/x86_64.configure.out"; return 1; }
	conf=$(<"$T_STATE/x86_64.out")/.config
	tree=$(dirname "$(<"$T_STATE/x86_64.out")")
	out=$tree/_build-options-xen
	mkdir -p "$out"
	cp "$conf" "$out/.config"
	"$tree/scripts/config" --file "$out/.config" -e HYPERVISOR_GUEST -e PARAVIRT -e XEN -e XEN_PV
	xmake() {
		make -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"
	}
	xmake -s olddefconfig
	if ! grep -qx 'CONFIG_XEN_PV=y' "$out/.config" || ! grep -qx 'CONFIG_PARAVIRT_XXL=y' "$out/.config"; then
		echo "XEN_PV (and so PARAVIRT_XXL) did not hold in the x86_64 config: $out/.config"
		return 1
	fi
	mapfile -t ps < <(t_patches | grep -E '/00(0[1-9]|1[0-6])-')
	# The .c files the forward-ports touch, but the 32-bit ones (*_32.c)
	# and asm-offsets.c, which every build makes in its prepare step.
	while read -r f; do
		[[ $f == *.c && $f != *_32.c && $f != */asm-offsets.c ]] && objs+=("${f%.c}.o")
	done < <(lg_patch_files "${ps[@]}")
	echo "x86_64 + XEN_PV: ${objs[*]} arch/x86/xen/"
	t_opt_build "x86_64 with XEN_PV" 'warning:' xmake "${objs[@]}" arch/x86/xen/
}

if [[ ${LGUEST_TEST_X86_64:-1} != 0 ]]; then
	check "options: x86_64 with XEN_PV (PARAVIRT_XXL) builds the forward-ported files and arch/x86/xen" t_opt_kept t_opt_xen
else
	skip "options: x86_64 with XEN_PV (PARAVIRT_XXL) builds the forward-ported files and arch/x86/xen" \
		"LGUEST_TEST_X86_64=0 leaves out the x86_64 kernel"
fi
