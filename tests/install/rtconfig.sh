#!/usr/bin/env bash
# An application's own package Kconfig reaches its rtconfig.h as on a board: tcpserver-rtconfig
# writes the installed library's settings plus the package's symbols (defaults, a .config,
# SYMBOL=VALUE), the app builds with README's command and its worker gets the stack the package
# asks for; a setting the library was compiled with, or an unknown symbol, is refused by name.
# Usage: rtconfig.sh BUILD_DIR SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
build=$1
source=$2
source "$(dirname "$0")/prefix.sh"
tool="$scratch/prefix/bin/tcpserver-rtconfig"
package="$source/tests/install/app_package/Kconfig"

echo "CONFIG_PKG_USING_DEMO=y" > "$scratch/app.config"
"$tool" --kconfig "$package" --config "$scratch/app.config" \
    --set DEMO_THREAD_STACK_SIZE=12288 --set PKG_DEMO_WORKER=y --out "$scratch/config"
grep -q '^#define DEMO_GREETING "demo worker up"$' "$scratch/config/rtconfig.h"
# The library's own settings are carried over unchanged.
diff <(grep -v DEMO "$scratch/config/rtconfig.h") <(grep -v DEMO "$scratch/prefix/include/rtconfig.h") \
    || { echo "the library's settings changed in the application's rtconfig.h"; exit 1; }

cc -std=gnu11 -Wall -Werror -I"$scratch/config" "$source/tests/install/app_package.c" -o "$scratch/app" \
    $(pkg-config --cflags --libs tcpserver-shell)
printf 'ps\nexit\n' | "$scratch/app" -q > "$scratch/output" 2>&1
grep -q "^demo worker up, stack 12288$" "$scratch/output" || { cat "$scratch/output"; exit 1; }
grep -Eq "^demo .* 0x00003000$" "$scratch/output" || { cat "$scratch/output"; exit 1; }

refused() { # refused MESSAGE ARGS...: the tool fails, says MESSAGE and writes nothing
    local message=$1; shift
    rm -rf "$scratch/refused"
    if "$tool" "$@" --out "$scratch/refused" 2> "$scratch/error"; then
        echo "tcpserver-rtconfig accepted $*"; exit 1
    fi
    grep -q -- "$message" "$scratch/error" || { cat "$scratch/error"; exit 1; }
    test ! -e "$scratch/refused/rtconfig.h"
}
refused "RT_NAME_MAX is '8' in the installed library" --kconfig "$package" --set RT_NAME_MAX=16
refused "NO_SUCH_SYMBOL is not a symbol" --kconfig "$package" --set NO_SUCH_SYMBOL=1
refused "DEMO_THREAD_STACK_SIZE=4096 is not allowed" --kconfig "$package" --set DEMO_THREAD_STACK_SIZE=4096
refused "no such Kconfig file" --kconfig "$scratch/missing/Kconfig"
echo "tcpserver-rtconfig: package symbols in, library settings kept, bad settings refused"
