#!/usr/bin/python3
"""tcpserver-rtconfig: an application's rtconfig.h, as a board's menuconfig writes it: the
installed library's settings plus the symbols of the application's own packages (their Kconfig
files, with their defaults, an optional .config and SYMBOL=VALUE settings). Put the directory
it writes before pkg-config's flags: cc -Idir app.c $(pkg-config --cflags --libs tcpserver-shell).

The library was compiled with its settings (RT_NAME_MAX sizes its objects, for one), so a
package or a setting that would change one of them is refused, naming the symbol.

SPDX-License-Identifier: Apache-2.0
"""
import argparse
import os
import sys
import tempfile

# The installed layout: bin/tcpserver-rtconfig beside share/tcpserver/.
SHARE = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "share", "tcpserver")
sys.path.insert(0, SHARE)
import kconfig_header  # noqa: E402  (installed beside the library's Kconfig)


def main():
    parser = argparse.ArgumentParser(prog="tcpserver-rtconfig", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kconfig", action="append", default=[], metavar="FILE",
                        help="a package's Kconfig (repeat for several)")
    parser.add_argument("--config", metavar="FILE", help="the application's .config, if it has one")
    parser.add_argument("--set", action="append", default=[], metavar="SYMBOL=VALUE")
    parser.add_argument("--out", required=True, metavar="DIR", help="where rtconfig.h goes")
    args = parser.parse_args()

    library_kconfig = os.path.join(SHARE, "Kconfig")
    library_config = os.path.join(SHARE, "tcpserver.config")
    library = kconfig_header.load(library_kconfig, library_config)
    built_with = {sym.name: sym.str_value for sym in library.unique_defined_syms if sym.nodes}

    for path in args.kconfig:
        if not os.path.isfile(path):
            print(f"tcpserver-rtconfig: {path}: no such Kconfig file", file=sys.stderr)
            return 1
    with tempfile.TemporaryDirectory() as scratch:
        top = os.path.join(scratch, "Kconfig")
        with open(top, "w") as out:
            out.write('mainmenu "RT-Thread application configuration"\n')
            for path in [library_kconfig] + args.kconfig:
                out.write(f'source "{os.path.abspath(path)}"\n')
        try:
            kconf = kconfig_header.load(top, library_config)
        except Exception as error:  # kconfiglib reports a malformed file as its own exception
            print(f"tcpserver-rtconfig: {error}", file=sys.stderr)
            return 1
    if args.config:
        if not os.path.isfile(args.config):
            print(f"tcpserver-rtconfig: {args.config}: no such .config", file=sys.stderr)
            return 1
        kconf.load_config(args.config, replace=False)
    if not kconfig_header.apply_sets(kconf, args.set, unknown_is_error=True):
        return 1

    changed = [name for name, value in built_with.items() if kconf.syms[name].str_value != value]
    for name in changed:
        print(f"tcpserver-rtconfig: {name} is {built_with[name]!r} in the installed library, which was "
              f"compiled so; the application asks for {kconf.syms[name].str_value!r}. Rebuild tcpserver "
              f"with -D{name}=... to change it.", file=sys.stderr)
    if changed:
        return 1
    kconfig_header.write_rtconfig(kconf, os.path.join(args.out, "rtconfig.h"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
