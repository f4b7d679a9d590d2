#!/usr/bin/env bash
# Every sample's C file compiles as application code does on a board toolchain's strictest
# settings (-std=gnu11 -Wall -Wextra -Werror) against the installed headers only, and the
# board-style samples link with the README's one command and run: net_app, whose own sockets
# go through SAL, on the kernel and on lwIP (sal_app_test drives it).
# Usage: samples_compile.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
source "$(dirname "$0")/prefix.sh"
for file in "$source"/samples/*.c; do
    # -I samples only for the samples' own sample_main.h; everything else is installed.
    cc -std=gnu11 -Wall -Wextra -Werror -c "$file" -o "$scratch/$(basename "$file" .c).o" \
        $(pkg-config --cflags tcpserver-shell) -iquote "$source/samples"
    echo "compiled $(basename "$file")"
done
# SAL's headers in every C mode and as C++17, in every include order.
for order in 1 2 3 4 5; do
    for std in gnu11 c99 c11; do
        cc -std=$std -Wall -Wextra -Werror -DORDER=$order -c "$source/tests/install/sal_headers.c" \
            -o "$scratch/sal_headers.o" $(pkg-config --cflags tcpserver-shell)
    done
    c++ -x c++ -std=c++17 -Wall -Wextra -Werror -DORDER=$order -c "$source/tests/install/sal_headers.c" \
        -o "$scratch/sal_headers.o" $(pkg-config --cflags tcpserver-shell)
done
echo "sal_headers: clean in gnu11, c99, c11 and C++17, in every include order"

# A board's formats build clean as on a board, and are checked only when asked for.
cc -std=gnu11 -Wall -Wextra -Werror -c "$source/tests/install/board_formats.c" -o "$scratch/formats.o" \
    $(pkg-config --cflags tcpserver-shell)
if cc -std=gnu11 -Wall -Wextra -Werror -DRT_KPRINTF_CHECK_FORMAT -c "$source/tests/install/board_formats.c" \
    -o "$scratch/formats.o" $(pkg-config --cflags tcpserver-shell) 2>/dev/null; then
    echo "RT_KPRINTF_CHECK_FORMAT did not check the formats"
    exit 1
fi
echo "board_formats: clean as on a board, checked with RT_KPRINTF_CHECK_FORMAT"
cc -std=gnu11 -Wall -Wextra -Werror "$source/samples/board_app.c" -o "$scratch/board_app" \
    $(pkg-config --cflags --libs tcpserver-shell)
"$scratch/board_app" -c "board_stats; version" > "$scratch/output"
grep -q "board_app: initialised" "$scratch/output"
grep -q "clients served 0" "$scratch/output"
echo "board_app: linked with pkg-config tcpserver-shell and ran"

cc -std=gnu11 -Wall "$source/samples/net_app.c" -o "$scratch/net_app" \
    $(pkg-config --cflags --libs tcpserver-shell)
NET_APP_PROGRAM="$scratch/net_app" "$build/tests/sal_app_test"
if grep -q "^#define TCPSERVER_USING_LWIP" "$scratch/prefix/include/rtconfig.h"; then
    NET_APP_PROGRAM="$scratch/net_app" "$build/tests/sal_app_test" --stack=lwip
fi
echo "net_app: linked with pkg-config tcpserver-shell, served on the kernel and on lwIP"
