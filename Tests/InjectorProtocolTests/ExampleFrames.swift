import InjectorCore
import InjectorProtocol

/// The worked examples of docs/protocol.md, by name. The document test checks that
/// each one appears there with exactly these bytes; the fuzzer starts from them.
enum ExampleFrames {
    static let plan = ProcedurePlan(
        level: VertebralLevel(region: .lumbar, number: 1),
        anteriorCapacity: .fromBody(bodyVolume: .milliliters(30), anteriorFraction: 0.25),
        fillFractionLimit: 0.6, approach: .bipedicular, perPedicleCap: .milliliters(1.5))

    static let identity = FirmwareIdentity(
        firmwareVersion: FirmwareVersion(major: 1, minor: 2, patch: 3),
        configurationHash: 0x0123_4567_89AB_CDEF, tickRate: Hertz(1000), firstEventSequence: SequenceNumber(1))

    static let telemetry = TelemetryReport(
        time: Instant(nanoseconds: 250_000_000_000), state: .injecting, relief: .none, stateReason: .none,
        driver: .enabled, alarm: .off, switches: SwitchInputs(enable: .active),
        hazards: [.consistencyCheckPassed, .leakWatchArmed], stepPosition: Steps(51_200),
        pressure: Kilopascals(1700), delivered: Microliters(1234.5), committed: Microliters(1250),
        cap: Microliters(3000), plungerPosition: Microliters(1240.125), commandedFlow: MicrolitersPerSecond(66.667),
        stepRate: StepsPerSecond(2812.5), timeSinceMixing: .seconds(240), hostSilence: .milliseconds(12),
        releaseCycles: 3, eventsDropped: 0)

    static let event = ControllerEvent(
        time: Instant(nanoseconds: 180_000_000_000), kind: .stateChanged, reason: .hostStart,
        previousState: .armed, state: .injecting, command: .start)

    static let sensors = SimulatedSensors(
        sampleTime: Instant(nanoseconds: 1_000_000), pressure: Kilopascals(1700.25), pressureStatus: .valid,
        plungerPosition: Microliters(1240.125), plungerStatus: .valid,
        switches: SwitchInputs(enable: .active))

    static let sensorsWithTwin = SimulatedSensors(
        sampleTime: Instant(nanoseconds: 1_000_000), pressure: Kilopascals(1700.25), pressureStatus: .valid,
        plungerPosition: nil, pressureTwin: Kilopascals(1731.5), pressureTwinStatus: .valid,
        switches: SwitchInputs(enable: .active))

    static let actuators = SimulatedActuators(
        time: Instant(nanoseconds: 1_000_000), stepPosition: Steps(51_200), stepRate: StepsPerSecond(2812.5),
        driver: .enabled, alarm: .off)

    static let status = StatusReport(
        time: Instant(nanoseconds: 250_000_000_000), state: .paused, stateReason: .leakSeen, relief: .dwelling,
        cap: Microliters(3000), committed: Microliters(1250), delivered: Microliters(1234.5),
        levelCommitted: Microliters(1750), sessionCommitted: Microliters(4250))

    static func command(_ c: HostCommand, _ seq: UInt16) -> Frame {
        Frame(.command(c), sequence: SequenceNumber(seq), acknowledgement: SequenceNumber(0))
    }

    static let all: [(name: String, frame: Frame)] = [
        ("identify-request", Frame(.identifyRequest, sequence: SequenceNumber(0))),
        ("identify-response", Frame(.identifyResponse(identity), sequence: SequenceNumber(0),
                                    acknowledgement: SequenceNumber(0))),
        ("heartbeat", Frame(.heartbeat(Heartbeat(time: Instant(nanoseconds: 1_500_000_000), framesDropped: 2)),
                            sequence: SequenceNumber(7), acknowledgement: SequenceNumber(0))),
        ("command-configure-procedure", command(.configureProcedure(plan), 1)),
        ("command-cement-mixed", command(.cementMixed, 2)),
        ("command-cement-mixed-ago", command(.cementMixedAgo(.seconds(420)), 15)),
        ("command-prime", command(.prime, 3)),
        ("command-arm", command(.arm, 4)),
        ("command-disarm", command(.disarm, 5)),
        ("command-start", command(.start, 6)),
        ("command-pause", command(.pause, 7)),
        ("command-resume", command(.resume(acknowledging: .leakSeen), 8)),
        ("command-stop", command(.stop(.leakSeen), 9)),
        ("command-release", command(.release, 10)),
        ("command-set-rate", command(.setRate(MicrolitersPerSecond(50)), 11)),
        ("command-tighten-cap", command(.tightenCap(.milliliters(2.5)), 12)),
        ("command-reset-fault", command(.resetFault, 13)),
        ("command-query-status", command(.queryStatus, 14)),
        ("command-retransmitted", Frame(.command(.queryStatus), sequence: SequenceNumber(14),
                                        acknowledgement: SequenceNumber(0), flags: .retransmission)),
        ("ack", Frame(.ack(.configureProcedure), sequence: SequenceNumber(3), acknowledgement: SequenceNumber(1))),
        ("nak-refused", Frame(.nak(CommandNak(command: .start, cause: .refused(.enableNotHeld))),
                              sequence: SequenceNumber(9), acknowledgement: SequenceNumber(6))),
        ("nak-out-of-sequence", Frame(.nak(CommandNak(command: .arm, cause: .outOfSequence)),
                                      sequence: SequenceNumber(10), acknowledgement: SequenceNumber(40))),
        ("command-invalid-argument", Frame(.invalidCommand(InvalidCommand(
            code: .setRate, field: 1, arguments: [0, 0, 0, 0, 0, 0, 0xF8, 0x7F])), sequence: SequenceNumber(16))),
        ("nak-invalid-argument", Frame(.nak(CommandNak(command: .setRate, cause: .invalidArgument(field: 1))),
                                       sequence: SequenceNumber(12), acknowledgement: SequenceNumber(16))),
        ("nak-busy", Frame(.nak(CommandNak(command: .queryStatus, cause: .busy)),
                           sequence: SequenceNumber(11), acknowledgement: SequenceNumber(18))),
        ("status", Frame(.status(status), sequence: SequenceNumber(0x1235), acknowledgement: SequenceNumber(14))),
        ("telemetry", Frame(.telemetry(telemetry), sequence: SequenceNumber(0x1234), acknowledgement: SequenceNumber(6))),
        ("event", Frame(.event(event), sequence: SequenceNumber(5), acknowledgement: SequenceNumber(6))),
        ("sim-sensors", Frame(.simSensors(sensors), sequence: SequenceNumber(100), acknowledgement: SequenceNumber(4))),
        ("sim-sensors-twin", Frame(.simSensors(sensorsWithTwin), sequence: SequenceNumber(101),
                                   acknowledgement: SequenceNumber(4))),
        ("sim-actuators", Frame(.simActuators(actuators), sequence: SequenceNumber(200),
                                acknowledgement: SequenceNumber(6))),
    ]
}
