#!/bin/sh
# Runs the protocol decoder under libFuzzer with AddressSanitizer for SECONDS
# (default 60), starting from the committed corpus. New interesting inputs go to
# a scratch directory, never into the committed corpus; minimise with merge.sh.
# Usage: Fuzz/run.sh SECONDS [extra libFuzzer flags]
set -eu
seconds="${1:-60}"
[ $# -gt 0 ] && shift
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
swift build -c debug --scratch-path "$here/.build-fuzz" \
    --sanitize=fuzzer --sanitize=address -Xswiftc -parse-as-library
bin="$(swift build -c debug --scratch-path "$here/.build-fuzz" --show-bin-path)"
work="${FUZZ_WORK_DIR:-$here/.build-fuzz/corpus-new}"
mkdir -p "$work"
SWIFT_BACKTRACE=enable=no "$bin/ProtocolFuzz" \
    -max_total_time="$seconds" -max_len=512 -print_final_stats=1 \
    -artifact_prefix="$here/.build-fuzz/" "$@" "$work" "$here/corpus"
