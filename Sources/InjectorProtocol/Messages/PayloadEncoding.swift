import InjectorCore

/// Writes each message's payload (docs/protocol.md, one table per message).
/// Preconditions catch what a sender must never put on the wire.
enum PayloadEncoding {
    static func write(_ message: Message, to w: inout WireWriter) {
        switch message {
        case .identifyRequest:
            break
        case .identifyResponse(let id):
            w.u8(id.protocolVersion)
            w.u8(id.firmwareVersion.major)
            w.u8(id.firmwareVersion.minor)
            w.u8(id.firmwareVersion.patch)
            w.u64(id.configurationHash)
            precondition(FirmwareIdentity.tickRateMilliHzRange.contains(id.tickRateMilliHz), "tick rate out of range")
            w.u32(id.tickRateMilliHz)
            w.u16(id.firstEventSequence.rawValue)
        case .heartbeat(let beat):
            w.i64(beat.time.nanoseconds)
            w.u32(beat.framesDropped)
        case .command(let command):
            precondition(CommandArguments.areValid(command), "command arguments out of wire range")
            writeCommand(command, to: &w)
        case .invalidCommand(let invalid):
            // Only a test or the fuzzer re-encodes one: it goes back out byte for byte.
            invalid.write(to: &w)
        case .ack(let code):
            precondition(code != .none, "ack must name a command")
            w.u8(code.rawValue)
        case .nak(let nak):
            writeNak(nak, to: &w)
        case .telemetry(let report):
            writeTelemetry(report, to: &w)
        case .event(let event):
            precondition(event.value.isFinite, "event value must be finite")
            w.i64(event.time.nanoseconds)
            w.u8(event.kind.rawValue)
            w.u8(event.reason.rawValue)
            w.u8(event.previousState.rawValue)
            w.u8(event.state.rawValue)
            w.u8(event.command.rawValue)
            w.u8(event.refusal.rawValue)
            w.f64(event.value)
        case .status(let status):
            status.write(to: &w)
        case .simSensors(let s):
            w.i64(s.sampleTime.nanoseconds)
            w.i32(Milli.encode(s.pressure.rawValue))
            w.u8(s.pressureStatus.rawValue)
            w.i32(s.plungerPosition.map { Milli.encode($0.rawValue) } ?? Milli.none)
            w.u8(s.plungerPosition == nil ? 0xFF : s.plungerStatus.rawValue)
            w.u8(s.switches.bits)
            if let twin = s.pressureTwin {
                w.i32(Milli.encode(twin.rawValue))
                w.u8(s.pressureTwinStatus.rawValue)
            }
        case .simActuators(let a):
            precondition(a.stepRate.rawValue.isFinite, "step rate must be finite")
            w.i64(a.time.nanoseconds)
            w.i64(a.stepPosition.count)
            w.f64(a.stepRate.rawValue)
            w.u8(a.driver.rawValue)
            w.u8(a.alarm.rawValue)
        }
    }

    private static func writeNak(_ nak: CommandNak, to w: inout WireWriter) {
        precondition(nak.command != .none, "nak must name a command")
        w.u8(nak.command.rawValue)
        w.u8(nak.cause.wireCause)
        switch nak.cause {
        case .refused(let refusal):
            precondition(refusal != .none, "a refusal needs a reason")
            w.u8(refusal.rawValue)
        case .invalidArgument(let field):
            precondition(CommandArguments.fieldOffsets.contains(field), "an invalid argument names its field")
            w.u8(field)
        case .outOfSequence, .noSession, .busy:
            w.u8(0)
        }
    }

    private static func writeCommand(_ command: HostCommand, to w: inout WireWriter) {
        w.u8(command.code.rawValue)
        switch command {
        case .configureProcedure(let plan):
            w.u8(plan.level.region.rawValue)
            w.u8(plan.level.number)
            w.u8(plan.approach.rawValue)
            switch plan.anteriorCapacity {
            case .direct(let volume):
                w.u8(1)
                w.f64(volume.rawValue)
                w.f64(0)
            case .fromBody(let body, let fraction):
                w.u8(2)
                w.f64(body.rawValue)
                w.f64(fraction)
            }
            w.f64(plan.fillFractionLimit)
            w.f64(plan.perPedicleCap.rawValue)
        case .resume(let reason):
            w.u8(reason.rawValue)
        case .stop(let intent):
            w.u8(intent.rawValue)
        case .setRate(let rate):
            w.f64(rate.rawValue)
        case .tightenCap(let cap):
            w.f64(cap.rawValue)
        case .cementMixedAgo(let ago):
            w.f64(ago.seconds)
        case .cementMixed, .prime, .arm, .disarm, .start, .pause, .release, .resetFault, .queryStatus:
            break
        }
    }

    private static func writeTelemetry(_ r: TelemetryReport, to w: inout WireWriter) {
        w.i64(r.time.nanoseconds)
        w.u8(r.state.rawValue)
        w.u8(r.relief.rawValue)
        w.u8(r.stateReason.rawValue)
        w.u8(r.driver.rawValue | r.alarm.rawValue << 1)
        w.u8(r.switches.bits)
        w.u16(r.hazards.rawValue & TelemetryLayout.hazardMask)
        w.i32(Saturating.i32(r.stepPosition.count))
        w.i32(Milli.encode(r.pressure.rawValue))
        w.i32(Milli.encode(r.delivered.rawValue))
        w.i32(Milli.encode(r.committed.rawValue))
        w.i32(Milli.encode(r.cap.rawValue))
        w.i32(r.plungerPosition.map { Milli.encode($0.rawValue) } ?? Milli.none)
        w.i32(Milli.encode(r.commandedFlow.rawValue))
        w.i32(Milli.encode(r.stepRate.rawValue))
        w.i32(Saturating.milliseconds(r.timeSinceMixing))
        w.i32(Saturating.milliseconds(r.hostSilence))
        w.u16(r.releaseCycles)
        w.u16(r.eventsDropped)
    }
}
