#!/usr/bin/env bash
# The real-kernel testbed: a small x86_64 kernel with gpio-sim and IIO's dummy ADC
# (build-kernel.sh, cached), the firmware built against libgpiod v1 (Debian) and v2
# (build-libgpiod2.sh), a busybox initramfs, and qemu under TCG. The guest
# (guest-init.sh) checks each shipped board with both builds; this script prints its
# CHECK lines and fails if any check failed or the guest did not finish in time.
# Needs: qemu-system-x86, linux-source-6.1, busybox-static, gpiod, cpio, python3,
# build-essential, bc, flex, bison, libelf-dev, libssl-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
timeout_s="${TESTBED_TIMEOUT:-1500}"
t0=$(date +%s)
stamp() { echo "testbed: $1 at +$(( $(date +%s) - t0 )) s" >&2; }

kernel="$(bash "$here/build-kernel.sh" | tail -1)"
stamp "kernel $kernel"
gpiod2="$(bash "$here/build-libgpiod2.sh" | tail -1)"
stamp "libgpiod 2 in $gpiod2"

cd "$repo"
# Static Swift runtime: each build needs its own scratch path (a static link over a
# dynamic build's objects misses Foundation's autolinked libraries).
build_log="$(mktemp)"
build() {
    "$@" > "$build_log" 2>&1 || { grep -v "mktemp' is dangerous" "$build_log" | tail -30 >&2; exit 2; }
}
build env -u PKG_CONFIG_PATH swift build --product injector-firmware --scratch-path .build-gpiod1 --static-swift-stdlib
build env PKG_CONFIG_PATH="$gpiod2/lib/pkgconfig" swift build --product injector-firmware \
    --scratch-path .build-gpiod2 --static-swift-stdlib -Xlinker -rpath -Xlinker "$gpiod2/lib"
rm -f "$build_log"
stamp "firmware v1 and v2 built"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,tmp,testbed/boards}
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done
# A binary and every shared library ldd lists, at the same paths.
carry() {
    install -D "$1" "$root/$2"
    ldd "$1" | grep -o '/[^ ]*' | while read -r lib; do
        [ -e "$root$lib" ] || install -D "$(readlink -f "$lib")" "$root$lib"
    done
}
for tool in gpiodetect gpioinfo gpioset gpioget; do carry "/usr/bin/$tool" "usr/bin/$tool"; done
for v in 1 2; do
    carry ".build-gpiod$v/debug/injector-firmware" "testbed/injector-firmware-v$v"
    strip --strip-debug "$root/testbed/injector-firmware-v$v"
done
for board in hardware/boards/*.yaml; do
    cp "$board" "$root/testbed/boards/"
    python3 "$here/board-shape.py" "$board" > "$root/testbed/boards/$(basename "${board%.yaml}").env"
done
cp hardware/configs/lumbar-10ml-11g.yaml "$root/testbed/config.yaml"
install -m 755 "${TESTBED_INIT:-$here/guest-init.sh}" "$root/init"   # TESTBED_INIT: another init, for debugging
initramfs="$(mktemp --suffix=.cpio)"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$initramfs"
stamp "initramfs $(( $(stat -c %s "$initramfs") / 1048576 )) MB"

log="${TESTBED_LOG:-$repo/.build/testbed-console.log}"
mkdir -p "$(dirname "$log")"
boot=$(date +%s)
set +e
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$initramfs" -append "console=ttyS0 quiet panic=-1" < /dev/null > "$log" 2>&1
qemu_rc=$?
set -e
rm -f "$initramfs"
stamp "guest ran $(( $(date +%s) - boot )) s (qemu exit $qemu_rc)"
tr -d '\r' < "$log" | grep -E '^(CHECK|TESTBED)' || true
summary="$(tr -d '\r' < "$log" | grep -E '^TESTBED: [0-9]+ passed, [0-9]+ failed' | tail -1 || true)"
if [ -z "$summary" ]; then
    echo "testbed: the guest did not finish (timeout ${timeout_s} s or crash); console in $log:" >&2
    tail -20 "$log" >&2
    exit 1
fi
failed="$(echo "$summary" | sed -n 's/.*, \([0-9]*\) failed.*/\1/p')"
passed="$(echo "$summary" | sed 's/TESTBED: \([0-9]*\) passed.*/\1/')"
[ "$passed" -gt 0 ] && [ "$failed" = 0 ] || { echo "testbed: $summary" >&2; exit 1; }
stamp "all $passed checks passed"
