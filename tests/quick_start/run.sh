#!/usr/bin/env bash
# README's first command builds msh from the run job's packages alone: configured as README
# configures it, with GoogleTest, GoogleMock and Google Benchmark made unfindable (as on a
# machine that has only scripts/install-deps.sh run's packages), the msh target builds and
# serves. README shows that very command, and install-deps.sh's run job needs none of the
# test job's packages.
# Usage: run.sh SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
source=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

expected='scripts/install-deps.sh run && cmake -S . -B build -G Ninja -DTCPSERVER_BUILD_TESTS=OFF -DTCPSERVER_BUILD_BENCH=OFF && cmake --build build --target msh && ./build/shell/msh -e "tcpserver 127.0.0.1 5000"'
grep -qxF "$expected" "$source/README.md" || {
    echo "README's first command is not: $expected"
    exit 1
}

# The run job's packages are the run set; the test job's add to it, never the reverse.
run_set=$(sed -n 's/^run_packages=(\(.*\))$/\1/p' "$source/scripts/install-deps.sh")
for package in libgtest-dev libgmock-dev libbenchmark-dev clang-14 valgrind nftables; do
    if [[ " $run_set " == *" $package "* ]]; then
        echo "install-deps.sh run installs $package, which only the tests need"
        exit 1
    fi
done

cmake -S "$source" -B "$scratch/build" -G Ninja -DTCPSERVER_BUILD_TESTS=OFF -DTCPSERVER_BUILD_BENCH=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >"$scratch/configure.log"
cmake --build "$scratch/build" --target msh >"$scratch/build.log"
# Only msh and what it links were built: no test, sample or benchmark program.
built=$(find "$scratch/build" -type f -perm -u+x -name '*_test' -o -type f -name 'board_app' | wc -l)
if [ "$built" -ne 0 ]; then
    echo "the msh target built $built test or sample programs"
    exit 1
fi
output=$("$scratch/build/shell/msh" -c "tcpserver 127.0.0.1 0; tcpserver_list")
grep -q "tcpserver started on 127.0.0.1 port" <<<"$output" || {
    echo "msh did not serve: $output"
    exit 1
}
echo "quick start: msh built from the run job's packages and served"
