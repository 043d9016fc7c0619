import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// The readable event log (`<prefix>-events.txt`): one line per message, led by its
/// wall-clock time and time from start (v2), or the firmware's clock (v1).
public enum DecodedLog {
    public static func line(_ m: DecodedMessage) -> String {
        "\(stamp(m)) \(m.direction == .toFirmware ? "→" : "←") \(text(m.frame))"
    }

    static func stamp(_ m: DecodedMessage) -> String {
        if let t = m.time {
            return WallClockText.iso8601(microseconds: t.wallClockUs) + " +" + formatSeconds(t.secondsFromStart) + " s"
        }
        return m.firmwareTime.map { "t=" + formatSeconds(Double($0.nanoseconds) / 1e9) + " s" } ?? "t=?"
    }

    static func text(_ frame: Frame) -> String {
        let resent = frame.flags.contains(.retransmission) ? " (resent)" : ""
        let seq = frame.sequence.rawValue, ack = frame.acknowledgement.rawValue
        switch frame.message {
        case .event(let e): return "event #\(seq)\(resent): \(e)"
        case .command(let c): return "command #\(seq)\(resent): \(c)"
        case .invalidCommand(let c): return "command #\(seq)\(resent): \(c)"
        case .ack(let code): return "ack #\(ack)\(resent): \(code) accepted"
        case .nak(let nak): return "nak #\(ack)\(resent): \(nak.command) \(nak.cause)"
        case .status(let s):
            return "status #\(ack): \(s.state), reason \(s.stateReason), committed \(s.committed) of cap \(s.cap)"
        case .identifyRequest: return "identify request"
        case .identifyResponse(let id):
            return "identify response: firmware \(id.firmwareVersion), protocol \(id.protocolVersion), configuration 0x\(String(id.configurationHash, radix: 16)), tick \(id.tickRate)"
        case .heartbeat(let h): return "heartbeat: peer dropped \(h.framesDropped) frames"
        case .telemetry, .simSensors, .simActuators: return "\(frame.message.type)"
        }
    }
}
