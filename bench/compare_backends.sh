#!/usr/bin/env bash
# Ping-pong echo over loopback against our callback echo on each backend and our blocking echo,
# in one run, so the figures compare with each other. Bounded: each cell runs SECONDS seconds.
# Usage: bench/compare_backends.sh [build dir] [seconds]
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=${1:-build}
seconds=${2:-3}

run_cell() { # $1 label, $2.. server arguments; prints one line per client count
    local label=$1
    shift
    "$build/bench/echo_bench_server" --clients 1000 "$@" > "$scratch/server.out" &
    local server=$!
    for _ in $(seq 100); do grep -q "on port" "$scratch/server.out" && break; sleep 0.05; done
    local port
    port=$(sed -n 's/.*on port \([0-9]*\).*/\1/p' "$scratch/server.out")
    for clients in 1 100; do
        printf '%-18s ' "$label"
        "$build/bench/load_generator" --port "$port" --clients "$clients" --size 64 --seconds "$seconds" \
            --server-pid "$server"
    done
    kill "$server"
    wait "$server" || true
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for backend in select poll epoll; do
    run_cell "callback/$backend" --backend "$backend"
done
run_cell "blocking/epoll" --backend epoll --blocking
