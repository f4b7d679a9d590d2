#!/usr/bin/env python3
"""Turns Kconfig plus an optional .config plus -D overrides into rtconfig.h (every symbol, as
RT-Thread's tools write it), tcpserver_config.h (rtconfig.h plus the library's version) and a
CMake file with the same values.

SPDX-License-Identifier: Apache-2.0
"""
import argparse
import os
import sys

import kconfiglib  # Debian: python3-kconfiglib


def cmake_value(sym):
    if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        return "ON" if sym.str_value == "y" else "OFF"
    return sym.str_value


def bool_text(value):
    return "y" if value.upper() in ("ON", "TRUE", "YES", "Y", "1") else "n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kconfig", required=True)
    parser.add_argument("--config", help=".config to load, if it exists")
    parser.add_argument("--rtconfig", required=True)
    parser.add_argument("--header", required=True)
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--set", action="append", default=[], metavar="SYMBOL=VALUE")
    parser.add_argument("--version", required=True)
    args = parser.parse_args()

    # .config keeps RT-Thread's CONFIG_ prefix; the header has none, like rtconfig.h.
    os.environ["CONFIG_"] = "CONFIG_"
    kconf = kconfiglib.Kconfig(args.kconfig, warn_to_stderr=False)
    if args.config and os.path.exists(args.config):
        kconf.load_config(args.config)
    for assignment in args.set:
        name, _, value = assignment.partition("=")
        sym = kconf.syms.get(name)
        if sym is None or not sym.nodes:
            # Warned, not refused: the project around us may name its own variables so.
            print(f"kconfig: warning: {name} is not a Kconfig symbol; ignored", file=sys.stderr)
            continue
        wanted = bool_text(value) if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE) else value
        if not sym.set_value(wanted) or sym.str_value != wanted:
            print(f"kconfig: {name}={value} is not allowed (see its range in Kconfig)", file=sys.stderr)
            return 1
    for warning in kconf.warnings:
        print(f"kconfig: {warning}", file=sys.stderr)

    os.makedirs(os.path.dirname(os.path.abspath(args.header)), exist_ok=True)
    kconf.config_prefix = ""
    kconf.write_autoconf(args.rtconfig, header="/* RT-Thread configuration, generated from Kconfig; do not edit. */\n"
                         "#ifndef RT_CONFIG_H__\n#define RT_CONFIG_H__\n\n")
    with open(args.rtconfig, "a") as out:
        out.write("\n#endif\n")
    with open(args.header, "w") as out:
        out.write("/* tcpserver configuration, generated from Kconfig; do not edit. */\n"
                  "#ifndef TCPSERVER_CONFIG_H__\n#define TCPSERVER_CONFIG_H__\n\n"
                  "#include <rtconfig.h>\n\n"
                  f'#define TCPSERVER_VERSION_STRING "{args.version}"\n\n#endif\n')
    with open(args.cmake, "w") as out:
        for sym in kconf.unique_defined_syms:
            if sym.nodes and sym.type != kconfiglib.UNKNOWN:
                out.write(f'set(KCONFIG_{sym.name} "{cmake_value(sym)}")\n')
    return 0


if __name__ == "__main__":
    sys.exit(main())
