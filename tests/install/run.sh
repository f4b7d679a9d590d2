#!/usr/bin/env bash
# Installs the built package into a scratch prefix, then builds and runs a consumer against
# it both ways: pkg-config with a plain C compiler, and a CMake project using find_package;
# once with the library alone and once with the shell and a command of the consumer's own, and
# (CMake) an application whose rtconfig.h tcpserver_rtconfig() writes from its package Kconfig.
# Usage: run.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
source "$(dirname "$0")/prefix.sh"
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/consumer.c" -o "$scratch/pkgconfig_consumer" \
    $(pkg-config --cflags --libs tcpserver)
"$scratch/pkgconfig_consumer"
readelf -d "$scratch/pkgconfig_consumer" | grep -q 'NEEDED.*libtcpserver.so.0'

# The static library, with what pkg-config --static adds for it.
cc -std=c99 "$source/tests/install/consumer.c" -o "$scratch/static_consumer" -I"$scratch/prefix/include" \
    "$scratch/prefix/lib/libtcpserver.a" $(pkg-config --static --libs-only-other --libs-only-l tcpserver | sed 's/-ltcpserver//')
"$scratch/static_consumer"
! readelf -d "$scratch/static_consumer" | grep -q 'libtcpserver'
cc -std=c99 -Wall -Wextra -Werror "$source/tests/install/shell_consumer.c" -o "$scratch/pkgconfig_shell" \
    $(pkg-config --cflags --libs tcpserver-shell)
"$scratch/pkgconfig_shell" -c "help; hello a b" | tee "$scratch/shell.out"
grep -q "^hello  *- greet from the consumer" "$scratch/shell.out"
grep -q "^hello from the consumer, 3 arguments, last b" "$scratch/shell.out"
test -x "$scratch/prefix/bin/msh"
# Installed programs run from a prefix the dynamic loader does not search, with no help.
"$scratch/prefix/bin/msh" -c version | grep -q "^tcpserver "

cmake -S "$source/tests/install" -B "$scratch/cmake" -G Ninja -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
cmake --build "$scratch/cmake" >/dev/null
"$scratch/cmake/consumer"
"$scratch/cmake/shell_consumer" -c "hello c" | grep -q "^hello from the consumer, 2 arguments, last c"
# tcpserver_rtconfig() gave it the package's symbols: its worker asks for the package's stack.
printf 'ps\nexit\n' | "$scratch/cmake/app_package" -q > "$scratch/app_package.out" 2>&1
grep -Eq "^demo .* 0x00003000$" "$scratch/app_package.out" || { cat "$scratch/app_package.out"; exit 1; }
