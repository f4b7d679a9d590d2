#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 60)
# from its checked-in seed corpus. New inputs go to a scratch corpus, so the checked-in one
# changes only by hand. A crash leaves its input in build-fuzz/ and fails the run.
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
build=build-fuzz

scripts/install-deps.sh
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DTCPSERVER_FUZZ=ON \
    -DTCPSERVER_BUILD_TESTS=OFF -DTCPSERVER_WERROR=ON -DTCPSERVER_SANITIZE=address,undefined
cmake --build "$build" --target msh_line_fuzzer endpoint_fuzzer

for target in msh_line endpoint; do
    scratch="$build/corpus-$target"
    mkdir -p "$scratch"
    echo "=== fuzzing $target for $seconds s"
    (cd "$build" && "./tests/fuzz/${target}_fuzzer" -max_total_time="$seconds" \
        -print_final_stats=1 "corpus-$target" "../tests/fuzz/corpus/$target")
done
