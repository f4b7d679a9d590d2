#!/usr/bin/env bash
# Builds from nothing and runs the whole test suite. With an argument, the same under a
# sanitizer: "asan" (AddressSanitizer + UndefinedBehaviorSanitizer + _FORTIFY_SOURCE) or
# "tsan" (ThreadSanitizer). Warnings are errors.
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
cd "$(dirname "$0")/.."

variant=${1:-plain}
case "$variant" in
    plain) flags=() ;;
    # -O1 with line tables only, as the sanitizer recommends: at -O2 -g, UBSan's checks make
    # this the slowest build by twice.
    asan) flags=(-DTCPSERVER_SANITIZE=address,undefined "-DCMAKE_C_FLAGS=-D_FORTIFY_SOURCE=2"
                 "-DCMAKE_CXX_FLAGS=-D_FORTIFY_SOURCE=2" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1"
                 "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1") ;;
    tsan) flags=(-DTCPSERVER_SANITIZE=thread) ;;
    *) echo "usage: $0 [plain|asan|tsan]" >&2; exit 2 ;;
esac
build=build-$variant

scripts/install-deps.sh
cmake -S . -B "$build" -G Ninja -DTCPSERVER_WERROR=ON "${flags[@]}"
cmake --build "$build"
# Sanitizers fail the test they catch something in; leak checking is part of ASan.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure
