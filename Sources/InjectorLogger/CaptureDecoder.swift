import InjectorCore
import InjectorProtocol

/// When a decoded frame was captured: the time of the chunk holding its last byte,
/// from the capture's start and on the wall clock. Only v2 captures have it.
public struct FrameTime: Equatable, Sendable {
    public var secondsFromStart: Double
    public var wallClockUs: Int64
}

/// One telemetry row and when it was captured.
public struct TimedTelemetry: Sendable {
    public var time: FrameTime?
    public var report: TelemetryReport
}

/// A frame other than telemetry and simulation I/O: an event, a command, a reply, a
/// handshake, a heartbeat that reports drops.
public struct DecodedMessage: Sendable {
    public var direction: CaptureDirection
    public var time: FrameTime?
    /// The firmware's clock as last seen (its telemetry, events, status), for a v1
    /// capture whose chunks have no time of their own.
    public var firmwareTime: Instant?
    public var frame: Frame
}

/// What a capture holds, decoded with the protocol's own `StreamDecoder`.
public struct DecodedCapture: Sendable {
    public var telemetry: [TimedTelemetry] = []
    /// Events (once each), commands, answers, handshakes and link messages, in capture order.
    public var messages: [DecodedMessage] = []
    /// Both directions' decoder counts added up.
    public var statistics = ReceiveStatistics()
    public var statisticsByDirection: [CaptureDirection: ReceiveStatistics] = [:]
    /// Frames per message type.
    public var framesByType: [MessageType: Int] = [:]
    /// Events seen more than once (retransmissions that the capture also holds).
    public var repeatedEvents = 0
    /// Payload bytes (chunk headers not counted).
    public var bytes = 0
    /// Time from start of the first and last chunk (v2), for the duration.
    public var firstChunk: FrameTime?
    public var lastChunk: FrameTime?
    /// What `Capture.damage` said about the end of the body.
    public var damage: String?

    /// One readable line per message.
    public var log: [String] { messages.map(DecodedLog.line) }
    /// The telemetry reports alone, for the plot.
    public var reports: [TelemetryReport] { telemetry.map(\.report) }
}

/// Turns a capture into telemetry rows and messages. Each direction has its own
/// stream decoder, so chunks of the two directions interleave without gluing frames.
public enum CaptureDecoder {
    /// Decodes a bare v1 body (no header, no times).
    public static func decode(_ bytes: [UInt8]) -> DecodedCapture {
        decode(Capture(header: CaptureHeader(version: .v1, wallClockStartNs: 0, monotonicStartNs: 0, baudRate: 0,
                                             device: ""), body: bytes))
    }

    public static func decode(_ capture: Capture) -> DecodedCapture {
        var state = DecodeState(timed: capture.timed)
        state.result.damage = capture.damage
        var fromFirmware = StreamDecoder()
        var toFirmware = StreamDecoder()
        capture.body.withUnsafeBytes { body in
            for chunk in capture.chunks {
                let payload = UnsafeRawBufferPointer(rebasing: body[chunk.range])
                let time = FrameTime(secondsFromStart: capture.secondsFromStart(chunk.time),
                                     wallClockUs: chunk.time.wallClockUs)
                if capture.timed {
                    if state.result.firstChunk == nil { state.result.firstChunk = time }
                    state.result.lastChunk = time
                }
                state.result.bytes += payload.count
                switch chunk.direction {
                case .fromFirmware: fromFirmware.feed(payload) { state.take($0, chunk.direction, time) }
                case .toFirmware: toFirmware.feed(payload) { state.take($0, chunk.direction, time) }
                }
            }
        }
        state.result.statisticsByDirection = [.fromFirmware: fromFirmware.statistics, .toFirmware: toFirmware.statistics]
        state.result.statistics = fromFirmware.statistics
        state.result.statistics += toFirmware.statistics
        return state.result
    }

    /// The counts as a few lines for the terminal.
    public static func counts(_ d: DecodedCapture) -> String {
        let s = d.statistics
        let types = d.framesByType.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var text = """
            \(d.bytes) bytes, \(s.framesDecoded) frames decoded (\(types))
            dropped \(s.framesDropped): \(s.checksumFailures) CRC failures, \(s.badEncodings) bad encodings, \(s.oversizeFrames) oversize, \(s.versionMismatches) version mismatches, \(s.unknownTypes) unknown types, \(s.malformedPayloads) malformed
            \(s.sequenceGaps) frames missing by sequence number; \(d.repeatedEvents) repeated events; \(d.telemetry.count) telemetry rows, \(d.messages.count) log lines
            """
        if let damage = d.damage { text += "\ndamaged capture: \(damage)" }
        return text
    }

    /// The old name of `counts`.
    public static func summary(_ d: DecodedCapture) -> String { counts(d) }
}

/// The decoder's running state: what it has kept, and the firmware's last clock.
struct DecodeState {
    let timed: Bool
    var result = DecodedCapture()
    var seenEvents = Set<UInt16>()
    var firmwareTime: Instant?

    init(timed: Bool) { self.timed = timed }

    mutating func take(_ frame: Frame, _ direction: CaptureDirection, _ chunkTime: FrameTime) {
        let time = timed ? chunkTime : nil
        result.framesByType[frame.message.type, default: 0] += 1
        switch frame.message {
        case .telemetry(let t):
            result.telemetry.append(TimedTelemetry(time: time, report: t))
            firmwareTime = t.time
            return
        case .simSensors, .simActuators:
            return
        case .heartbeat(let h) where h.framesDropped == 0:
            return
        case .event(let e):
            guard seenEvents.insert(frame.sequence.rawValue).inserted else {
                result.repeatedEvents += 1
                return
            }
            firmwareTime = e.time
        case .status(let s):
            firmwareTime = s.time
        default:
            break
        }
        result.messages.append(DecodedMessage(direction: direction, time: time, firmwareTime: firmwareTime, frame: frame))
    }
}
