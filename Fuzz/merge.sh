#!/bin/sh
# Minimises the committed corpus: keeps the smallest set of inputs from the corpus
# and the scratch directory that covers everything they cover together.
# Usage: Fuzz/merge.sh   (after Fuzz/run.sh)
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
bin="$(swift build -c debug --scratch-path "$here/.build-fuzz" --show-bin-path)"
work="${FUZZ_WORK_DIR:-$here/.build-fuzz/corpus-new}"
merged="$here/.build-fuzz/corpus-merged"
rm -rf "$merged" && mkdir -p "$merged"
SWIFT_BACKTRACE=enable=no "$bin/ProtocolFuzz" -merge=1 -max_len=512 \
    "$merged" "$here/corpus" "$work"
rm -f "$here"/corpus/*
cp "$merged"/* "$here/corpus/"
echo "corpus: $(ls "$here/corpus" | wc -l) files, $(du -sh "$here/corpus" | cut -f1)"
