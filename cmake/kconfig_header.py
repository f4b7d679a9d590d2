#!/usr/bin/env python3
"""Turns Kconfig plus an optional .config plus -D overrides into rtconfig.h (every symbol, as
RT-Thread's tools write it), tcpserver_config.h (rtconfig.h plus the library's version), the
resolved .config (installed, so an application's rtconfig.h can be built on the same settings)
and a CMake file with the same values. tcpserver_rtconfig.py imports the shared steps.

SPDX-License-Identifier: Apache-2.0
"""
import argparse
import os
import struct
import sys

import kconfiglib  # Debian: python3-kconfiglib


def cmake_value(sym):
    if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        return "ON" if sym.str_value == "y" else "OFF"
    return sym.str_value


def bool_text(value):
    return "y" if value.upper() in ("ON", "TRUE", "YES", "Y", "1") else "n"


def load(kconfig_path, config_path=None):
    # .config keeps RT-Thread's CONFIG_ prefix; the header has none, like rtconfig.h.
    os.environ["CONFIG_"] = "CONFIG_"
    # Kconfig's ARCH_CPU_64BIT follows the machine the tools run on, which is the host built for.
    os.environ["TCPSERVER_HOST_POINTER_BITS"] = str(struct.calcsize("P") * 8)
    kconf = kconfiglib.Kconfig(kconfig_path, warn_to_stderr=False)
    if config_path and os.path.exists(config_path):
        kconf.load_config(config_path, replace=False)
    return kconf


def apply_sets(kconf, assignments, unknown_is_error):
    """Sets every SYMBOL=VALUE, then checks each took: a symbol whose dependencies another
    assignment turns on may come in any order. Returns False after printing what failed."""
    wanted = {}
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        sym = kconf.syms.get(name)
        if sym is None or not sym.nodes:
            if unknown_is_error:
                print(f"kconfig: {name} is not a symbol of any Kconfig given", file=sys.stderr)
                return False
            # Warned, not refused: the project around us may name its own variables so.
            print(f"kconfig: warning: {name} is not a Kconfig symbol; ignored", file=sys.stderr)
            continue
        wanted[name] = (value, bool_text(value) if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE) else value)
        sym.set_value(wanted[name][1])
    for name, (asked, value) in wanted.items():
        if kconf.syms[name].str_value != value:
            print(f"kconfig: {name}={asked} is not allowed (see its range and dependencies in Kconfig)",
                  file=sys.stderr)
            return False
    return True


def write_rtconfig(kconf, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    kconf.config_prefix = ""
    kconf.write_autoconf(path, header="/* RT-Thread configuration, generated from Kconfig; do not edit. */\n"
                         "#ifndef RT_CONFIG_H__\n#define RT_CONFIG_H__\n\n")
    with open(path, "a") as out:
        out.write("\n#endif\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kconfig", required=True)
    parser.add_argument("--config", help=".config to load, if it exists")
    parser.add_argument("--rtconfig", required=True)
    parser.add_argument("--header", required=True)
    parser.add_argument("--resolved", required=True, help="the settings built with, as a .config")
    parser.add_argument("--cmake", required=True)
    parser.add_argument("--set", action="append", default=[], metavar="SYMBOL=VALUE")
    parser.add_argument("--version", required=True)
    args = parser.parse_args()

    kconf = load(args.kconfig, args.config)
    if not apply_sets(kconf, args.set, unknown_is_error=False):
        return 1
    for warning in kconf.warnings:
        print(f"kconfig: {warning}", file=sys.stderr)

    for path in (args.resolved, args.header, args.cmake):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    kconf.write_config(args.resolved, header="# tcpserver's settings as built; read by tcpserver-rtconfig\n")
    write_rtconfig(kconf, args.rtconfig)
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
