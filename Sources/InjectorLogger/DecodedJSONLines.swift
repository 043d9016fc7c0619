import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// Events, commands and replies as JSON Lines (`<prefix>.jsonl`), one object a line,
/// for the engineer's own scripts. Every object has `wallTime` (ISO 8601, UTC, ms) and
/// `timeFromStartS` (null in a v1 capture), `direction`, `type` and `sequence`; numbers
/// are numbers with the unit in the key; 64-bit values (the configuration hash) are
/// strings, since most JSON readers keep only 53 bits of a number.
public enum DecodedJSONLines {
    public static func render(_ messages: [DecodedMessage]) -> String {
        var out = ""
        out.reserveCapacity(messages.count * 200)
        for m in messages {
            out += line(m)
            out += "\n"
        }
        return out
    }

    public static func line(_ m: DecodedMessage) -> String {
        var fields: [(String, String)] = [
            ("wallTime", m.time.map { quoted(WallClockText.iso8601(microseconds: $0.wallClockUs)) } ?? "null"),
            ("timeFromStartS", m.time.map { number($0.secondsFromStart, digits: 6) } ?? "null"),
            ("firmwareTimeS", m.firmwareTime.map { number(Double($0.nanoseconds) / 1e9, digits: 6) } ?? "null"),
            ("direction", quoted("\(m.direction)")),
            ("type", quoted("\(m.frame.message.type)")),
            ("sequence", "\(m.frame.sequence.rawValue)"),
            ("resent", m.frame.flags.contains(.retransmission) ? "true" : "false"),
        ]
        fields += body(m.frame)
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func body(_ frame: Frame) -> [(String, String)] {
        let ack = ("acknowledges", "\(frame.acknowledgement.rawValue)")
        switch frame.message {
        case .event(let e):
            return [("eventTimeS", number(Double(e.time.nanoseconds) / 1e9, digits: 6)), ("kind", quoted("\(e.kind)")),
                    ("reason", quoted("\(e.reason)")), ("previousState", quoted("\(e.previousState)")),
                    ("state", quoted("\(e.state)")), ("command", quoted("\(e.command)")),
                    ("refusal", quoted("\(e.refusal)")), ("value", number(e.value, digits: 6)),
                    ("text", quoted("\(e)"))]
        case .command(let c): return [("command", quoted("\(c.code)")), ("text", quoted("\(c)"))]
        case .invalidCommand(let c): return [("command", quoted("invalid")), ("text", quoted("\(c)"))]
        case .ack(let code): return [ack, ("command", quoted("\(code)"))]
        case .nak(let nak): return [ack, ("command", quoted("\(nak.command)")), ("cause", quoted("\(nak.cause)"))]
        case .status(let s):
            return [ack, ("state", quoted("\(s.state)")), ("reason", quoted("\(s.stateReason)")),
                    ("committedUL", number(s.committed.rawValue, digits: 3)), ("capUL", number(s.cap.rawValue, digits: 3))]
        case .identifyResponse(let id):
            return [("firmwareVersion", quoted("\(id.firmwareVersion)")), ("protocolVersion", "\(id.protocolVersion)"),
                    ("configurationHash", quoted("0x" + String(id.configurationHash, radix: 16))),
                    ("tickRate", quoted("\(id.tickRate)"))]
        case .heartbeat(let h): return [("peerFramesDropped", "\(h.framesDropped)")]
        case .identifyRequest, .telemetry, .simSensors, .simActuators: return []
        }
    }

    /// A JSON number; null for NaN or infinity, which JSON cannot hold.
    static func number(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return "null" }
        let scale = Double((0..<digits).reduce(1) { r, _ in r * 10 })
        let scaled = (abs(v) * scale).rounded()
        guard scaled < 9e15 else { return "\(v)" }
        let whole = Int64(scaled) / Int64(scale), frac = Int64(scaled) % Int64(scale)
        var s = (v < 0 && scaled != 0 ? "-" : "") + "\(whole)"
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: digits - f.count) + f
            while f.last == "0" { f.removeLast() }
            s += "." + f
        }
        return s
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String { JSONText.quoted(s) }
}
