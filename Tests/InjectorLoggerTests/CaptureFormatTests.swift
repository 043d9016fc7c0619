#if canImport(Glibc)
import Glibc
#endif
import Foundation
import InjectorCore
import InjectorLinks
@testable import InjectorLogger
import InjectorProtocol
import InjectorToolSupport
import Testing

/// A v1 capture exactly as the v1 writer laid it out (docs/logger.md), built byte by
/// byte here rather than with `CaptureHeader`, so that the reader is held to the
/// documented layout and not to itself.
func v1CaptureFile(body: [UInt8]) -> [UInt8] {
    var b = Array("INJCAP01".utf8)
    b += [64, 0, 0, 0]                                        // header size 64, reserved
    b += withUnsafeBytes(of: Int64(1_764_624_605_000_000_000).littleEndian, Array.init)   // wall-clock start
    b += withUnsafeBytes(of: Int64(42_000_000_000).littleEndian, Array.init)             // monotonic start
    b += withUnsafeBytes(of: UInt32(115_200).littleEndian, Array.init)
    b += Array("/dev/ttyUSB0".utf8) + [UInt8](repeating: 0, count: 32 - 12)
    return b + body
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func commandFrame(_ command: HostCommand, _ seq: UInt16) -> Frame {
    Frame(.command(command), sequence: SequenceNumber(seq))
}

func eventFrame(_ event: ControllerEvent, _ seq: UInt16) -> Frame { Frame(.event(event), sequence: SequenceNumber(seq)) }

@Suite struct CaptureFormatTests {
    @Test func aV1CaptureStillReadsAndDecodes() throws {
        let path = temporaryPath("v1.cap")
        defer { unlink(path) }
        let body = (0..<20).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }
        try writeFile(path, v1CaptureFile(body: body))
        let capture = try CaptureReader.capture(path: path)
        #expect(capture.header.version == .v1)
        #expect(capture.header.device == "/dev/ttyUSB0" && capture.header.baudRate == 115_200)
        #expect(capture.header.wallClockStartNs == 1_764_624_605_000_000_000)
        #expect(!capture.timed)
        #expect(capture.chunks.count == 1 && capture.chunks[0].range == 0..<body.count)
        let decoded = CaptureDecoder.decode(capture)
        #expect(decoded.telemetry.count == 20)
        #expect(decoded.telemetry.allSatisfy { $0.time == nil })
        // New chunks are never mixed into a v1 file.
        #expect(throws: CaptureError.self) { _ = try CaptureWriter(path: path, device: "x", baudRate: 0) }
        #expect(CaptureReplay.check(capture, pace: .original) != nil)
        #expect(CaptureReplay.check(capture, pace: .asFastAsPossible) == nil)
    }

    /// The v2 chunk header's bytes, field by field, as docs/logger.md documents them.
    @Test func aV2ChunkIsLaidOutAsDocumented() throws {
        let path = temporaryPath("layout.cap")
        defer { unlink(path) }
        let writer = try CaptureWriter(path: path, device: "/dev/pts/7", baudRate: 0)
        try writer.append([0xAA, 0xBB, 0xCC], direction: .toFirmware,
                          at: CaptureTime(monotonicUs: 0x0102_0304_0506_0708, wallClockUs: 1_764_624_605_123_456))
        try writer.close()
        let file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(file[0..<8]) == Array("INJCAP02".utf8))
        #expect(file[8] == 64 && file[9] == 0)
        #expect(String(decoding: file[32..<42], as: UTF8.self) == "/dev/pts/7")
        let chunk = Array(file[64...])
        #expect(chunk.count == 23)
        #expect(chunk[0] == 2 && chunk[1] == 0)                     // to the firmware, reserved
        #expect(chunk[2] == 3 && chunk[3] == 0)                     // 3 payload bytes, LE
        #expect(Array(chunk[4..<12]) == [8, 7, 6, 5, 4, 3, 2, 1])   // monotonic µs, LE
        #expect(Array(chunk[12..<20]) == withUnsafeBytes(of: Int64(1_764_624_605_123_456).littleEndian, Array.init))
        #expect(Array(chunk[20...]) == [0xAA, 0xBB, 0xCC])
    }

    /// A power cut mid-chunk: the whole chunks and what is left of the last are kept,
    /// and the damage is named.
    @Test func aChunkCutShortIsKeptAndReported() throws {
        let path = temporaryPath("cut.cap")
        defer { unlink(path) }
        let writer = try CaptureWriter(path: path, device: "d", baudRate: 0)
        try writer.append(FrameCodec.wireBytes(telemetryFrame(1)))
        try writer.append(FrameCodec.wireBytes(telemetryFrame(2)))
        try writer.close()
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        file.removeLast(10)
        try writeFile(path, file)
        let capture = try CaptureReader.capture(path: path)
        #expect(capture.chunks.count == 2)
        #expect(capture.chunks[1].range.count == 72 - 10)
        #expect(capture.damage?.contains("cut short: 62 of 72 bytes kept") == true)
        let decoded = CaptureDecoder.decode(capture)
        #expect(decoded.telemetry.count == 1)
        #expect(CaptureDecoder.counts(decoded).contains("damaged capture"))
    }

    /// Both directions in one capture, interleaved chunk by chunk and each split
    /// mid-frame: every frame decodes with the time of the chunk that completed it, so
    /// the host's commands have times too.
    @Test func bothDirectionsDecodeWithTheirTimes() throws {
        let path = temporaryPath("both.cap")
        defer { unlink(path) }
        let writer = try CaptureWriter(path: path, device: "router", baudRate: 0)
        let start = writer.header.monotonicStartNs / 1000, wall0 = writer.header.wallClockStartNs / 1000
        func at(_ ms: Int64) -> CaptureTime { CaptureTime(monotonicUs: start + ms * 1000, wallClockUs: wall0 + ms * 1000) }
        let command = FrameCodec.wireBytes(commandFrame(.start, 7))
        let telemetry = FrameCodec.wireBytes(telemetryFrame(5))
        let event = ControllerEvent(time: Instant(nanoseconds: 5_000_000), kind: .stateChanged, reason: .hostStart,
                                    previousState: .armed, state: .injecting, command: .start)
        let answer = FrameCodec.wireBytes(Frame(.ack(.start), sequence: SequenceNumber(9), acknowledgement: SequenceNumber(7)))
            + FrameCodec.wireBytes(eventFrame(event, 1))
        try writer.append(Array(telemetry.prefix(30)), direction: .fromFirmware, at: at(100))
        try writer.append(Array(command.prefix(5)), direction: .toFirmware, at: at(110))
        try writer.append(Array(telemetry.dropFirst(30)), direction: .fromFirmware, at: at(120))
        try writer.append(Array(command.dropFirst(5)), direction: .toFirmware, at: at(1250))
        try writer.append(answer, direction: .fromFirmware, at: at(1253))
        try writer.close()

        let decoded = CaptureDecoder.decode(try CaptureReader.capture(path: path))
        #expect(decoded.statistics.framesDropped == 0)
        #expect(decoded.telemetry.count == 1)
        #expect(decoded.telemetry[0].time?.secondsFromStart == 0.12)
        #expect(decoded.messages.map(\.frame.message.type) == [.command, .ack, .event])
        let commandTime = decoded.messages[0].time
        #expect(commandTime?.secondsFromStart == 1.25 && decoded.messages[0].direction == .toFirmware)
        #expect(decoded.log[0].hasPrefix(WallClockText.iso8601(microseconds: wall0 + 1_250_000) + " +1.250 s → command #7"))
        #expect(!decoded.log.contains { $0.contains("t=?") })

        let csv = TelemetryCSV.render(decoded.telemetry).split(separator: "\n")
        #expect(csv[0].hasPrefix("wall_time,time_from_start_s,firmware_time_s,"))
        #expect(csv[1].hasPrefix(WallClockText.iso8601(microseconds: wall0 + 120_000) + ",0.12,0.005,injecting"))

        let jsonl = DecodedJSONLines.render(decoded.messages).split(separator: "\n")
        #expect(jsonl.count == 3)
        let objects = try jsonl.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(objects[0]["type"] as? String == "command" && objects[0]["direction"] as? String == "to-firmware")
        #expect(objects[0]["timeFromStartS"] as? Double == 1.25)
        #expect(objects[0]["command"] as? String == "\(CommandCode.start)")
        #expect(objects[1]["acknowledges"] as? Int == 7)
        #expect(objects[2]["kind"] as? String == "state-changed" && objects[2]["state"] as? String == "injecting")
        #expect(objects[2]["eventTimeS"] as? Double == 0.005)
        #expect((objects[2]["wallTime"] as? String)?.hasSuffix("Z") == true)
    }

    /// The byte-level CSV writer gives the text the plain formatting would: every field
    /// through `TelemetryCSV.num` and `WallClockText`, over values across their ranges.
    @Test func csvRowsMatchThePlainFormatting() {
        var rng = SystemRandomNumberGenerator()
        for i in 0..<2000 {
            func value() -> Double {
                switch i % 4 {
                case 0: Double.random(in: -5000...5000, using: &rng)
                case 1: Double(Int.random(in: -3_000_000...3_000_000, using: &rng)) / 1000 + 0.0005
                case 2: Double.random(in: -1e-3...1e-3, using: &rng)
                default: Double.random(in: 0...1e9, using: &rng)
                }
            }
            var report = telemetryFrame(i).report
            report.pressure = Kilopascals(value())
            report.delivered = Microliters(value())
            report.commandedFlow = MicrolitersPerSecond(value())
            report.plungerPosition = i % 3 == 0 ? nil : Microliters(value())
            report.stepPosition = Steps(Int64.random(in: -1_000_000...1_000_000, using: &rng))
            let wall = Int64.random(in: 0...4_000_000_000_000_000, using: &rng)
            let row = TimedTelemetry(time: FrameTime(secondsFromStart: value(), wallClockUs: wall), report: report)
            let start = Instant(nanoseconds: 0)
            let t = report, n = TelemetryCSV.num
            let expected = [
                WallClockText.iso8601(microseconds: wall), n(row.time!.secondsFromStart), n(Double(t.time.nanoseconds) / 1e9),
                "\(t.state)", "\(t.relief)", "\(t.stateReason.rawValue)", "\(t.driver.rawValue)", "\(t.alarm.rawValue)",
                "\(t.switches.bits)", "\(t.hazards.rawValue)", "\(t.stepPosition.count)", n(t.pressure.rawValue),
                n(t.delivered.rawValue), n(t.committed.rawValue), n(t.cap.rawValue), t.plungerPosition.map { n($0.rawValue) } ?? "",
                n(t.commandedFlow.rawValue), n(t.stepRate.rawValue), t.timeSinceMixing.map { n($0.seconds) } ?? "",
                t.hostSilence.map { "\($0.nanoseconds / 1_000_000)" } ?? "", "\(t.releaseCycles)", "\(t.eventsDropped)",
            ].joined(separator: ",")
            #expect(TelemetryCSV.row(row, firmwareStart: start) == expected)
        }
    }

    @Test func wallClockTextIsISO8601WithMilliseconds() {
        #expect(WallClockText.iso8601(microseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(WallClockText.iso8601(microseconds: 1_764_624_605_123_456) == "2025-12-01T21:30:05.123Z")
        #expect(WallClockText.iso8601(microseconds: 951_782_400_000_000) == "2000-02-29T00:00:00.000Z")
        #expect(WallClockText.iso8601(microseconds: -1000) == "1969-12-31T23:59:59.999Z")
    }
}
