#!/usr/bin/env bash
# Runs every test program of the plain build once (on the epoll backend), and those with an
# lwIP run once more on lwIP, under valgrind's memcheck with descriptor tracking, and fails on
# any memory error, any definite leak, or any descriptor left open that the program did not
# inherit. The descriptor-exhaustion test is left out: it lowers the descriptor limit below
# what valgrind itself needs.
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build-plain} # the build to check (test.sh plain makes build-plain)
logs=$build/valgrind
if [ ! -x "$build/tests/peer_reset_test" ]; then
    scripts/install-deps.sh
    cmake -S . -B "$build" -G Ninja -DTCPSERVER_WERROR=ON
    cmake --build "$build"
fi
mkdir -p "$logs"
rm -f "$logs"/*.failed

# check NAME PROGRAM ARGUMENT [VALGRIND OPTION...]: one run; NAME.failed in $logs if it failed.
check() {
    local name=$1 program=$2 argument=$3 log="$logs/$1.log" status=0 errors leaked
    shift 3
    valgrind --error-exitcode=99 --track-fds=yes --leak-check=full \
        --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file="$log" "$@" \
        "$program" "$argument" >"$logs/$name.out" 2>&1 || status=$?
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    # An open descriptor valgrind did not see inherited was opened and never closed; lwIP's
    # TAP device stays open for the process's life, as lwIP itself runs.
    leaked=$(awk '/Open file descriptor [0-9]+: \/dev\/net\/tun$/ { next }
                  /Open (file descriptor|AF_|socket)/ { open = 1; next }
                  open { if ($0 !~ /inherited from parent/) n++; open = 0 }
                  END { print n + 0 }' "$log")
    echo "$name: exit $status, ${errors:-?} errors, $leaked descriptors left open"
    if [ "$status" -ne 0 ] || [ "${errors:-1}" -ne 0 ] || [ "$leaked" -ne 0 ]; then
        touch "$logs/$name.failed"
    fi
}
# in_turn COMMAND...: runs it in the background, as many at once as there are cores (valgrind
# runs a program's threads on one).
in_turn() {
    while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do wait -n || true; done
    "$@" &
}
for program in "$build"/tests/*_test; do
    name=$(basename "$program")
    [ "$name" = descriptor_exhaustion_test ] && continue
    in_turn check "$name" "$program" --poller=epoll
done
# An lwIP run starts itself again in a namespace of its own (through unshare): valgrind follows
# it there, not into the commands it runs, and the log keeps the last exec, the test itself.
# The board apps net_app and select_server_app run natively: a board app's servers and sockets
# live as long as the board, so theirs are open when msh's exit ends them (valgrind's report of
# them lands in this log only when the child writes it last).
while read -r name; do
    [ -n "$name" ] && in_turn check "$name-lwip" "$build/tests/$name" --stack=lwip \
        --trace-children=yes --trace-children-skip='*/ip,*/sh,*/msh,*/net_app,*/select_server_app'
done < "$build/tests/lwip_programs.txt"
wait
failed=$(find "$logs" -name '*.failed' -printf '%f ' | sed 's/\.failed//g')
if [ -n "$failed" ]; then
    echo "valgrind found problems in: $failed(logs in $logs)"
    exit 1
fi
echo "valgrind: no errors, no definite leaks, no descriptor left open"
