# Sourced by run.sh: the host side of the hardware-in-the-loop check over the guest's
# 8250 UARTs (guest-init.sh, "Hardware in the loop"). qemu wires the guest's ttyS1 and
# ttyS2 to host ptys; once the guest prints "TESTBED-HIL: ready" (its firmware holds
# both ttys), `injector-sim serve --drive-procedure` plays plant on the first and the
# scripted host on the second, its summary is judged here (CHECK lines in $hil_checks),
# and "hil-done" on the console lets the guest stop its firmware.
# Uses run.sh's $log (console), $qemu (its pid), $work, $repo, and fd 3 (console input).
hil_source_scenario="${TESTBED_HIL_SCENARIO:-simulator/scenarios/07-venous-leak.yaml}"
hil_baud=115200
# The shipped configuration at 250 Hz instead of 1 kHz, in the guest and in the scenario
# (serve ticks at the scenario's controller rate). At 1 kHz the TCG guest managed about
# 430 ticks/s (19 860 overruns in 37 975 ticks, a 1 kHz SimActuators stream of 39 kB/s
# is 3.4 times what 115 200 baud carries), and priming misjudged the needle's fill.
# At 250 Hz: SimActuators 39 bytes × 250/s = 98 kbit/s, SimSensors 32 × 250/s = 80 kbit/s
# (8N1, 10 bits a byte), each under 115 200.
hil_tick_rate="250 Hz"
hil_sensor_every=1
hil_scenario="$work/hil-scenario.yaml"
# Serve begins this long before the scheduled start: mixing, 6 s of priming (0.9 mL at
# 150 µL/s) and arming fit with room for a slow guest (the default lead is 32 s).
hil_lead=12
# SCHED_FIFO for serve and, while it runs, for qemu's threads, serve above qemu (at one
# priority qemu's busy vCPU thread held serve off for up to 69 ms). On a machine shared
# with builds a late serve tick moves the plant by several ticks' steps at once, and
# the pressure spike misleads priming's fill watch ("needle filled at a volume unlike
# its configured dead volume": arm refused). Best effort: without the privilege the
# check runs at normal priority (and says so).
hil_serve_rt=20
hil_qemu_rt=10
# serve's own cap on wall time: the procedure takes about 45 s (12 s lead, ~20 s of
# injection to the leak, the 10 s tail), so a stalled one ends well inside the qemu timeout.
hil_serve_seconds="${TESTBED_HIL_SECONDS:-120}"
hil_ready_wait="${TESTBED_HIL_WAIT:-$timeout_s}"   # the GPIO checks come first
hil_checks="$work/hil-checks"
hil_retries="$work/hil-retries"
hil_serve_log="${TESTBED_HIL_LOG:-$repo/.build/testbed-hil-serve.log}"
: > "$hil_checks"; : > "$hil_retries"

# hil_prepare GUEST_CONFIG: the guest's configuration and the served scenario, both the
# shipped ones with the tick rate above (the same configuration, so the same hash).
hil_prepare() {
    local shipped="$repo/hardware/configs/lumbar-10ml-11g.yaml"
    sed "s/^tickRate: .*/tickRate: $hil_tick_rate/" "$shipped" > "$1"
    grep -qx "tickRate: $hil_tick_rate" "$1" || { echo "testbed: no tickRate line in $shipped" >&2; exit 2; }
    sed -e "s|^  extends: .*lumbar-10ml-11g.yaml\$|  extends: $(realpath --relative-to="$work" "$shipped")\n  tickRate: $hil_tick_rate|" \
        "$repo/$hil_source_scenario" > "$hil_scenario"
    grep -qx "  tickRate: $hil_tick_rate" "$hil_scenario" || { echo "testbed: $hil_source_scenario does not extend $shipped" >&2; exit 2; }
}

# Each attempt's CHECK lines go to $hil_attempt_checks; the kept attempt's are copied
# to $hil_checks (what run.sh counts).
hil_attempt_checks="$work/hil-attempt-checks"
hil_check() { echo "CHECK uart-hil | host | $1 | $2${3:+ | $3}" >> "$hil_attempt_checks"; }
# Attempts of the whole procedure: a second one when the first fails its checks. On a
# machine shared with builds a late serve tick can mislead priming or the leak watch
# (below); the first attempt's failures are printed (TESTBED-HIL lines), never dropped.
hil_attempts="${TESTBED_HIL_ATTEMPTS:-2}"

# console_wait REGEX SECONDS: until the console log holds REGEX; 1 if qemu ended first
# or the time ran out.
console_wait() {
    local n=0
    until tr -d '\r' < "$log" | grep -qE "$1"; do
        kill -0 "$qemu" 2>/dev/null || return 1
        [ "$n" -ge $(( $2 * 5 )) ] && return 1
        sleep 0.2; n=$((n + 1))
    done
}

# pty_of LABEL: the host pty qemu wired to serial LABEL ("char device redirected to
# /dev/pts/N (label serial1)").
pty_of() { tr -d '\r' < "$log" | sed -n "s|.*redirected to \(/dev/pts/[0-9]*\) (label $1).*|\1|p" | head -1; }

# summary_field NAME: the text after "NAME:" in serve's summary.
summary_field() { sed -n "s/^  $1: *//p" "$hil_serve_log" | head -1; }

# hil_set_qemu_priority POLICY PRIORITY: chrt every thread of the qemu under timeout (its
# child, found through /proc: no procps needed).
hil_set_qemu_priority() {
    local pid
    pid="$(grep -lx "PPid:[[:space:]]*$qemu" /proc/[0-9]*/status 2>/dev/null | head -1 | cut -d/ -f3 || true)"
    if [ -n "$pid" ] && chrt -a "$1" -p "$2" "$pid" 2>/dev/null; then return 0; fi
    stamp "chrt $1 $2 on qemu ${pid:-(not found)} failed: the HIL check runs at normal priority"
    return 1
}

hil_host() {
    local attempt=1
    while true; do
        : > "$hil_attempt_checks"
        hil_attempt "$attempt"
        if ! grep -vq '| PASS' "$hil_attempt_checks" || [ "$attempt" -ge "$hil_attempts" ] \
            || [ -n "${hil_no_retry:-}" ]; then
            cat "$hil_attempt_checks" >> "$hil_checks"
            [ -n "${hil_no_retry:-}" ] || echo hil-done >&3
            return
        fi
        sed "s/^CHECK uart-hil | host | /TESTBED-HIL: attempt $attempt failed: /" "$hil_attempt_checks" | grep -v '| PASS' \
            | tee -a "$hil_retries" >&2
        echo "hil-retry after attempt $attempt" >&3
        attempt=$((attempt + 1))
    done
}

# hil_attempt N: waits for the guest's "ready attempt N", serves the procedure, judges it.
hil_attempt() {
    hil_no_retry=""
    if ! console_wait "^TESTBED-HIL: (ready attempt $1|not ready)" "$hil_ready_wait" \
        || tr -d '\r' < "$log" | grep -q '^TESTBED-HIL: not ready'; then
        hil_check procedure FAIL "the guest never reported its UART links ready (attempt $1)"
        hil_no_retry=1
        return
    fi
    local sim_pty host_pty rc started
    sim_pty="$(pty_of serial1)"; host_pty="$(pty_of serial2)"
    if [ -z "$sim_pty" ] || [ -z "$host_pty" ]; then
        hil_check procedure FAIL "qemu printed no pty for serial1/serial2"
        return
    fi
    stamp "guest firmware on ttyS1/ttyS2; serving $(basename "$hil_source_scenario") at $hil_tick_rate on $sim_pty, host on $host_pty"
    local rt=(chrt -f "$hil_serve_rt")
    hil_set_qemu_priority -f "$hil_qemu_rt" || rt=()
    started=$(date +%s)
    set +e
    "${rt[@]}" "$repo/.build/debug/injector-sim" serve --scenario "$hil_scenario" --port "$sim_pty" \
        --baud "$hil_baud" --host-link "$host_pty" --drive-procedure --lead "$hil_lead" \
        --sensor-every "$hil_sensor_every" --seconds "$hil_serve_seconds" > "$hil_serve_log" 2>&1
    rc=$?
    set -e
    hil_set_qemu_priority -o 0 || true
    stamp "serve attempt $1 exit $rc after $(( $(date +%s) - started )) s (summary in $hil_serve_log)"
    hil_judge "$rc"
}

# The summary against what the procedure must show: it finished, every command was
# accepted, frames went both ways with no decoder drop, and the firmware's last state
# is the scenario's expected one (its expect: finalState / stoppedFor).
hil_judge() {
    local ended commands decoder hostdec actuators firmware
    ended="$(summary_field ended)"; commands="$(summary_field commands)"
    decoder="$(summary_field decoder)"; hostdec="$(summary_field 'host link')"
    actuators="$(summary_field actuators)"; firmware="$(summary_field firmware)"
    if [ "$1" = 0 ] && echo "$ended" | grep -q '^procedure finished'; then
        hil_check procedure PASS "$ended"
    else
        hil_check procedure FAIL "serve exit $1: ${ended:-$(tail -3 "$hil_serve_log" | tr '\n' ' ')}"
    fi
    local sent accepted
    sent="$(echo "$commands" | sed -n 's/^\([0-9]*\) sent.*/\1/p')"
    accepted="$(echo "$commands" | sed -n 's/.* \([0-9]*\) accepted.*/\1/p')"
    if [ -n "$sent" ] && [ "$sent" -ge 4 ] && [ "$sent" = "$accepted" ] && echo "$commands" | grep -q ' 0 refused, 0 failed'; then
        hil_check commands-accepted PASS "$commands"
    else
        hil_check commands-accepted FAIL "${commands:-no commands line}"
    fi
    local heard
    heard="$(echo "$actuators" | sed -n 's/^\([0-9]*\) SimActuators.*/\1/p')"
    if [ "${heard:-0}" -gt 0 ] && echo "$decoder" | grep -q ' 0 dropped ' && echo "$hostdec" | grep -q ' 0 dropped '; then
        hil_check frames PASS "$actuators; sim link: $decoder; host link: $hostdec"
    else
        hil_check frames FAIL "actuators: ${actuators:-none}; sim link: ${decoder:-?}; host link: ${hostdec:-?}"
    fi
    # The scenario's expect: finalState against the firmware's last Telemetry, stoppedFor
    # against the state changes serve logged (a stop the host then finishes still counts,
    # as in lockstep). The file names a reason by its case (leakSuspected), the firmware by
    # its description ("leak suspected (pressure drop)"): the case's words must appear.
    local state reason stops problem=""
    state="$(sed -n 's/^  finalState: *//p' "$hil_scenario" | head -1)"
    reason="$(sed -n 's/^  stoppedFor: *//p' "$hil_scenario" | head -1 | sed 's/\([A-Z]\)/ \L\1/g')"
    stops="$(sed -n 's/.* state-changed \([a-zA-Z-]* → [a-zA-Z-]* (.*)\)$/\1/p' "$hil_serve_log" | awk '!seen[$0]++' | tr '\n' ';')"
    [ -n "$state$reason" ] || problem="the scenario expects neither a final state nor a stop"
    [ -z "$state" ] || echo "$firmware" | grep -q "^$state " || problem="final state not $state"
    [ -z "$reason" ] || echo "$stops" | grep -q "→ [a-zA-Z-]* ([^;]*$reason" || problem="no stop for $reason"
    # A scenario that times the stop after its leak opens needs the leak to have opened:
    # a pause for a suspected leak with none in the plant answered link jitter, not cement.
    local leaked
    leaked="$(sed -n 's/^ *leaked \([0-9.]*\) µL (vein.*/\1/p' "$hil_serve_log" | head -1)"
    if grep -q '^  stopAfterLeakWithin:' "$hil_scenario" && ! awk -v l="${leaked:-0}" 'BEGIN { exit !(l > 0) }'; then
        problem="${problem:+$problem; }the stop came with no leak open in the plant (${leaked:-no} µL leaked)"
    fi
    if [ -z "$problem" ]; then
        hil_check expected-stop PASS "stops: ${stops%;}; last: ${firmware%%, its*} (scenario: ${state:-any final state}, stopped for ${reason:-anything})"
    else
        hil_check expected-stop FAIL "$problem; stops: ${stops:-none}; last: ${firmware:-no telemetry}"
    fi
}
