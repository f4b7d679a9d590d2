#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, when they are missing; packages named
# as arguments are installed as well (bench/run.sh adds the peers' libraries).
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail

# iproute2 (ss, ip, tc) and nftables: the fault suite's listen-queue check and impaired links;
# clang-14 and libclang-rt-14-dev: the fuzz targets; valgrind: the descriptor-tracking run;
# liblwip-dev: the lwIP stack (TCPSERVER_USING_LWIP).
packages=(cmake ninja-build g++ pkg-config libgtest-dev libgmock-dev libreadline-dev python3-kconfiglib
    libbenchmark-dev iproute2 nftables clang-14 libclang-rt-14-dev valgrind liblwip-dev "$@")

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
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
