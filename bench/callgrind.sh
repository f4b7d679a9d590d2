#!/usr/bin/env bash
# Instructions the server executes per echoed message, counted by callgrind (repeatable on a
# noisy machine, unlike time): the server runs under valgrind with instrumentation off, the load
# generator warms it up, counting is switched on for exactly MESSAGES round trips, then off.
# Usage: bench/callgrind.sh [CLIENTS] [SIZE] [MESSAGES]   (defaults 100 64 20000)
# Servers: the bench callback echo (epoll), the blocking echo (epoll), msh's tcpserver sample
# echo (the main job), and the peers when built. Uses the build in build-bench (bench/run.sh
# makes it, with the peers), or makes one without them.
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-100}
size=${2:-64}
messages=${3:-20000}
build=${BUILD:-build-bench}
if [ ! -x "$build/bench/echo_bench_server" ]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCPSERVER_BUILD_TESTS=OFF >/dev/null
    cmake --build "$build" >/dev/null
fi
scratch=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$scratch"' EXIT

# count LABEL COMMAND...: prints LABEL and instructions per message.
count() {
    local label=$1
    shift
    mkfifo "$scratch/input"
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$scratch/out.%p" \
        "$@" < "$scratch/input" > "$scratch/server.out" 2>&1 &
    server=$!
    exec 3> "$scratch/input" # keeps msh's standard input open
    for _ in $(seq 600); do grep -q "on port\|port [0-9]*," "$scratch/server.out" && break; sleep 0.1; done
    local port
    port=$(sed -n 's/.*on port \([0-9]*\).*/\1/p; s/.*started on [^ ]* port \([0-9]*\),.*/\1/p' "$scratch/server.out" | head -1)
    "$build/bench/load_generator" --port "$port" --clients "$clients" --size "$size" \
        --messages $((messages / 10)) --seconds 600 > /dev/null
    callgrind_control -i on "$server" > /dev/null
    "$build/bench/load_generator" --port "$port" --clients "$clients" --size "$size" \
        --messages "$messages" --seconds 600 > "$scratch/load.out"
    callgrind_control -i off "$server" > /dev/null
    callgrind_control -d "$server" > /dev/null
    kill "$server" 2>/dev/null || true
    exec 3>&-
    wait "$server" 2>/dev/null || true
    server=
    local total
    total=$(cat "$scratch"/out.* | sed -n 's/^summary: \([0-9]*\).*/\1/p; s/^totals: \([0-9]*\).*/\1/p' |
            awk '{ s += $1 } END { print s }')
    printf '%-34s %9.0f instructions per message (%d clients, %d B, %d messages)\n' \
        "$label" "$(echo "$total / $messages" | bc -l)" "$clients" "$size" "$messages"
    rm -f "$scratch"/out.* "$scratch/input"
}

count "callback echo (bench server, epoll)" "$build/bench/echo_bench_server" --backend epoll --clients 20000
count "blocking echo (bench server, epoll)" "$build/bench/echo_bench_server" --backend epoll --clients 20000 --blocking
count "blocking C API on rt_threads (epoll)" "$build/bench/rt_echo_server" --poller epoll --clients 20000
count "msh tcpserver sample echo (epoll)" "$build/shell/msh" -e "tcpserver 127.0.0.1 0 --clients 20000 --poller epoll"
# The peers, when built (bench/run.sh builds them): the same count for a reference.
for peer in libuv_echo asio_echo epoll_echo threaded_echo; do
    [ -x "$build/bench/peers/$peer" ] && count "$peer" "$build/bench/peers/$peer"
done
