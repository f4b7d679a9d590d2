#!/usr/bin/env bash
# Kconfig is real: kconfiglib parses it with the package's symbols and defaults, a .config
# changes what gets built (TCPSERVER_CLI_NUM), and -D overrides the .config.
# Usage: run.sh SOURCE_DIR PYTHON
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
source=$1
python=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The package's menu with its defaults.
"$python" - "$source/Kconfig" <<'PY'
import sys, kconfiglib
kconf = kconfiglib.Kconfig(sys.argv[1])
expected = {"PKG_USING_TCPSERVER": "y", "TCPSERVER_NAME": "tcpserv", "TCPSERVER_STACK_SIZE": "4096",
            "TCPSERVER_PRIO": "12", "TCPSERVER_SOCKET_MAX": "512", "TCPSERVER_CLI_NUM": "5",
            "PKG_TCPSERVER_DEBUG": "n", "PKG_TCPSERVER_SAMPLE": "y"}
for name, value in expected.items():
    sym = kconf.syms[name]
    assert sym.str_value == value, f"{name} is {sym.str_value}, not {value}"
    assert all(node.help for node in sym.nodes), f"{name} has no help text"
print("Kconfig: the package's symbols have their defaults and help")
PY

clients_at_most() {
    "$scratch/build/shell/msh" -c "tcpserver 127.0.0.1 0" | sed -n 's/.*, \([0-9]*\) clients at most/\1/p'
}

# A .config such as menuconfig writes.
printf 'CONFIG_PKG_USING_TCPSERVER=y\nCONFIG_TCPSERVER_CLI_NUM=2\nCONFIG_RT_HEAP_SIZE=1048576\n' > "$scratch/.config"
cmake -S "$source" -B "$scratch/build" -G Ninja -DTCPSERVER_BUILD_TESTS=OFF \
    -DTCPSERVER_KCONFIG_CONFIG="$scratch/.config" >/dev/null
cmake --build "$scratch/build" --target msh >/dev/null
test "$(clients_at_most)" = 2
grep -q '^#define TCPSERVER_CLI_NUM 2$' "$scratch/build/include/rtconfig.h"
echo ".config: TCPSERVER_CLI_NUM=2 built in"
"$scratch/build/shell/msh" -q -c free | grep -q '^total    : 1048576$'
echo ".config: RT_HEAP_SIZE=1048576 is the heap free shows"

# -D wins over the .config.
cmake -S "$source" -B "$scratch/build" -DTCPSERVER_CLI_NUM=3 >/dev/null
cmake --build "$scratch/build" --target msh >/dev/null
test "$(clients_at_most)" = 3
echo "-DTCPSERVER_CLI_NUM=3 overrides it"

# A value outside the symbol's range is refused at configure time.
if cmake -S "$source" -B "$scratch/build" -DTCPSERVER_CLI_NUM=0 >/dev/null 2>&1; then
    echo "TCPSERVER_CLI_NUM=0 was accepted" >&2
    exit 1
fi
echo "-DTCPSERVER_CLI_NUM=0 is refused"
