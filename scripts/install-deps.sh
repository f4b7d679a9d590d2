#!/usr/bin/env bash
# Installs the Debian packages a job needs, when they are missing. The first argument says which
# job: "run" builds the library and msh (README's first command), "test" (the default) builds
# and runs everything: the tests, benchmarks, fuzzing and valgrind. Further arguments are more
# packages (bench/run.sh adds the peers' libraries).
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail

# The library and msh: the compiler and build tools, kconfiglib for rtconfig.h, readline for
# the console, liblwip-dev for the second stack (TCPSERVER_USING_LWIP), liburing-dev for the
# uring poller (TCPSERVER_USING_URING).
run_packages=(cmake ninja-build g++ pkg-config libreadline-dev python3-kconfiglib liblwip-dev
    liburing-dev)
# The rest of the tool chain: googletest/googlemock and Google Benchmark; iproute2 (ss, ip, tc)
# and nftables for the fault suite's listen-queue check and impaired links; clang-14 and
# libclang-rt-14-dev for the fuzz targets; valgrind for the descriptor-tracking run.
test_packages=("${run_packages[@]}" libgtest-dev libgmock-dev libbenchmark-dev iproute2 nftables
    clang-14 libclang-rt-14-dev valgrind)

job=test
if [ $# -gt 0 ] && { [ "$1" = run ] || [ "$1" = test ]; }; then
    job=$1
    shift
fi
if [ "$job" = run ]; then
    packages=("${run_packages[@]}" "$@")
else
    packages=("${test_packages[@]}" "$@")
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi
"${sudo_cmd[@]}" apt-get update -qq
# The run job takes what it asks for and no more: a newcomer's first run should be quick.
recommends=()
if [ "$job" = run ]; then
    recommends=(--no-install-recommends)
fi
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${recommends[@]}" "${missing[@]}"
