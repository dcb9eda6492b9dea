# test: scripts/bench never times beside scripts/bisect-check's builds
# shellcheck shell=bash

# Both scripts run against a scratch $LGUEST_CACHE, where a process of
# ours holds the CPU lock (lg_cpu_lock in scripts/lib.sh) the way the
# other script would.  Each must say it waits and go no further; they are
# stopped there.  They are given a version nobody serves, so that one
# that does not wait fails at once instead of fetching a kernel.
T_LOCKS_VERSION=6.12.0-0~locks

# t_lock_hold CACHE MODE LOCK: hold $CACHE/LOCK (flock MODE: -s or -x) in
# a session of its own until t_lock_stop; prints its pid once it holds it.
t_lock_hold() {
	local i
	setsid flock "$2" "$1/$3" sleep 600 </dev/null >/dev/null 2>&1 &
	for ((i = 0; i < 100; i++)); do
		flock -n -x "$1/$3" true || break
		sleep 0.1
	done
	echo $!
}

# t_lock_stop PID...: stop what t_lock_hold or t_lock_run started.
t_lock_stop() {
	local p
	for p in "$@"; do
		kill -- "-$p" 2>/dev/null || kill "$p" 2>/dev/null || true
	done
}

# t_lock_run CACHE ERR CMD...: CMD in a session of its own, its standard
# error in ERR; prints its pid.
t_lock_run() {
	local cache=$1 err=$2
	shift 2
	LGUEST_CACHE=$cache setsid "$@" </dev/null >/dev/null 2>"$err" &
	echo $!
}

# t_lock_said ERR PID TEXT: wait up to 30 s, while PID runs, for TEXT
# in ERR.
t_lock_said() {
	local i
	for ((i = 0; i < 60; i++)); do
		grep -qF "$3" "$1" && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.5
	done
	grep -qF "$3" "$1"
}

# t_lock_waits ERR PID TEXT: the script said TEXT, then nothing more
# for 3 s, and still runs.
t_lock_waits() {
	local err=$1 pid=$2 text=$3 n
	if ! t_lock_said "$err" "$pid" "$text"; then
		echo "FAIL: expected it to say '$text' and wait"
		return 1
	fi
	n=$(wc -l <"$err")
	sleep 3
	if ! kill -0 "$pid" 2>/dev/null || (($(wc -l <"$err") != n)); then
		echo "FAIL: it said '$text' but did not wait"
		return 1
	fi
}

t_locks() {
	local cache err holder build pid rc=0
	cache=$(mktemp -d)
	err=$cache/err
	touch "$cache/.cpu.lock" "$cache/.build.lock"

	echo "scripts/bench while scripts/bisect-check builds (the CPU lock shared):"
	holder=$(t_lock_hold "$cache" -s .cpu.lock)
	pid=$(t_lock_run "$cache" "$err" "$LG_REPO/scripts/bench" \
		--version "$T_LOCKS_VERSION" --rows compute --runs 1)
	t_lock_waits "$err" "$pid" "scripts/bisect-check is building; waiting for it" || rc=1
	# Released, it goes on to the build lock (held here too): it takes
	# the CPU lock first, or two scripts could each hold one and wait.
	build=$(t_lock_hold "$cache" -x .build.lock)
	t_lock_stop "$holder"
	if ((rc == 0)); then
		t_lock_waits "$err" "$pid" "another apply or build is running; waiting for it" || rc=1
	fi
	t_lock_stop "$pid" "$build"
	sed 's/^/  said: /' "$err"

	echo "scripts/bisect-check while scripts/bench runs (the CPU lock exclusive):"
	holder=$(t_lock_hold "$cache" -x .cpu.lock)
	pid=$(t_lock_run "$cache" "$err" "$LG_REPO/scripts/bisect-check" \
		--version "$T_LOCKS_VERSION" --configs guest)
	t_lock_waits "$err" "$pid" "a benchmark is running; waiting for it" || rc=1
	t_lock_stop "$pid" "$holder"
	sed 's/^/  said: /' "$err"
	rm -rf "$cache"
	return "$rc"
}
check "locks: scripts/bench waits while scripts/bisect-check builds and the other way round, and takes the CPU lock before the build lock" t_locks
