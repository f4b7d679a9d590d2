# Sourced by the install tests with $build set: installs the build into a scratch prefix that
# goes away on exit, and points pkg-config at it ($scratch/prefix). Not the dynamic loader:
# what is built against the prefix finds its libraries there by itself (pkg-config's rpath,
# CMake's), as a user's program must.
# SPDX-License-Identifier: Apache-2.0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig:$scratch/prefix/lib/$(gcc -print-multiarch)/pkgconfig"
