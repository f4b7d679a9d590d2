#!/usr/bin/env bash
# Builds tests/subproject, which takes tcpserver with FetchContent, and runs its programs.
# Usage: run.sh SOURCE_DIR
# SPDX-License-Identifier: Apache-2.0
set -euo pipefail
source=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake -S "$source/tests/subproject" -B "$scratch" -G Ninja -DSUBPROJECT_TCPSERVER_SOURCE="$source" >/dev/null
cmake --build "$scratch" --target consumer shell_consumer >/dev/null
"$scratch/consumer"
"$scratch/shell_consumer" -c "hello from-fetchcontent" | grep -q "^hello from the consumer, 2 arguments, last from-fetchcontent"
echo "FetchContent: tcpserver::tcpserver and tcpserver::shell build and run"
