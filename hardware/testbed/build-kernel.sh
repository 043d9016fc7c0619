#!/usr/bin/env bash
# Builds the testbed's small x86_64 kernel (tinyconfig + kernel.config: gpio-sim, IIO
# dummy ADC, 8250 console) from Debian's linux-source-6.1, and caches the bzImage
# outside the checkout, keyed by the fragment and the kernel source version.
# Prints the bzImage path on its last line of stdout. Needs: linux-source-6.1, bc,
# flex, bison, libelf-dev, libssl-dev, build-essential.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${INJECTOR_TESTBED_CACHE:-/var/cache/injector-testbed}"
tarball="$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)"
[ -n "$tarball" ] || { echo "build-kernel: /usr/src/linux-source-6.1.tar.xz missing (apt-get install linux-source-6.1)" >&2; exit 2; }
source_version="$(dpkg-query -W -f='${Version}' linux-source-6.1)"
key="$( { cat "$here/kernel.config"; echo "$source_version"; } | sha256sum | cut -c1-16)"
out="$cache_root/$key"
if [ -s "$out/bzImage" ]; then
    echo "build-kernel: cached $out/bzImage (linux-source-6.1 $source_version)" >&2
    echo "$out/bzImage"
    exit 0
fi
work="$cache_root/build-$key"
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT   # a failed build leaves no half-built tree behind
start=$(date +%s)
tar -xJf "$tarball" -C "$work"
src="$work/linux-source-6.1"
make -C "$src" -s ARCH=x86_64 tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" "$here/kernel.config" >/dev/null
make -C "$src" -s ARCH=x86_64 olddefconfig >&2
missing=0
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    grep -qx "$line" "$src/.config" || { echo "build-kernel: lost after olddefconfig: $line" >&2; missing=1; }
done < "$here/kernel.config"
[ "$missing" = 0 ] || exit 3
make -C "$src" -s ARCH=x86_64 -j"$(nproc)" bzImage >&2
mkdir -p "$out"
cp "$src/arch/x86/boot/bzImage" "$out/bzImage"
cp "$src/.config" "$out/config"
rm -rf "$work"
echo "build-kernel: built $out/bzImage in $(( $(date +%s) - start )) s" >&2
echo "$out/bzImage"
