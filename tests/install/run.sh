#!/usr/bin/env bash
# Installs the built package into a scratch prefix, then builds and runs a consumer against
# it both ways: pkg-config with a plain C compiler, and a CMake project using find_package.
# Usage: run.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build" --prefix "$scratch/prefix" >/dev/null

export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig:$scratch/prefix/lib/$(gcc -print-multiarch)/pkgconfig"
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/consumer.c" -o "$scratch/pkgconfig_consumer" \
    $(pkg-config --cflags --libs tcpserver)
"$scratch/pkgconfig_consumer"

cmake -S "$source/tests/install" -B "$scratch/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
"$scratch/cmake/consumer"
