#!/usr/bin/env bash
# Runs every test program of the plain build once (on the epoll backend) under valgrind's
# memcheck with descriptor tracking, and fails on any memory error, any definite leak, or any
# descriptor left open that the program did not inherit. The descriptor-exhaustion test is
# left out: it lowers the descriptor limit below what valgrind itself needs.
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

failed=()
for program in "$build"/tests/*_test; do
    name=$(basename "$program")
    [ "$name" = descriptor_exhaustion_test ] && continue
    log="$logs/$name.log"
    status=0
    valgrind --error-exitcode=99 --track-fds=yes --leak-check=full \
        --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file="$log" \
        "$program" --poller=epoll >"$logs/$name.out" 2>&1 || status=$?
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -1)
    # An open descriptor valgrind did not see inherited was opened and never closed.
    leaked=$(awk '/Open (file descriptor|AF_|socket)/ { open = 1; next }
                  open { if ($0 !~ /inherited from parent/) n++; open = 0 }
                  END { print n + 0 }' "$log")
    echo "$name: exit $status, ${errors:-?} errors, $leaked descriptors left open"
    if [ "$status" -ne 0 ] || [ "${errors:-1}" -ne 0 ] || [ "$leaked" -ne 0 ]; then
        failed+=("$name")
    fi
done
if [ ${#failed[@]} -ne 0 ]; then
    echo "valgrind found problems in: ${failed[*]} (logs in $logs)"
    exit 1
fi
echo "valgrind: no errors, no definite leaks, no descriptor left open"
