#!/usr/bin/env bash
# Builds libgpiod 2.x (the C library vendored in PyPI's `gpiod` sdist) as a shared
# libgpiod.so.3 with a pkg-config file, in a prefix outside the checkout, so that the
# firmware can be built and tested against the v2 API on Debian 12.
#   PKG_CONFIG_PATH=/opt/libgpiod2/lib/pkgconfig swift build --scratch-path .build-gpiod2 \
#       -Xlinker -rpath -Xlinker /opt/libgpiod2/lib
# Prints the prefix on its last line of stdout. Needs python3-pip (pip download) and gcc.
set -euo pipefail
prefix="${LIBGPIOD2_PREFIX:-/opt/libgpiod2}"
sdist_version="${GPIOD_SDIST_VERSION:-2.5.0}"
if [ -s "$prefix/lib/libgpiod.so.3" ] && [ -s "$prefix/lib/pkgconfig/libgpiod.pc" ]; then
    echo "build-libgpiod2: cached in $prefix" >&2
    echo "$prefix"; exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m pip download -q --no-deps --no-binary :all: -d "$work" "gpiod==$sdist_version" >&2
tar -xzf "$work"/gpiod-"$sdist_version".tar.gz -C "$work"
src="$work/gpiod-$sdist_version"
# The sdist names the vendored library's version in libgpiod-version.txt ("2.3").
version="$(tr -d '[:space:]' < "$src/libgpiod-version.txt")"
[ -n "$version" ] || { echo "build-libgpiod2: no libgpiod-version.txt in the sdist" >&2; exit 2; }
mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
gcc -O2 -fPIC -shared -Wall -D_GNU_SOURCE -DGPIOD_API_VERSION_STR="\"$version\"" \
    -I"$src/include" -I"$src/lib" "$src"/lib/*.c \
    -Wl,-soname,libgpiod.so.3 -o "$prefix/lib/libgpiod.so.3"
ln -sf libgpiod.so.3 "$prefix/lib/libgpiod.so"
cp "$src/include/gpiod.h" "$prefix/include/"
# -l:libgpiod.so.3, not -lgpiod: another -L on the link line (libserialport's
# -L/usr/lib/x86_64-linux-gnu) would otherwise find Debian's v1 libgpiod.so first.
cat > "$prefix/lib/pkgconfig/libgpiod.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libgpiod
Description: Library and tools for the Linux GPIO chardev (built from PyPI gpiod $sdist_version)
Version: $version
Libs: -L\${libdir} -l:libgpiod.so.3
Cflags: -I\${includedir}
PC
echo "build-libgpiod2: libgpiod $version in $prefix" >&2
echo "$prefix"
