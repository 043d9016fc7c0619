import InjectorCore
import InjectorProtocol

/// SplitMix64: a tiny, seedable generator, so that every random frame in these tests
/// is reproducible from the seed printed on failure.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds random, valid messages of every type, with values the wire carries
/// exactly (thousandths for scaled fields), so that a round trip must be the identity.
struct MessageFactory {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func pick<T: CaseIterable>(_: T.Type) -> T { T.allCases.randomElement(using: &rng)! }
    mutating func milli() -> Double { Double(Int32.random(in: -Int32.max...Int32.max, using: &rng)) / 1000 }
    mutating func instant() -> Instant { Instant(nanoseconds: Int64.random(in: .min ... .max, using: &rng)) }
    mutating func magnitude() -> Double { Double.random(in: CommandArguments.magnitudeRange, using: &rng) }
    mutating func fraction() -> Double { Double.random(in: 0...1, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func sequence() -> SequenceNumber { SequenceNumber(UInt16.random(in: .min ... .max, using: &rng)) }
    mutating func interval() -> Interval? {
        bool() ? nil : Interval(nanoseconds: Int64.random(in: 0...Int64(Int32.max), using: &rng) * 1_000_000)
    }

    mutating func frame(_ type: MessageType) -> Frame {
        let flags: FrameFlags = type.isReliable && bool() ? .retransmission : []
        return Frame(message(type), sequence: sequence(), acknowledgement: sequence(), flags: flags)
    }

    mutating func anyFrame() -> Frame { frame(pick(MessageType.self)) }

    mutating func message(_ type: MessageType) -> Message {
        switch type {
        case .identifyRequest: .identifyRequest
        case .identifyResponse: .identifyResponse(identity())
        case .heartbeat: .heartbeat(Heartbeat(time: instant(), framesDropped: .random(in: 0...UInt32.max, using: &rng)))
        case .command: .command(command())
        case .ack: .ack(CommandCode.allCases.dropFirst().randomElement(using: &rng)!)
        case .nak: .nak(nak())
        case .telemetry: .telemetry(telemetry())
        case .event: .event(event())
        case .status: .status(StatusReport(
            time: instant(), state: pick(InjectorState.self), stateReason: pick(Reason.self),
            relief: pick(ReliefPhase.self), cap: Microliters(milli()), committed: Microliters(milli()),
            delivered: Microliters(milli()), levelCommitted: Microliters(milli()),
            sessionCommitted: Microliters(milli())))
        case .simSensors: .simSensors(sensors())
        case .simActuators: .simActuators(actuators())
        }
    }

    mutating func identity() -> FirmwareIdentity {
        FirmwareIdentity(
            firmwareVersion: FirmwareVersion(major: .random(in: 0...255, using: &rng),
                                             minor: .random(in: 0...255, using: &rng),
                                             patch: .random(in: 0...255, using: &rng)),
            configurationHash: rng.next(),
            tickRate: Hertz(Double(UInt32.random(in: FirmwareIdentity.tickRateMilliHzRange, using: &rng)) / 1000),
            firstEventSequence: sequence())
    }

    mutating func nak() -> CommandNak {
        let code = CommandCode.allCases.dropFirst().randomElement(using: &rng)!
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return CommandNak(command: code, cause: .outOfSequence)
        case 1: return CommandNak(command: code, cause: .noSession)
        default: return CommandNak(command: code, cause: .refused(Refusal.allCases.dropFirst().randomElement(using: &rng)!))
        }
    }

    mutating func plan() -> ProcedurePlan {
        let region = pick(VertebralLevel.Region.self)
        let capacity: AnteriorCapacity = bool()
            ? .direct(Microliters(magnitude()))
            : .fromBody(bodyVolume: Microliters(magnitude()), anteriorFraction: fraction())
        return ProcedurePlan(
            level: VertebralLevel(region: region, number: CommandArguments.levelNumbers(region).randomElement(using: &rng)!),
            anteriorCapacity: capacity, fillFractionLimit: fraction(), approach: pick(PedicleApproach.self),
            perPedicleCap: Microliters(magnitude()))
    }

    mutating func command() -> HostCommand {
        switch CommandCode.allCases.dropFirst().randomElement(using: &rng)! {
        case .none, .configureProcedure: .configureProcedure(plan())
        case .cementMixed: .cementMixed
        case .cementMixedAgo: .cementMixedAgo(Interval(nanoseconds: Int64.random(in: 0...3_600_000_000_000, using: &rng)))
        case .prime: .prime
        case .arm: .arm
        case .disarm: .disarm
        case .start: .start
        case .pause: .pause
        case .resume: .resume(acknowledging: pick(Reason.self))
        case .stop: .stop(pick(StopIntent.self))
        case .release: .release
        case .setRate: .setRate(MicrolitersPerSecond(magnitude()))
        case .tightenCap: .tightenCap(Microliters(magnitude()))
        case .resetFault: .resetFault
        case .queryStatus: .queryStatus
        }
    }

    mutating func telemetry() -> TelemetryReport {
        TelemetryReport(
            time: instant(), state: pick(InjectorState.self), relief: pick(ReliefPhase.self),
            stateReason: pick(Reason.self), driver: pick(DriverEnable.self), alarm: pick(AlarmLevel.self),
            switches: SwitchInputs(bits: .random(in: 0...0x7F, using: &rng)),
            hazards: HazardFlags(rawValue: .random(in: 0...0x7FF, using: &rng)),
            stepPosition: Steps(Int64(Int32.random(in: -Int32.max...Int32.max, using: &rng))),
            pressure: Kilopascals(milli()), delivered: Microliters(milli()), committed: Microliters(milli()),
            cap: Microliters(milli()), plungerPosition: bool() ? nil : Microliters(milli()),
            commandedFlow: MicrolitersPerSecond(milli()), stepRate: StepsPerSecond(milli()),
            timeSinceMixing: interval(), hostSilence: interval(),
            releaseCycles: .random(in: 0...UInt16.max, using: &rng), eventsDropped: .random(in: 0...UInt16.max, using: &rng))
    }

    mutating func event() -> ControllerEvent {
        ControllerEvent(time: instant(), kind: pick(EventKind.self), reason: pick(Reason.self),
                        previousState: pick(InjectorState.self), state: pick(InjectorState.self),
                        command: pick(CommandCode.self), refusal: pick(Refusal.self),
                        value: Double.random(in: -1e9...1e9, using: &rng))
    }

    mutating func sensors() -> SimulatedSensors {
        let fitted = bool(), twin = bool()
        return SimulatedSensors(
            sampleTime: instant(), pressure: Kilopascals(milli()), pressureStatus: pick(SampleStatus.self),
            plungerPosition: fitted ? Microliters(milli()) : nil, plungerStatus: pick(SampleStatus.self),
            pressureTwin: twin ? Kilopascals(milli()) : nil, pressureTwinStatus: pick(SampleStatus.self),
            switches: SwitchInputs(bits: .random(in: 0...0x7F, using: &rng)))
    }

    mutating func actuators() -> SimulatedActuators {
        SimulatedActuators(time: instant(), stepPosition: Steps(Int64.random(in: .min ... .max, using: &rng)),
                           stepRate: StepsPerSecond(Double.random(in: -1e6...1e6, using: &rng)),
                           driver: pick(DriverEnable.self), alarm: pick(AlarmLevel.self))
    }
}
