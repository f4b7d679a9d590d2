#!/usr/bin/env bash
# An RT-Thread application file that uses the kernel, kservice, finsh/msh, tcpserver and plain
# sockets builds unchanged against the installed package with the README's one command, and
# serves as on a board: a 0xD0 frame is acknowledged, the shell command reports it.
# Usage: gateway.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
source "$(dirname "$0")/prefix.sh"
app_pid=
trap '[ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null; rm -rf "$scratch"' EXIT
cc -std=gnu11 -Wall -Werror -funsigned-char "$source/tests/install/gateway_app.c" -o "$scratch/gateway" \
    $(pkg-config --cflags --libs tcpserver-shell)

mkfifo "$scratch/input"
"$scratch/gateway" < "$scratch/input" > "$scratch/output" 2>&1 &
app_pid=$!
exec 3> "$scratch/input"
for _ in $(seq 100); do
    grep -q "gateway listening on port" "$scratch/output" && break
    sleep 0.1
done
port=$(sed -n 's/.*gateway listening on port \([0-9]*\).*/\1/p' "$scratch/output")
test -n "$port" || { cat "$scratch/output"; exit 1; }
python3 - "$port" <<'PY'
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10) as peer:
    peer.sendall(b"\xd0\x01\x02")
    assert peer.recv(4) == b"ACK\n"
    peer.sendall(b"\x11bad")
    assert peer.recv(4) == b"NAK\n"
PY
for _ in $(seq 100); do
    grep -q "gateway: frame" "$scratch/output" && break
    sleep 0.1
done
echo "gw status" >&3
echo "exit" >&3
exec 3>&-
wait "$app_pid"
app_pid=
grep -q "^ \\\\ | /" "$scratch/output"
grep -q "gateway: frame" "$scratch/output"
grep -q "gateway: [01] devices, 1 good frames, 1 bad" "$scratch/output" || { cat "$scratch/output"; exit 1; }
echo "gateway: built unchanged, served a 0xD0 frame, reported it in the shell"
