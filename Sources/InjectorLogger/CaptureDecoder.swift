import InjectorCore
import InjectorProtocol

/// What a capture holds, decoded with the protocol's own `StreamDecoder`.
public struct DecodedCapture: Sendable {
    public var telemetry: [TelemetryReport] = []
    /// One readable line per event, command, answer, handshake and link message.
    public var log: [String] = []
    public var statistics = ReceiveStatistics()
    /// Frames per message type.
    public var framesByType: [MessageType: Int] = [:]
    /// Events seen more than once (retransmissions that the capture also holds).
    public var repeatedEvents = 0
    public var bytes = 0
}

/// Turns a capture's raw bytes into telemetry rows and a readable log.
public enum CaptureDecoder {
    public static func decode(_ bytes: [UInt8]) -> DecodedCapture {
        var result = DecodedCapture()
        result.bytes = bytes.count
        var decoder = StreamDecoder()
        var seenEvents = Set<UInt16>()
        var lastTime: Instant?
        decoder.feed(bytes) { frame in
            result.framesByType[frame.message.type, default: 0] += 1
            let retransmitted = frame.flags.contains(.retransmission) ? " (resent)" : ""
            switch frame.message {
            case .telemetry(let t):
                result.telemetry.append(t)
                lastTime = t.time
            case .event(let e):
                if !seenEvents.insert(frame.sequence.rawValue).inserted {
                    result.repeatedEvents += 1
                    return
                }
                result.log.append("\(seconds(e.time)) event #\(frame.sequence.rawValue)\(retransmitted): \(e)")
                lastTime = e.time
            case .command(let c):
                result.log.append("\(at(lastTime)) command #\(frame.sequence.rawValue)\(retransmitted): \(c)")
            case .invalidCommand(let c):
                result.log.append("\(at(lastTime)) command #\(frame.sequence.rawValue)\(retransmitted): \(c)")
            case .ack(let code):
                result.log.append("\(at(lastTime)) ack #\(frame.acknowledgement.rawValue)\(retransmitted): \(code) accepted")
            case .nak(let nak):
                result.log.append("\(at(lastTime)) nak #\(frame.acknowledgement.rawValue)\(retransmitted): \(nak.command) \(nak.cause)")
            case .status(let s):
                result.log.append("\(seconds(s.time)) status #\(frame.acknowledgement.rawValue): \(s.state), reason \(s.stateReason), committed \(s.committed) of cap \(s.cap)")
            case .identifyRequest:
                result.log.append("\(at(lastTime)) identify request")
            case .identifyResponse(let id):
                result.log.append("\(at(lastTime)) identify response: firmware \(id.firmwareVersion), protocol \(id.protocolVersion), configuration 0x\(String(id.configurationHash, radix: 16)), tick \(id.tickRate)")
            case .heartbeat(let h):
                if h.framesDropped > 0 { result.log.append("\(seconds(h.time)) heartbeat: peer dropped \(h.framesDropped) frames") }
            case .simSensors, .simActuators:
                break
            }
        }
        result.statistics = decoder.statistics
        return result
    }

    static func seconds(_ t: Instant) -> String { "t=" + formatSeconds(Double(t.nanoseconds) / 1e9) + " s" }
    static func at(_ t: Instant?) -> String { t.map(seconds) ?? "t=?" }

    /// The counts as a few lines for the terminal.
    public static func summary(_ d: DecodedCapture) -> String {
        let s = d.statistics
        let types = d.framesByType.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
            \(d.bytes) bytes, \(s.framesDecoded) frames decoded (\(types))
            dropped \(s.framesDropped): \(s.checksumFailures) CRC failures, \(s.badEncodings) bad encodings, \(s.oversizeFrames) oversize, \(s.versionMismatches) version mismatches, \(s.unknownTypes) unknown types, \(s.malformedPayloads) malformed
            \(s.sequenceGaps) frames missing by sequence number; \(d.repeatedEvents) repeated events; \(d.telemetry.count) telemetry rows, \(d.log.count) log lines
            """
    }
}

/// Telemetry as CSV, one row per frame, units in the column names.
public enum TelemetryCSV {
    public static let header = "time_s,state,relief,state_reason,driver,alarm,switch_bits,hazard_bits,step_position,pressure_kPa,delivered_uL,committed_uL,cap_uL,plunger_uL,commanded_flow_uL_per_s,step_rate_steps_per_s,time_since_mixing_s,host_silence_ms,release_cycles,events_dropped"

    public static func row(_ t: TelemetryReport) -> String {
        let fields: [String] = [
            num(Double(t.time.nanoseconds) / 1e9), "\(t.state)", "\(t.relief)", "\(t.stateReason.rawValue)",
            "\(t.driver.rawValue)", "\(t.alarm.rawValue)", "\(t.switches.bits)", "\(t.hazards.rawValue)",
            "\(t.stepPosition.count)", num(t.pressure.rawValue), num(t.delivered.rawValue), num(t.committed.rawValue),
            num(t.cap.rawValue), t.plungerPosition.map { num($0.rawValue) } ?? "",
            num(t.commandedFlow.rawValue), num(t.stepRate.rawValue),
            t.timeSinceMixing.map { num($0.seconds) } ?? "", t.hostSilence.map { "\($0.nanoseconds / 1_000_000)" } ?? "",
            "\(t.releaseCycles)", "\(t.eventsDropped)",
        ]
        return fields.joined(separator: ",")
    }

    public static func render(_ rows: [TelemetryReport]) -> String {
        var text = header + "\n"
        for r in rows { text += row(r) + "\n" }
        return text
    }

    /// Plain decimal with up to 3 (or 9 for time) fraction digits, no exponent.
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        let scaled = (v * 1000).rounded()
        let negative = scaled < 0
        let whole = Int64(abs(scaled)) / 1000
        let frac = Int64(abs(scaled)) % 1000
        var s = (negative ? "-" : "") + "\(whole)"
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 3 - f.count) + f
            while f.last == "0" { f.removeLast() }
            s += "." + f
        }
        return s
    }
}

/// One line per telemetry frame for `injector-log live`.
public enum LiveLine {
    public static func format(_ t: TelemetryReport) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        let p = pad(TelemetryCSV.num(t.pressure.rawValue), 9)
        let d = pad(TelemetryCSV.num(t.delivered.rawValue), 9)
        let cap = TelemetryCSV.num(t.cap.rawValue)
        let q = pad(TelemetryCSV.num(t.commandedFlow.rawValue), 7)
        let state = "\(t.state)" + (t.relief == .none ? "" : "/\(t.relief)")
        return "t=\(pad(TelemetryCSV.num(Double(t.time.nanoseconds) / 1e9), 10)) s  \(state.padding(18))p=\(p) kPa  "
            + "delivered=\(d)/\(cap) µL  flow=\(q) µL/s  \(t.driver == .enabled ? "DRIVE" : "-----")"
            + (t.alarm == .off ? "" : "  ALARM:\(t.alarm)") + (t.stateReason == .none ? "" : "  (\(t.stateReason))")
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
