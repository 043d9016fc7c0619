#!/bin/sh
# PID 1 of the testbed guest: gpio-sim banks shaped like each board, the firmware's
# v1 and v2 builds against them, one "CHECK board | libgpiod version | check | result"
# line per check and a closing "TESTBED: N passed, N failed" line (run.sh parses them).
# Last, a hardware-in-the-loop run on ttyS1/ttyS2 with run.sh serving the plant.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t configfs configfs /sys/kernel/config
cd /testbed
CONFIG=/testbed/config.yaml
CONSUMER=injector-firmware
WAIT=${WAIT:-60}          # seconds to wait for the firmware to request its lines (TCG is slow)
passed=0; failed=0

# check NAME PASS|FAIL [detail]
check() {
    if [ "$2" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    echo "CHECK $BOARD | libgpiod $VERSION | $1 | $2${3:+ | $3}"
}

sim_value() { cat "$SIM/sim_gpio$1/value"; }
pull() { echo "$2" > "$SIM/sim_gpio$1/pull"; }
# Lines of the chip the firmware holds now.
held() { gpioinfo "$CHIP" | grep -c "\"$CONSUMER\""; }
# Waits until the firmware holds `$1` lines (or has exited: returns 1).
wait_held() {
    n=0
    while [ "$n" -lt $((WAIT * 10)) ]; do
        [ "$(held)" -ge "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || return 1
        usleep 100000; n=$((n + 1))
    done
    return 1
}

# A bank with another label goes live before the board's, so the board's chip is not
# gpiochip0 (as on a Pi 5 before 6.6.45): the firmware must find it by its label.
make_decoy() {
    D=/sys/kernel/config/gpio-sim/decoy
    mkdir "$D" "$D/bank0"
    echo "$DECOY_LINES" > "$D/bank0/num_lines"
    echo "$DECOY_LABEL" > "$D/bank0/label"
    echo 1 > "$D/live"
    DECOY=$(cat "$D/bank0/chip_name")
}

remove_decoy() { echo 0 > "$D/live"; rmdir "$D/bank0" "$D"; }

make_bank() {
    G=/sys/kernel/config/gpio-sim/testbed
    mkdir "$G" "$G/bank0"
    echo "$LINES" > "$G/bank0/num_lines"
    echo "$LABEL" > "$G/bank0/label"
    i=0
    while [ "$i" -lt "$LINES" ]; do
        mkdir "$G/bank0/line$i"; echo "GPIO$i" > "$G/bank0/line$i/name"; i=$((i + 1))
    done
    echo 1 > "$G/live"
    CHIP=$(cat "$G/bank0/chip_name")
    SIM=/sys/devices/platform/$(cat "$G/dev_name")/$CHIP
}

remove_bank() {
    echo 0 > "$G/live"
    for l in "$G"/bank0/line*; do rmdir "$l"; done
    rmdir "$G/bank0" "$G"
}

# The pressure ADC: IIO's dummy device (in_voltage0_*). A board with a position pot on
# channel 1 gets a tmpfs copy of the dummy's channel 0 as channels 0 and 1, since the
# dummy has no single-ended channel 1.
# The dummy device takes its configfs directory's name: "ads1115", as the board files
# find their ADC by name.
mkdir /sys/kernel/config/iio/devices/dummy/ads1115
IIO_DUMMY=/sys/bus/iio/devices/iio:device0
iio_for_board() {
    if [ "$POSITION" = 1 ] && ! grep -q " /sys/bus/iio/devices " /proc/mounts; then
        raw=$(cat $IIO_DUMMY/in_voltage0_raw); scale=$(cat $IIO_DUMMY/in_voltage0_scale)
        mount -t tmpfs iio /sys/bus/iio/devices
        mkdir -p /sys/bus/iio/devices/iio:device0
        echo ads1115 > /sys/bus/iio/devices/iio:device0/name
        for c in 0 1; do
            echo "$raw" > /sys/bus/iio/devices/iio:device0/in_voltage${c}_raw
            echo "$scale" > /sys/bus/iio/devices/iio:device0/in_voltage${c}_scale
        done
    elif [ "$POSITION" = 0 ] && grep -q " /sys/bus/iio/devices " /proc/mounts; then
        umount /sys/bus/iio/devices
    fi
}

check_chips() {
    out=$($FW chips --lines 2>&1)
    echo "$out" | grep -q "^libgpiod $VERSION (API v$API)" || { check chips FAIL "version: $(echo "$out" | head -1)"; return; }
    echo "$out" | grep -q "^$CHIP \[$LABEL\] $LINES lines, $LINES named" || { check chips FAIL "$(echo "$out" | sed -n 2p)"; return; }
    echo "$out" | grep -q "^  $STEP	GPIO$STEP	unused" || { check chips FAIL "line $STEP not listed as GPIO$STEP unused"; return; }
    check chips PASS "$(echo "$out" | grep "^$CHIP ")"
}

# The board file names its chip by label: found although the decoy is gpiochip0, and
# each line's kernel name checked. Edited copies naming the decoy's number, a label no
# chip has, or names the chip does not carry are refused (exit 3), holding nothing.
check_labels() {
    out=$($FW inputs --board "$BOARDFILE" 2>&1); rc=$?
    if [ "$rc" = 0 ] && echo "$out" | grep -q "^board .*: $CHIP \[$LABEL\]" \
        && echo "$out" | grep -q "^line names GPIO<n>: $NLINES matched$"; then
        check chip-by-label PASS "$CHIP [$LABEL] found with $DECOY [$DECOY_LABEL] first; $(echo "$out" | grep '^line names')"
    else
        check chip-by-label FAIL "exit $rc: $(echo "$out" | head -2 | tr '\n' ' ')"
    fi
    awk -v d="$DECOY" '{ print } /^  label: / { print "  chip: " d }' "$BOARDFILE" > /tmp/edited.yaml
    refused label-mismatch-refused "its label is \"$DECOY_LABEL\", the board file's gpio.label is \"$LABEL\""
    sed 's/^  label: .*/  label: pinctrl-nonesuch/' "$BOARDFILE" > /tmp/edited.yaml
    refused label-absent-refused "no GPIO chip carries this label"
    sed 's/^  lineNames: .*/  lineNames: PIN<n>/' "$BOARDFILE" > /tmp/edited.yaml
    refused line-names-refused "line $STEP (STEP) is \"GPIO$STEP\", not \"PIN$STEP\""
}

# `validate` checks the configuration and the board file without opening a chip: ok for
# the shipped pair, exit 2 naming the key for a board file with a misspelt key.
check_validate() {
    out=$($FW validate --config "$CONFIG" --board "$BOARDFILE" 2>&1); rc=$?
    sed 's/^  lineNames:/  lineName:/' "$BOARDFILE" > /tmp/edited.yaml
    bad=$($FW validate --config "$CONFIG" --board /tmp/edited.yaml 2>&1); brc=$?
    if [ "$rc" = 0 ] && echo "$out" | grep -q "ok (" && [ "$brc" = 2 ] && echo "$bad" | grep -q "gpio.lineName"; then
        check validate PASS "$(echo "$out" | grep '^board' | cut -c1-120); misspelt key: exit 2"
    else
        check validate FAIL "exit $rc / $brc: $(echo "$out $bad" | tail -2 | tr '\n' ' ')"
    fi
}

# `selftest`: with no answers (end of input) it reads everything and ENABLE is never
# seen enabled; answered "y" for STEP and "yes" for the driver, STEP toggles and ENABLE
# is enabled for the stated 2 s, then disabled again with every line given back.
check_selftest() {
    # ENABLE pulled to "disabled": an enabled sample can only be the firmware's drive.
    pull "$ENABLE" "$([ "$ENABLE_DISABLED" = 1 ] && echo pull-up || echo pull-down)"
    $FW selftest --board "$BOARDFILE" --hold-seconds 0.01 < /dev/null > /tmp/selftest.log 2>&1 &
    p=$!
    set -- $(watch_enable 20)
    wait $p; rc=$?
    if [ "$rc" = 0 ] && [ "$3" = 0 ] && grep -q "driver never enabled" /tmp/selftest.log; then
        check selftest-no-answers PASS "$(tail -1 /tmp/selftest.log); ENABLE never enabled in 20 samples"
    else
        check selftest-no-answers FAIL "exit $rc, ENABLE enabled in $3 samples: $(tail -2 /tmp/selftest.log | tr '\n' ' ')"
    fi
    printf 'y\nn\nn\nn\nyes\n' | $FW selftest --board "$BOARDFILE" --toggles 5 --hold-seconds 0.2 \
        --enable-seconds 2 > /tmp/selftest.log 2>&1 &
    p=$!
    steps=0; enabled=0; i=0
    while [ "$i" -lt 400 ] && kill -0 "$p" 2>/dev/null; do
        [ "$(sim_value "$STEP")" = 1 ] && steps=$((steps + 1))
        [ "$(sim_value "$ENABLE")" != "$ENABLE_DISABLED" ] && enabled=$((enabled + 1))
        usleep 50000; i=$((i + 1))
    done
    wait $p; rc=$?
    e=$(sim_value "$ENABLE"); h=$(held)
    if [ "$rc" = 0 ] && [ "$steps" -gt 0 ] && [ "$enabled" -gt 0 ] && [ "$h" = 0 ] && [ "$e" = "$ENABLE_DISABLED" ] \
        && grep -q "driver enabled on the operator's yes" /tmp/selftest.log; then
        check selftest-confirmed PASS "STEP high in $steps and ENABLE enabled in $enabled of $i samples 50 ms apart; then $h lines held"
    else
        check selftest-confirmed FAIL "exit $rc, STEP high $steps, ENABLE enabled $enabled of $i, held $h: $(tail -2 /tmp/selftest.log | tr '\n' ' ')"
    fi
}

# refused NAME TEXT: `inputs` with /tmp/edited.yaml exits 3 with TEXT in its error
# and holds no line.
refused() {
    out=$($FW inputs --board /tmp/edited.yaml 2>&1); rc=$?
    h=$(held)
    if [ "$rc" = 3 ] && [ "$h" = 0 ] && echo "$out" | grep -qF "$2"; then
        check "$1" PASS "exit 3: $(echo "$out" | grep -oF "$2" | head -1)"
    else
        check "$1" FAIL "exit $rc, $h held: $(echo "$out" | tail -2 | tr '\n' ' ')"
    fi
}

# Starts `run` with ENABLE pulled to the *enabled* level, so only the firmware's own
# request can make it read "disabled".
start_run() {
    enable_pulled_enabled
    rm -f /tmp/ledger
    $FW new-session --ledger /tmp/ledger > /dev/null   # a run needs a ledger a new session wrote
    $FW run --config "$CONFIG" --board "$BOARDFILE" --host-link pty --priority 0 --no-mlock \
        --ledger /tmp/ledger --seconds 300 --log-level notice > /tmp/run.log 2>&1 &
    RUN=$!
    wait_held "$NLINES" "$RUN"
}

# The levels the request itself sets (checked while `inputs` holds the lines: the
# same BoardLines request as `run`, without a controller that may drive them next).
check_enable_at_request() {
    e=$(sim_value "$ENABLE"); s=$(sim_value "$STEP"); d=$(sim_value "$DIR")
    if [ "$e" = "$ENABLE_DISABLED" ] && [ "$s" = 0 ] && [ "$d" = "$FORWARD_LEVEL" ]; then
        check enable-at-request PASS "ENABLE=$e (disabled) STEP=$s DIR=$d while ENABLE is pulled to enabled"
    else
        check enable-at-request FAIL "ENABLE=$e STEP=$s DIR=$d"
    fi
}

enable_pulled_enabled() { pull "$ENABLE" "$([ "$ENABLE_DISABLED" = 1 ] && echo pull-down || echo pull-up)"; }

# check_release NAME SIGNAL EXIT: `run` holds the lines; after SIGNAL it exits with
# EXIT, holds none, and ENABLE reads its pull again (the kernel stopped driving it).
check_release() {
    if ! start_run; then
        check "$1" FAIL "firmware did not hold $NLINES lines: $(tail -2 /tmp/run.log | tr '\n' ' ')"
        kill -9 "$RUN" 2>/dev/null; wait "$RUN" 2>/dev/null
        return
    fi
    pump_running=$(pump_levels 40)
    kill -"$2" "$RUN"; wait "$RUN"; rc=$?
    pump_stopped=$(pump_levels 10)
    e=$(sim_value "$ENABLE"); h=$(held)
    if [ "$rc" = "$3" ] && [ "$h" = 0 ] && [ "$e" != "$ENABLE_DISABLED" ]; then
        check "$1" PASS "exit $rc, $h lines held, ENABLE back to its pull ($e)"
    else
        check "$1" FAIL "exit $rc, $h lines held, ENABLE=$e: $(tail -1 /tmp/run.log)"
    fi
    # After SIGTERM the run's summary names one sampling thread for the ADC, found by its
    # name, with every channel the board reads (pressure, and the pot where fitted).
    if [ "$2" = TERM ]; then
        channels=$((1 + POSITION))
        if grep -q "sensors on iio:device0: $channels channels in one thread" /tmp/run.log; then
            check adc-one-thread PASS "$(grep -o 'sensors on .*' /tmp/run.log | head -1)"
        else
            check adc-one-thread FAIL "$(grep -c 'sensors on' /tmp/run.log) sampler lines: $(tail -1 /tmp/run.log)"
        fi
    fi
    # The charge pump toggles while the loop runs and is still once it is gone: its
    # monostable then times out whatever the kernel does with the released line.
    [ -n "$CHGPUMP" ] || return
    if [ "$pump_running" = "0 1" ] && [ "${pump_stopped#* }" = "$pump_stopped" ]; then
        check "charge-pump-$1" PASS "both levels in 40 samples while running, only $pump_stopped after SIG$2"
    else
        check "charge-pump-$1" FAIL "levels while running: $pump_running; after SIG$2: $pump_stopped"
    fi
}

# pump_levels N: the distinct levels of the charge-pump line in N samples 10 ms apart.
pump_levels() {
    seen=""
    i=0; while [ "$i" -lt "$1" ]; do seen="$seen $(sim_value "$CHGPUMP")"; usleep 10000; i=$((i + 1)); done
    echo $seen | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# inputs NAME "line=pull ..." "role=activation ...": the firmware's switch table
# after the pulls are set while it holds the lines.
check_inputs() {
    enable_pulled_enabled
    $FW inputs --board "$BOARDFILE" --hold-seconds 3 > /tmp/inputs.log 2>&1 &
    p=$!
    if ! wait_held "$NLINES" "$p"; then check "$1" FAIL "inputs did not hold the lines: $(tail -1 /tmp/inputs.log)"; wait $p; return; fi
    [ "$1" = inputs-open ] && check_enable_at_request
    for lp in $2; do pull "${lp%%=*}" "${lp#*=}"; done
    wait $p; rc=$?
    bad=""
    for ra in $3; do
        grep -q "^input ${ra%%=*} line [0-9]* level [a-z]* ${ra#*=}\$" /tmp/inputs.log || bad="$bad ${ra%%=*}"
    done
    if [ "$rc" = 0 ] && [ -z "$bad" ]; then check "$1" PASS "$(grep -c '^input ' /tmp/inputs.log) switches as pulled; $(sed -n 1p /tmp/inputs.log | sed 's/.*debounce/debounce/')"
    else check "$1" FAIL "exit $rc, wrong:$bad"; fi
}

# log_count TEXT: lines of the run log holding TEXT.
log_count() { grep -c "$1" /tmp/run.log; }
# wait_log TEXT N SECONDS: until the run log holds TEXT N times.
wait_log() {
    n=0
    while [ "$(log_count "$1")" -lt "$2" ]; do
        [ "$n" -ge $(($3 * 10)) ] && return 1
        usleep 100000; n=$((n + 1))
    done
}
# ENABLE's level every 50 ms for $1 samples: prints "first last count" of the samples at
# the enabled level (sample numbers from 1; 0 0 0 if none).
watch_enable() {
    i=1; first=0; last=0; count=0
    while [ "$i" -le "$1" ]; do
        if [ "$(sim_value "$ENABLE")" != "$ENABLE_DISABLED" ]; then
            [ "$first" = 0 ] && first=$i; last=$i; count=$((count + 1))
        fi
        usleep 50000; i=$((i + 1))
    done
    echo "$first $last $count"
}

# The e-stop through gpio-sim's pull reaches the controller (its state changes are
# logged), a local reset with the e-stop closed leaves e-stopped, a second e-stop
# (pulled open) is seen again; then ENABLE must end disabled and stay so.
check_estop() {
    if ! start_run; then check estop-reaches-controller FAIL "firmware did not start"; kill -9 "$RUN" 2>/dev/null; wait "$RUN"; return; fi
    stopped="→ e-stopped (e-stop)"
    wait_log "$stopped" 1 30
    pull "$ESTOP" pull-down; pull "$RESET" pull-down
    wait_log "e-stopped →" 1 30; reset=$?
    pull "$RESET" pull-up
    n=0; while [ "$(sim_value "$ENABLE")" != "$ENABLE_DISABLED" ] && [ "$n" -lt 300 ]; do usleep 100000; n=$((n + 1)); done
    pull "$ESTOP" pull-up
    set -- $(watch_enable 60)
    wait_log "$stopped" 2 10; again=$?
    tail_disabled=$(watch_enable 20)
    kill -TERM "$RUN"; wait "$RUN"
    if [ "$reset" = 0 ] && [ "$again" = 0 ]; then
        check estop-reaches-controller PASS "$(log_count "$stopped") e-stops and $(log_count "e-stopped →") reset seen by the controller"
    else
        check estop-reaches-controller FAIL "e-stops seen $(log_count "$stopped"), resets $(log_count "e-stopped →"): $(tail -1 /tmp/run.log)"
    fi
    if [ "$tail_disabled" = "0 0 0" ]; then
        check enable-off-after-estop PASS "ENABLE disabled from $(( $2 * 50 )) ms after the e-stop and for the 1 s checked after it"
    else
        check enable-off-after-estop FAIL "ENABLE still enabled 3 s after the e-stop"
    fi
    # An e-stop disables the driver in the tick it is seen: no relief moves the motor
    # after it (the e-stop's second pole cuts the motor's power in hardware anyway).
    if [ "$3" = 0 ]; then
        check enable-within-a-tick-of-estop PASS "ENABLE never seen enabled after the e-stop (sampled every 50 ms)"
    else
        check enable-within-a-tick-of-estop FAIL "ENABLE at the enabled level in $3 samples (50 ms apart) after the e-stop, samples $1–$2"
    fi
}

check_busy() {
    gpioset --mode=signal "$CHIP" "$STEP=0" &
    gs=$!
    n=0; while [ "$n" -lt 50 ] && ! gpioinfo "$CHIP" | grep -q '"gpioset"'; do usleep 100000; n=$((n + 1)); done
    out=$($FW inputs --board "$BOARDFILE" 2>&1); rc=$?
    h=$(held)
    kill "$gs"; wait "$gs" 2>/dev/null
    if [ "$rc" = 3 ] && [ "$h" = 0 ] && echo "$out" | grep -q "line $STEP (STEP) is held by \"gpioset\""; then
        check busy-line-refused PASS "exit 3: $(echo "$out" | grep -o 'Device or resource busy.*held by "gpioset"' | head -1)"
    else
        check busy-line-refused FAIL "exit $rc, $h held: $(echo "$out" | tail -1)"
    fi
}

# --- Hardware in the loop over the guest's 8250 UARTs ------------------------------
# run.sh gives qemu two more 16550A UARTs, ttyS1 (0x2f8, irq 3) and ttyS2 (0x3e8, irq 4),
# each wired to a host pty. The firmware runs its sim link on ttyS1 and its host link
# on ttyS2 through the kernel's 8250 driver and libserialport; on the host side
# `injector-sim serve --drive-procedure` plays plant and scripted host. The console
# carries the hand-shake: "TESTBED-HIL: ready" out, then a "hil-done" line in from
# run.sh once serve has printed its summary (run.sh judges that summary).
HIL_FW=/testbed/injector-firmware-v1
HIL_CONFIG=/testbed/hil-config.yaml   # the shipped configuration at run.sh's HIL tick rate
HIL_BAUD=115200
HIL_LINKS="/dev/ttyS1 /dev/ttyS2"
HIL_SECONDS=${HIL_SECONDS:-240}   # the firmware's own stop, should run.sh never answer
HIL_WAIT=${HIL_WAIT:-200}         # seconds to wait for run.sh's "hil-done" (serve stops itself at 120 s)

# wait_file FILE TEXT SECONDS PID: until FILE holds TEXT (1 if PID exits or time runs out).
wait_file() {
    n=0
    while ! grep -q "$2" "$1" 2>/dev/null; do
        kill -0 "$4" 2>/dev/null || return 1
        [ "$n" -ge $(($3 * 10)) ] && return 1
        usleep 100000; n=$((n + 1))
    done
}

# Both links are 16550A ports of the 8250 driver (/proc/tty/driver/serial, sysfs).
check_uart_ports() {
    detail=""
    for tty in $HIL_LINKS; do
        n=${tty#/dev/ttyS}
        info=$(grep "^$n: " /proc/tty/driver/serial)
        driver=$(basename "$(readlink "/sys/class/tty/ttyS$n/device/driver")")
        if ! echo "$info" | grep -q "uart:16550A" || [ "$driver" != serial8250 ]; then
            check uart-ports FAIL "ttyS$n: driver '$driver', '$info'"
            return 1
        fi
        detail="$detail${detail:+; }ttyS$n $driver $(echo "$info" | grep -o 'uart:[^ ]* port:[^ ]* irq:[^ ]*')"
    done
    check uart-ports PASS "$detail"
}

# The firmware opened both ttys through libserialport: only its SerialPortLink takes the
# flock (/proc/locks: pid and inode), and the port is raw at HIL_BAUD (stty).
check_uart_opened() {
    detail=""
    for tty in $HIL_LINKS; do
        inode=$(stat -c %i "$tty")
        settings=$(stty -F "$tty" -a 2>&1)
        if ! grep -Eq "FLOCK +ADVISORY +WRITE +$HIL_RUN +[0-9a-f]+:[0-9a-f]+:$inode " /proc/locks; then
            check uart-libserialport FAIL "$tty (inode $inode) not locked by the firmware: $(cat /proc/locks | tr '\n' ';')"
            return 1
        fi
        if ! echo "$settings" | grep -q "speed $HIL_BAUD baud" || ! echo "$settings" | grep -q -- "-icanon"; then
            check uart-libserialport FAIL "$tty not raw at $HIL_BAUD: $(echo "$settings" | head -2 | tr '\n' ' ')"
            return 1
        fi
        detail="$detail${detail:+, }$tty"
    done
    check uart-libserialport PASS "$detail flocked by the firmware (pid $HIL_RUN), raw, $HIL_BAUD baud"
}

# The firmware's own account after run.sh's serve ended: exit 0 on SIGTERM, the host's
# commands applied, the states it went through (serve's summary is judged on the host).
check_hil_firmware() {
    kill -TERM "$HIL_RUN"; wait "$HIL_RUN"; rc=$?
    stopped=$(grep "stopped (" /tmp/hil.log | tail -1)
    commands=$(echo "$stopped" | sed -n 's/.* \([0-9]*\) commands,.*/\1/p')
    states=$(grep -o '→ [a-z-]*' /tmp/hil.log | sed 's/→ //' | tr '\n' ' ')
    if [ "$rc" = 0 ] && [ "${commands:-0}" -ge 4 ]; then
        check hil-firmware PASS "exit $rc, $commands commands applied; states: $states"
    else
        check hil-firmware FAIL "exit $rc, ${commands:-no} commands: $(tail -3 /tmp/hil.log | tr '\n' ' ')"
    fi
    echo "$stopped" | sed 's/^/TESTBED-HIL: firmware /'
}

hil_over_uarts() {
    BOARD=uart-hil; FW=$HIL_FW
    VERSION=$($FW chips 2>/dev/null | sed -n 's/^libgpiod \([^ ]*\) .*/\1/p')
    if ! check_uart_ports; then echo "TESTBED-HIL: not ready (no UARTs)"; return; fi
    attempt=1
    while true; do
        $FW run --config "$HIL_CONFIG" --sim-link /dev/ttyS1 --host-link /dev/ttyS2 --baud "$HIL_BAUD" \
            --seconds "$HIL_SECONDS" --log-level notice > /tmp/hil.log 2>&1 &
        HIL_RUN=$!
        if ! wait_file /tmp/hil.log "running;" "$WAIT" "$HIL_RUN"; then
            check uart-libserialport FAIL "firmware did not start: $(tail -2 /tmp/hil.log | tr '\n' ' ')"
            echo "TESTBED-HIL: not ready (firmware)"; kill -9 "$HIL_RUN" 2>/dev/null; wait "$HIL_RUN"; return
        fi
        [ "$attempt" = 1 ] && check_uart_opened
        echo "TESTBED-HIL: ready attempt $attempt sim-link /dev/ttyS1 host-link /dev/ttyS2 baud $HIL_BAUD"
        reply=""
        read -t "$HIL_WAIT" reply
        case "$reply" in
            hil-done*) check_hil_firmware; return ;;
            # The host judged this attempt failed and tries once more with a new firmware.
            hil-retry*) kill -TERM "$HIL_RUN"; wait "$HIL_RUN"
                        echo "TESTBED-HIL: firmware of attempt $attempt stopped for a retry ($reply)" ;;
            *) check hil-firmware FAIL "no hil-done from run.sh within $HIL_WAIT s ('$reply')"
               kill -TERM "$HIL_RUN"; wait "$HIL_RUN"; return ;;
        esac
        attempt=$((attempt + 1))
    done
}

echo "TESTBED: kernel $(uname -r), $(ls /testbed/boards | wc -l) boards"
for BOARDFILE in /testbed/boards/*.yaml; do
    unset BUZZER CHGPUMP DRVFAULT DRVFAULT_LEVEL
    . "${BOARDFILE%.yaml}.env"
    NLINES=11; [ -z "$BUZZER" ] && NLINES=10
    [ -n "$CHGPUMP" ] && NLINES=$((NLINES + 1))
    # The driver's fault line (nFAULT / DIAG), if the board wires it: pulled to its
    # quiet level it reads inactive, to its fault level active.
    FAULT_QUIET=""; FAULT_FLAGGED=""; FAULT_QUIET_READ=""; FAULT_FLAGGED_READ=""
    if [ -n "$DRVFAULT" ]; then
        NLINES=$((NLINES + 1))
        if [ "$DRVFAULT_LEVEL" = 1 ]; then q=pull-down; f=pull-up; else q=pull-up; f=pull-down; fi
        FAULT_QUIET="$DRVFAULT=$q"; FAULT_FLAGGED="$DRVFAULT=$f"
        FAULT_QUIET_READ="driverFault=inactive"; FAULT_FLAGGED_READ="driverFault=active"
    fi
    make_decoy
    make_bank
    iio_for_board
    for FW in /testbed/injector-firmware-v1 /testbed/injector-firmware-v2; do
        [ -x "$FW" ] || continue
        API=${FW##*-v}
        VERSION=$($FW chips 2>/dev/null | sed -n 's/^libgpiod \([^ ]*\) .*/\1/p')
        # A Pi 5 board differs from its Pi 4 twin only in its chip (label, line count,
        # number): the selftest, run, release and e-stop checks, the slow ones under
        # TCG, run on the Pi 4 boards.
        FULL=1; case "$BOARD" in rpi5-*) FULL=0 ;; esac
        check_chips
        check_labels
        check_validate
        [ "$FULL" = 1 ] && check_selftest
        [ "$FULL" = 1 ] && check_release sigterm-releases TERM 0
        [ "$FULL" = 1 ] && check_release sigkill-releases KILL 137
        # Contacts open (pulled up) but the leak stop's: e-stop active (normally closed),
        # the pedal and the other stops inactive.
        check_inputs inputs-open "$ESTOP=pull-up $PEDAL=pull-up $PQSTOP=pull-up $LEAKSTOP=pull-down $FWDEND=pull-up $REAREND=pull-up $RESET=pull-up $FAULT_QUIET" \
            "eStop=active enable=inactive posteriorQuarterStop=inactive leakSeenStop=active forwardEndOfTravel=inactive rearEndOfTravel=inactive localReset=inactive $FAULT_QUIET_READ"
        # Contacts closed (pulled down), except the leak stop.
        check_inputs inputs-closed "$ESTOP=pull-down $PEDAL=pull-down $PQSTOP=pull-down $LEAKSTOP=pull-up $FWDEND=pull-down $REAREND=pull-down $RESET=pull-down $FAULT_FLAGGED" \
            "eStop=inactive enable=active posteriorQuarterStop=active leakSeenStop=inactive forwardEndOfTravel=active rearEndOfTravel=active localReset=active $FAULT_FLAGGED_READ"
        [ "$FULL" = 1 ] && check_busy
        [ "$FULL" = 1 ] && check_estop
    done
    remove_bank
    remove_decoy
done
hil_over_uarts
echo "TESTBED: $passed passed, $failed failed"
reboot -f
