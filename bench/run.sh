#!/usr/bin/env bash
# The whole comparison on loopback, in one run: msh's tcpserver sample echo (the main job), our
# callback echo on each backend, our blocking echo (C++, and the C API on rt_threads), the
# single-threaded peer echo servers (libevent, libuv, standalone Asio, a hand-written epoll
# loop) and a hand-written thread-per-client server: 64-byte ping-pong at 1, 100, 1000 and
# 10,000 clients, 10 clients streaming 16 KiB writes, and connect-echo-close, each cell REPEATS
# times; then held clients; then msh's echo on lwIP through a TAP device beside a hand-written
# lwIP echo. The server runs on one core and the load generator on the other.
# Writes bench/results/results.md, results.csv and PNG plots. Installs the peers' -dev packages
# and gnuplot when missing. Bounded: SECONDS_PER_CELL (default 3) per measurement.
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${SECONDS_PER_CELL:-3}
repeats=${REPEATS:-3}
client_counts=${CLIENT_COUNTS:-"1 100 1000 10000"}
build=build-bench
results=bench/results

scripts/install-deps.sh libevent-dev libuv1-dev libasio-dev gnuplot-nox
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTCPSERVER_BUILD_TESTS=OFF -DTCPSERVER_BENCH_PEERS=ON >/dev/null
cmake --build "$build" >/dev/null
# lwIP's rows need TAP devices: the run goes on in a network namespace of its own (where
# loopback is the host's loopback code) when that is permitted, else without those rows.
if [ -z "${BENCH_NAMESPACE:-}" ] && unshare -n true 2>/dev/null; then
    BENCH_NAMESPACE=1 exec unshare -n "$PWD/bench/run.sh" "$@"
fi
if [ -n "${BENCH_NAMESPACE:-}" ]; then
    ip link set lo up
    # msh's lwIP at 192.0.2.2 on tap0, the hand-written one at 192.0.2.130 on tap1.
    for tap in "tap0 192.0.2.1/25" "tap1 192.0.2.129/25"; do
        read -r name address <<<"$tap"
        ip tuntap add dev "$name" mode tap && ip addr add "$address" dev "$name" && ip link set "$name" up
    done
fi
mkdir -p "$results"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ulimit -n "$(ulimit -Hn)" # 10,000 clients need the descriptors, here and in every server

# Server and load generator each on a core of their own where there are two.
if [ "$(nproc)" -ge 2 ]; then
    on_server_core=(taskset -c 1) on_load_core=(taskset -c 0)
else
    on_server_core=() on_load_core=()
fi
mkfifo "$scratch/input" # msh's standard input, held open while it serves
exec 3<> "$scratch/input"

# start_server COMMAND [NAME]: runs it on the server's core, its output in $scratch/NAME.out;
# sets $server and $port.
start_server() {
    local out="$scratch/${2:-server}.out"
    ( eval "exec ${on_server_core[*]} $1" ) < "$scratch/input" > "$out" 2>&1 &
    server=$!
    for _ in $(seq 200); do grep -q "on port\|started on .* port" "$out" && break; sleep 0.05; done
    port=$(sed -n 's/.*on port \([0-9]*\).*/\1/p; s/.*started on [^ ]* port \([0-9]*\),.*/\1/p' "$out" | head -1)
}

servers=(
    "tcpserver msh sample epoll|$build/shell/msh -e 'tcpserver 127.0.0.1 0 --clients 20000 --poller epoll'"
    "tcpserver callback select|$build/bench/echo_bench_server --clients 20000 --backend select"
    "tcpserver callback poll|$build/bench/echo_bench_server --clients 20000 --backend poll"
    "tcpserver msh sample uring|$build/shell/msh -e 'tcpserver 127.0.0.1 0 --clients 20000 --poller uring'"
    "tcpserver callback epoll|$build/bench/echo_bench_server --clients 20000 --backend epoll"
    "tcpserver callback uring|$build/bench/echo_bench_server --clients 20000 --backend uring"
    "tcpserver blocking epoll|$build/bench/echo_bench_server --clients 20000 --backend epoll --blocking"
    "tcpserver blocking C rt_thread epoll|$build/bench/rt_echo_server --clients 20000 --poller epoll"
    "libevent|$build/bench/peers/libevent_echo"
    "libuv|$build/bench/peers/libuv_echo"
    "asio|$build/bench/peers/asio_echo"
    "epoll by hand|$build/bench/peers/epoll_echo"
    "io_uring by hand|$build/bench/peers/uring_echo"
    "thread per client|$build/bench/peers/threaded_echo"
)

# measure LABEL PID PORT MODE CLIENTS SIZE RUN [HOST]: one row of $csv (value, p99 us, server
# cost).
csv=$results/results.csv
measure() {
    local label=$1 server=$2 port=$3 mode=$4 clients=$5 size=$6 run=$7 host=${8:-127.0.0.1} line value p99 cost
    if line=$("${on_load_core[@]}" "$build/bench/load_generator" --host "$host" --mode "$mode" --port "$port" --clients "$clients" \
            --size "$size" --seconds "$seconds" --server-pid "$server" 2>&1); then
        case $mode in
            pingpong) value=$(sed -n 's/.*: \([0-9]*\) msg\/s.*/\1/p' <<<"$line")
                      p99=$(sed -n 's/.* p99 \([0-9]*\) .*/\1/p' <<<"$line")
                      cost=$(sed -n 's/.*(\([0-9.]*\) us\/msg).*/\1/p' <<<"$line") ;;
            bulk) value=$(sed -n 's/.*: \([0-9.]*\) MB\/s.*/\1/p' <<<"$line") p99=0
                  cost=$(sed -n 's/.*CPU \([0-9.]*\) s per GB.*/\1/p' <<<"$line") ;;
            connect) value=$(sed -n 's/.*: \([0-9]*\) connections\/s.*/\1/p' <<<"$line") p99=0
                     cost=$(sed -n 's/.*CPU \([0-9.]*\) us per connection.*/\1/p' <<<"$line") ;;
        esac
    else
        value=0 p99=0 cost=0 # refused or failed: shown as such in the table
        echo "$label, $mode, $clients clients: $line" >&2
    fi
    echo "$label,$mode,$clients,$run,$value,$p99,$cost" >> "$csv"
    echo "$label, $mode, $clients clients, run $run: $value (p99 $p99 us, cost $cost)"
}

# Every server runs from the start, idle until its turn; each cell measures the servers in
# turn, run after run, so a disturbance of the shared machine falls on all rows alike
# instead of on whichever server happened to be measured then.
labels=() pids=() ports=()
for i in "${!servers[@]}"; do
    start_server "${servers[$i]#*|}" "server-$i"
    labels+=("${servers[$i]%%|*}") pids+=("$server") ports+=("$port")
done
cells=()
for clients in $client_counts; do cells+=("pingpong $clients 64"); done
cells+=("bulk 10 16384" "connect 1 64")
echo "server,mode,clients,run,value,p99_us,server_cost" > "$csv"
for cell in "${cells[@]}"; do
    read -r mode clients size <<<"$cell"
    for run in $(seq "$repeats"); do
        for i in "${!labels[@]}"; do
            measure "${labels[$i]}" "${pids[$i]}" "${ports[$i]}" "$mode" "$clients" "$size" "$run"
        done
    done
done
kill "${pids[@]}"
wait "${pids[@]}" 2>/dev/null || true

python3 bench/summarize.py "$results/results.csv" "$results"

# Held clients: N idle connections to the callback echo on epoll, each pinged once a second;
# the server's memory per held client, and how long stopping takes with them all connected.
hold_clients=${HOLD_CLIENTS:-10000}
{
    echo
    echo "## Held clients (callback echo, epoll)"
    echo
    for clients in 1000 "$hold_clients"; do
        start_server "$build/bench/echo_bench_server --backend epoll --clients $((hold_clients * 2))"
        "${on_load_core[@]}" "$build/bench/load_generator" --mode hold --port "$port" --clients "$clients" --seconds 10 \
            --server-pid "$server" > "$scratch/hold.out" 2>&1 &
        holder=$!
        # Stop the server while every client is still connected.
        for _ in $(seq 1200); do
            [ "$(ss -Htn state established "( sport = :$port )" | wc -l)" -ge "$clients" ] && break
            sleep 0.05
        done
        sleep 6 # let a few ping rounds pass over the held clients
        kill "$server"
        wait "$server" 2>/dev/null || true
        wait "$holder" 2>/dev/null || true
        echo "- $(grep -o 'stopped with.*' "$scratch/server.out")"
    done
    start_server "$build/bench/echo_bench_server --backend epoll --clients $((hold_clients * 2))"
    echo "- $("${on_load_core[@]}" "$build/bench/load_generator" --mode hold --port "$port" --clients "$hold_clients" --seconds 5 \
        --server-pid "$server")"
    kill "$server"
    wait "$server" 2>/dev/null || true
} >> "$results/results.md"

# lwIP through a TAP device: msh's sample echo on lwIP beside a hand-written lwIP echo (lwIP's
# sockets and lwip_poll, nothing of ours), in turn as above, at fewer clients: every frame
# crosses the TAP device and lwIP's one thread.
if [ -n "${BENCH_NAMESPACE:-}" ]; then
    lwip_servers=(
        "tcpserver msh sample lwip|192.0.2.2|$build/shell/msh -e 'tcpserver 192.0.2.2 0 --clients 200 --stack lwip'"
        "lwip by hand|192.0.2.130|$build/bench/peers/lwip_echo tap1 192.0.2.130 255.255.255.128 192.0.2.129"
    )
    export TCPSERVER_LWIP_TAP=tap0 TCPSERVER_LWIP_IPADDR=192.0.2.2 TCPSERVER_LWIP_NETMASK=255.255.255.128 \
        TCPSERVER_LWIP_GWADDR=192.0.2.1
    labels=() hosts=() pids=() ports=()
    for i in "${!lwip_servers[@]}"; do
        IFS='|' read -r label host command <<<"${lwip_servers[$i]}"
        start_server "$command" "lwip-$i"
        labels+=("$label") hosts+=("$host") pids+=("$server") ports+=("$port")
    done
    csv=$results/results-lwip.csv
    echo "server,mode,clients,run,value,p99_us,server_cost" > "$csv"
    for cell in "pingpong 1 64" "pingpong 100 64" "bulk 10 16384"; do
        read -r mode clients size <<<"$cell"
        for run in $(seq "$repeats"); do
            for i in "${!labels[@]}"; do
                measure "${labels[$i]}" "${pids[$i]}" "${ports[$i]}" "$mode" "$clients" "$size" "$run" "${hosts[$i]}"
            done
        done
    done
    kill "${pids[@]}"
    wait "${pids[@]}" 2>/dev/null || true
    python3 bench/summarize.py --lwip "$csv" >> "$results/results.md"
else
    printf '\n## lwIP through a TAP device\n\nNot measured: network namespaces are not permitted here.\n' \
        >> "$results/results.md"
fi
echo "wrote $results/results.md and the plots"
