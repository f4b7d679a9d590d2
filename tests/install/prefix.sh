# Sourced by the install tests with $build set: installs the build into a scratch prefix that
# goes away on exit, and points the dynamic loader and pkg-config at it ($scratch/prefix).
# SPDX-License-Identifier: Apache-2.0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
export LD_LIBRARY_PATH="$scratch/prefix/lib"
export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig:$scratch/prefix/lib/$(gcc -print-multiarch)/pkgconfig"
