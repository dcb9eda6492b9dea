# test: scripts/bench runs natively and in a guest in one boot and prints sane figures
# shellcheck shell=bash

# A short run (two rows, three rounds): the harness works end to end and
# its sanity row agrees. Not a timing test: the figures are only printed.
t_bench() {
	local j
	t_bzimage guest >/dev/null || return 1
	"$LG_REPO/scripts/bench" --version "$T_VERSION" --rows compute,syscall,pagefault,cow --runs 3 --json >"$T_LOG.json"
	j=$(<"$T_LOG.json")
	echo "$j"
	python3 - "$T_LOG.json" "$T_LOG.notes" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["row"]: r for r in d["rows"]}
bad = []
for name in ("compute", "syscall", "pagefault", "cow"):
    r = rows.get(name)
    if not r or not r["native_ns"] or not r["guest_ns"]:
        bad.append(f"{name}: no figure natively or in the guest")
if not bad:
    ratio = rows["compute"]["guest_ns"] / rows["compute"]["native_ns"]
    # Pure computation costs the same in a guest: anything far from 1x
    # means the harness or the guest's clock is wrong.
    if not 0.5 <= ratio <= 2.0:
        bad.append(f"compute: guest/native {ratio:.2f}x, not about 1x")
    # Direct system calls: the guest's int $0x80 never leaves it.
    if not 0 <= rows["syscall"]["exits_per_op"] < 0.5:
        bad.append(f"syscall: {rows['syscall']['exits_per_op']} host exits per call")
    # Patch 0038: the switcher hands the guest its first touch of a page;
    # only the retry, which fills the shadow, exits.
    if rows["pagefault"]["exits_per_op"] >= 1.5:
        bad.append(f"pagefault: {rows['pagefault']['exits_per_op']} host exits per fault, "
                   "not under 1.5: does the switcher still hand the guest its own faults?")
    # Patch 0040: a copy-on-write fault is handed over too, and its flush
    # needs no exit; only the retry exits (2.25 before).
    if rows["cow"]["exits_per_op"] >= 1.5:
        bad.append(f"cow: {rows['cow']['exits_per_op']} host exits per copy-on-write fault, "
                   "not under 1.5: does the switcher name the page in fault_readonly, "
                   "and does the guest skip that flush?")
# The launcher's noreplace-smp: without it the guest's kernel patches out
# its 2600 lock prefixes, two direct page-table switches (hcall4) each.
boot = dict(w.split("=") for w in d["guest_boot_exit_reasons"].split())
if int(boot.get("hcall4", 0)) >= 500:
    bad.append(f"guest boot: {boot.get('hcall4')} direct page-table switches (hcall4), "
               "not under 500: did the guest patch its SMP alternatives?")
# Patch 0037: the interrupt gates boot writes one by one wait in the ring;
# sent directly they were 512 exits (hcall6), now 72.
if int(boot.get("hcall6", 0)) >= 256:
    bad.append(f"guest boot: {boot.get('hcall6')} direct IDT entries (hcall6), "
               "not under 256: does the guest send each interrupt gate at once again?")
with open(sys.argv[2], "a") as notes:
    for n, r in rows.items():
        if r["native_ns"] and r["guest_ns"]:
            notes.write(f"bench {n}: native {r['native_ns']} ns, guest {r['guest_ns']} ns "
                        f"({r['guest_ns'] / r['native_ns']:.2f}x), {r['exits_per_op']:.3f} exits/op\n")
    notes.write(f"bench: guest launch-to-init {d['guest_launch_to_init_s']} s, "
                f"{d['guest_boot_exits']} exits to boot\n")
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF
}
check "scripts/bench: compute, syscall, pagefault and cow rows natively and in a guest, compute about 1x, syscalls without exits, a page fault and a copy-on-write fault under 1.5 exits each, a boot under 500 page-table switches and 256 direct IDT entries" t_bench

