import InjectorCore

/// Reads each message's payload, checking its exact length and every field's range.
/// It builds the whole message before returning, so a bad field drops the frame
/// with nothing of it applied.
enum PayloadDecoding {
    static func read(_ type: MessageType, _ payload: UnsafeRawBufferPointer) -> Result<Message, FrameError> {
        var r = WireReader(payload)
        switch type {
        case .identifyRequest:
            guard payload.isEmpty else { return .failure(.payloadLength) }
            return .success(.identifyRequest)
        case .identifyResponse:
            guard payload.count == 18 else { return .failure(.payloadLength) }
            return readIdentity(&r)
        case .heartbeat:
            guard payload.count == 12 else { return .failure(.payloadLength) }
            return .success(.heartbeat(Heartbeat(time: Instant(nanoseconds: r.i64()), framesDropped: r.u32())))
        case .command:
            return readCommand(&r)
        case .ack:
            guard payload.count == 1 else { return .failure(.payloadLength) }
            guard let code = CommandCode(rawValue: r.u8()), code != .none else { return .failure(.fieldOutOfRange) }
            return .success(.ack(code))
        case .nak:
            guard payload.count == 3 else { return .failure(.payloadLength) }
            return readNak(&r)
        case .telemetry:
            guard payload.count == TelemetryLayout.payloadSize else { return .failure(.payloadLength) }
            return readTelemetry(&r)
        case .event:
            guard payload.count == 22 else { return .failure(.payloadLength) }
            return readEvent(&r)
        case .status:
            guard payload.count == StatusReport.payloadSize else { return .failure(.payloadLength) }
            guard let status = StatusReport.read(&r) else { return .failure(.fieldOutOfRange) }
            return .success(.status(status))
        case .simSensors:
            guard payload.count == 19 || payload.count == 24 else { return .failure(.payloadLength) }
            return readSensors(&r)
        case .simActuators:
            guard payload.count == 26 else { return .failure(.payloadLength) }
            return readActuators(&r)
        }
    }

    private static func readIdentity(_ r: inout WireReader) -> Result<Message, FrameError> {
        let version = r.u8()
        let firmware = FirmwareVersion(major: r.u8(), minor: r.u8(), patch: r.u8())
        let hash = r.u64()
        let milliHz = r.u32()
        let first = SequenceNumber(r.u16())
        guard FirmwareIdentity.tickRateMilliHzRange.contains(milliHz) else { return .failure(.fieldOutOfRange) }
        return .success(.identifyResponse(FirmwareIdentity(
            protocolVersion: version, firmwareVersion: firmware, configurationHash: hash,
            tickRate: Hertz(Double(milliHz) / 1000), firstEventSequence: first)))
    }

    private static func readNak(_ r: inout WireReader) -> Result<Message, FrameError> {
        guard let code = CommandCode(rawValue: r.u8()), code != .none else { return .failure(.fieldOutOfRange) }
        let cause = r.u8()
        let refusalByte = r.u8()
        let nakCause: NakCause
        switch (cause, refusalByte) {
        case (1, _):
            guard let refusal = Refusal(rawValue: refusalByte), refusal != .none else {
                return .failure(.fieldOutOfRange)
            }
            nakCause = .refused(refusal)
        case (2, 0): nakCause = .outOfSequence
        case (3, 0): nakCause = .noSession
        case (4, let field) where CommandArguments.fieldOffsets.contains(field):
            nakCause = .invalidArgument(field: field)
        case (5, 0): nakCause = .busy
        default: return .failure(.fieldOutOfRange)
        }
        return .success(.nak(CommandNak(command: code, cause: nakCause)))
    }

    /// A Command of a known code and exact length always decodes: to the command, or,
    /// when an argument is out of range, to an `InvalidCommand` naming it (answered Nak 4).
    private static func readCommand(_ r: inout WireReader) -> Result<Message, FrameError> {
        guard r.remaining >= 1 else { return .failure(.payloadLength) }
        guard let code = CommandCode(rawValue: r.u8()), let length = CommandArguments.payloadLength(code) else {
            return .failure(.fieldOutOfRange)
        }
        guard r.buffer.count == length else { return .failure(.payloadLength) }
        switch readArguments(code, &r) {
        case .success(let command):
            return .success(.command(command))
        case .failure(let bad):
            let arguments = UnsafeRawBufferPointer(rebasing: r.buffer[1...])
            return .success(.invalidCommand(InvalidCommand(code: code, field: bad.field, arguments: arguments)))
        }
    }

    /// The offset of an argument out of range.
    struct BadField: Error { var field: UInt8 }

    private static func readArguments(_ code: CommandCode, _ r: inout WireReader) -> Result<HostCommand, BadField> {
        let command: HostCommand
        switch code {
        case .none: preconditionFailure("code 0 has no payload length")
        case .configureProcedure:
            switch readPlan(&r) {
            case .success(let plan): command = .configureProcedure(plan)
            case .failure(let bad): return .failure(bad)
            }
        case .resume:
            guard let reason = Reason(rawValue: r.u8()) else { return .failure(BadField(field: 1)) }
            command = .resume(acknowledging: reason)
        case .stop:
            guard let intent = StopIntent(rawValue: r.u8()) else { return .failure(BadField(field: 1)) }
            command = .stop(intent)
        case .setRate: command = .setRate(MicrolitersPerSecond(r.f64()))
        case .tightenCap: command = .tightenCap(Microliters(r.f64()))
        case .cementMixedAgo:
            // Checked before converting: a huge or non-finite f64 is not an interval.
            let seconds = r.f64()
            guard CommandArguments.mixedAgoRange.contains(seconds) else { return .failure(BadField(field: 1)) }
            command = .cementMixedAgo(.seconds(seconds))
        case .cementMixed: command = .cementMixed
        case .prime: command = .prime
        case .arm: command = .arm
        case .disarm: command = .disarm
        case .start: command = .start
        case .pause: command = .pause
        case .release: command = .release
        case .resetFault: command = .resetFault
        case .queryStatus: command = .queryStatus
        }
        if let field = CommandArguments.invalidField(command) { return .failure(BadField(field: field)) }
        return .success(command)
    }

    /// A plan, or the offset of an undefined enum byte (ranges are checked by the caller).
    private static func readPlan(_ r: inout WireReader) -> Result<ProcedurePlan, BadField> {
        typealias F = CommandArguments.PlanField
        let region = VertebralLevel.Region(rawValue: r.u8())
        let number = r.u8()
        let approach = PedicleApproach(rawValue: r.u8())
        let kind = r.u8()
        let volume = r.f64()
        let fraction = r.f64()
        let fill = r.f64()
        let perPedicle = r.f64()
        guard let region else { return .failure(BadField(field: F.levelRegion)) }
        guard let approach else { return .failure(BadField(field: F.approach)) }
        let capacity: AnteriorCapacity
        switch kind {
        case 1 where fraction.bitPattern == 0: capacity = .direct(Microliters(volume))
        case 1: return .failure(BadField(field: F.anteriorFraction))
        case 2: capacity = .fromBody(bodyVolume: Microliters(volume), anteriorFraction: fraction)
        default: return .failure(BadField(field: F.capacityKind))
        }
        return .success(ProcedurePlan(level: VertebralLevel(region: region, number: number),
                                      anteriorCapacity: capacity, fillFractionLimit: fill, approach: approach,
                                      perPedicleCap: Microliters(perPedicle)))
    }

    private static func readTelemetry(_ r: inout WireReader) -> Result<Message, FrameError> {
        let time = Instant(nanoseconds: r.i64())
        let state = InjectorState(rawValue: r.u8())
        let relief = ReliefPhase(rawValue: r.u8())
        let reason = Reason(rawValue: r.u8())
        let outputs = r.u8()
        let switchBits = r.u8()
        let hazards = r.u16()
        let alarm = AlarmLevel(rawValue: (outputs >> 1) & 0x03)
        guard let state, let relief, let reason, let alarm, outputs & 0xF8 == 0,
              hazards & ~TelemetryLayout.hazardMask == 0 else { return .failure(.fieldOutOfRange) }
        let report = TelemetryReport(
            time: time, state: state, relief: relief, stateReason: reason,
            driver: outputs & 1 == 1 ? .enabled : .disabled, alarm: alarm,
            switches: SwitchInputs(bits: switchBits), hazards: HazardFlags(rawValue: hazards),
            stepPosition: Steps(Int64(r.i32())),
            pressure: Kilopascals(Milli.decode(r.i32())),
            delivered: Microliters(Milli.decode(r.i32())),
            committed: Microliters(Milli.decode(r.i32())),
            cap: Microliters(Milli.decode(r.i32())),
            plungerPosition: optionalMilli(r.i32()).map(Microliters.init(rawValue:)),
            commandedFlow: MicrolitersPerSecond(Milli.decode(r.i32())),
            stepRate: StepsPerSecond(Milli.decode(r.i32())),
            timeSinceMixing: nil, hostSilence: nil,
            releaseCycles: 0, eventsDropped: 0)
        let mixing = r.i32()
        let silence = r.i32()
        guard isInterval(mixing), isInterval(silence) else { return .failure(.fieldOutOfRange) }
        var complete = report
        complete.timeSinceMixing = Saturating.interval(milliseconds: mixing)
        complete.hostSilence = Saturating.interval(milliseconds: silence)
        complete.releaseCycles = r.u16()
        complete.eventsDropped = r.u16()
        return .success(.telemetry(complete))
    }

    private static func optionalMilli(_ wire: Int32) -> Double? {
        wire == Milli.none ? nil : Milli.decode(wire)
    }

    /// Intervals are non-negative ms or the "none" value.
    private static func isInterval(_ wire: Int32) -> Bool { wire >= 0 || wire == Milli.none }

    private static func readEvent(_ r: inout WireReader) -> Result<Message, FrameError> {
        let time = Instant(nanoseconds: r.i64())
        let kind = EventKind(rawValue: r.u8())
        let reason = Reason(rawValue: r.u8())
        let previous = InjectorState(rawValue: r.u8())
        let state = InjectorState(rawValue: r.u8())
        let command = CommandCode(rawValue: r.u8())
        let refusal = Refusal(rawValue: r.u8())
        let value = r.f64()
        guard let kind, let reason, let previous, let state, let command, let refusal, value.isFinite else {
            return .failure(.fieldOutOfRange)
        }
        return .success(.event(ControllerEvent(time: time, kind: kind, reason: reason, previousState: previous,
                                               state: state, command: command, refusal: refusal, value: value)))
    }

    private static func readSensors(_ r: inout WireReader) -> Result<Message, FrameError> {
        let time = Instant(nanoseconds: r.i64())
        let pressure = r.i32()
        let pressureStatus = SampleStatus(rawValue: r.u8())
        let plunger = r.i32()
        let plungerStatusByte = r.u8()
        let switchBits = r.u8()
        guard let pressureStatus else { return .failure(.fieldOutOfRange) }
        var position: Microliters? = nil
        var plungerStatus = SampleStatus.missing
        if plungerStatusByte != 0xFF {
            guard let status = SampleStatus(rawValue: plungerStatusByte) else { return .failure(.fieldOutOfRange) }
            plungerStatus = status
            position = Microliters(Milli.decode(plunger))
        } else if plunger != Milli.none {
            return .failure(.fieldOutOfRange)
        }
        var twin: Kilopascals? = nil
        var twinStatus = SampleStatus.missing
        if r.remaining > 0 {
            let value = r.i32()
            guard let status = SampleStatus(rawValue: r.u8()) else { return .failure(.fieldOutOfRange) }
            twin = Kilopascals(Milli.decode(value))
            twinStatus = status
        }
        return .success(.simSensors(SimulatedSensors(
            sampleTime: time, pressure: Kilopascals(Milli.decode(pressure)), pressureStatus: pressureStatus,
            plungerPosition: position, plungerStatus: plungerStatus, pressureTwin: twin,
            pressureTwinStatus: twinStatus, switches: SwitchInputs(bits: switchBits))))
    }

    private static func readActuators(_ r: inout WireReader) -> Result<Message, FrameError> {
        let time = Instant(nanoseconds: r.i64())
        let position = Steps(r.i64())
        let rate = r.f64()
        let driver = DriverEnable(rawValue: r.u8())
        let alarm = AlarmLevel(rawValue: r.u8())
        guard let driver, let alarm, rate.isFinite else { return .failure(.fieldOutOfRange) }
        return .success(.simActuators(SimulatedActuators(time: time, stepPosition: position,
                                                         stepRate: StepsPerSecond(rate), driver: driver, alarm: alarm)))
    }
}
