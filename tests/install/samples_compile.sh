#!/usr/bin/env bash
# Every sample's C file compiles as application code does on a board toolchain's strictest
# settings (-std=gnu11 -Wall -Wextra -Werror) against the installed headers only, and the
# board-style sample links with the README's one command and runs.
# Usage: samples_compile.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
source "$(dirname "$0")/prefix.sh"
for file in "$source"/samples/*.c; do
    # -I samples only for the samples' own sample_main.h; everything else is installed.
    cc -std=gnu11 -Wall -Wextra -Werror -c "$file" -o "$scratch/$(basename "$file" .c).o" \
        -I"$scratch/prefix/include" -iquote "$source/samples"
    echo "compiled $(basename "$file")"
done
cc -std=gnu11 -Wall -Wextra -Werror "$source/samples/board_app.c" -o "$scratch/board_app" \
    $(pkg-config --cflags --libs tcpserver-shell)
"$scratch/board_app" -c "board_stats; version" > "$scratch/output"
grep -q "board_app: initialised" "$scratch/output"
grep -q "clients served 0" "$scratch/output"
echo "board_app: linked with pkg-config tcpserver-shell and ran"
