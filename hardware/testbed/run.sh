#!/usr/bin/env bash
# The real-kernel testbed: a small x86_64 kernel with gpio-sim and IIO's dummy ADC
# (build-kernel.sh, cached), the firmware built against libgpiod v1 (Debian) and v2
# (build-libgpiod2.sh), a busybox initramfs, and qemu under TCG. The guest
# (guest-init.sh) checks each shipped board with both builds, then runs the firmware's
# sim and host links on two more 8250 UARTs wired to host ptys, where injector-sim
# serve drives a hardware-in-the-loop procedure (hil-host.sh judges it). This script
# prints the guest's and its own CHECK lines and fails if any check failed or the guest
# did not finish in time.
# Needs: qemu-system-x86, linux-source-6.1, busybox-static, gpiod, cpio, python3,
# build-essential, bc, flex, bison, libelf-dev, libssl-dev.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
timeout_s="${TESTBED_TIMEOUT:-1500}"   # four boards' GPIO checks took up to 851 s on a loaded machine, the HIL run 45–120 s more
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
# The host side of the hardware-in-the-loop check over the guest's UARTs.
build swift build --product injector-sim
rm -f "$build_log"
stamp "firmware v1 and v2, injector-sim built"

root="$(mktemp -d)"
work="$(mktemp -d)"   # the console's input fifo, serve's output
trap '[ -z "${qemu:-}" ] || kill "$qemu" 2>/dev/null || true; rm -rf "$root" "$work"' EXIT
. "$here/hil-host.sh"
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
hil_prepare "$root/testbed/hil-config.yaml"
install -m 755 "${TESTBED_INIT:-$here/guest-init.sh}" "$root/init"   # TESTBED_INIT: another init, for debugging
initramfs="$(mktemp --suffix=.cpio)"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$initramfs"
stamp "initramfs $(( $(stat -c %s "$initramfs") / 1048576 )) MB"

log="${TESTBED_LOG:-$repo/.build/testbed-console.log}"
mkdir -p "$(dirname "$log")"
: > "$log"
# Console input through a fifo held open on fd 3 (qemu never sees EOF): run.sh answers
# the guest's hardware-in-the-loop hand-shake on it. ttyS1 and ttyS2 are host ptys.
mkfifo "$work/console-in"
exec 3<>"$work/console-in"
boot=$(date +%s)
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -m 1024 -nographic -no-reboot \
    -serial mon:stdio -serial pty -serial pty \
    -kernel "$kernel" -initrd "$initramfs" -append "console=ttyS0 quiet panic=-1" < "$work/console-in" > "$log" 2>&1 &
qemu=$!
hil_host
set +e
wait "$qemu"
qemu_rc=$?
set -e
exec 3>&-
rm -f "$initramfs"
stamp "guest ran $(( $(date +%s) - boot )) s (qemu exit $qemu_rc)"
tr -d '\r' < "$log" | grep -E '^(CHECK|TESTBED)' || true
cat "$hil_checks"
cat "$hil_retries"   # a first attempt's failures, if the procedure was retried
summary="$(tr -d '\r' < "$log" | grep -E '^TESTBED: [0-9]+ passed, [0-9]+ failed' | tail -1 || true)"
if [ -z "$summary" ]; then
    echo "testbed: the guest did not finish (timeout ${timeout_s} s or crash); console in $log:" >&2
    tail -20 "$log" >&2
    exit 1
fi
failed="$(echo "$summary" | sed -n 's/.*, \([0-9]*\) failed.*/\1/p')"
passed="$(echo "$summary" | sed 's/TESTBED: \([0-9]*\) passed.*/\1/')"
# The host's own CHECK lines (hil-host.sh) count with the guest's.
host_passed=$(grep -c '| PASS' "$hil_checks" || true)
host_failed=$(grep -vc '| PASS' "$hil_checks" || true)
# TESTBED_HIL_REQUIRED=0 (.ci/run on the shared 2-core VM): the host's judgement of the
# HIL procedure is printed but does not fail the run. Its failures there come from the
# host's and TCG's timing (docs/firmware.md), not from the firmware; the guest's UART
# checks (ports, libserialport, the firmware's commands) always count.
if [ "${TESTBED_HIL_REQUIRED:-1}" = 0 ] && [ "$host_failed" -gt 0 ]; then
    echo "testbed: HIL procedure NOT PASSED ($host_failed host checks failed, above); not required here (TESTBED_HIL_REQUIRED=0)"
    host_failed=0
fi
passed=$((passed + host_passed)); failed=$((failed + host_failed))
echo "testbed: $passed passed, $failed failed (on the host: $host_passed passed, $host_failed failed)"
[ "$passed" -gt 0 ] && [ "$failed" = 0 ] || exit 1
stamp "all $passed checks passed"
