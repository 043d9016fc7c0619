#if canImport(Glibc)
import Glibc
#endif
import Foundation
import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol
import Synchronization
import Testing

func temporaryPath(_ name: String) -> String {
    "/tmp/injector-log-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
}

func telemetryFrame(_ i: Int) -> Frame {
    let report = TelemetryReport(
        time: Instant(nanoseconds: Int64(i) * 1_000_000), state: .injecting, relief: .none, stateReason: .none,
        driver: .enabled, alarm: .off, switches: SwitchInputs(enable: .active), hazards: [],
        stepPosition: Steps(Int64(i * 2)), pressure: Kilopascals(Double(i)), delivered: Microliters(Double(i) / 10),
        committed: Microliters(Double(i) / 10 + 1), cap: Microliters(4500), plungerPosition: nil,
        commandedFlow: MicrolitersPerSecond(66.667), stepRate: StepsPerSecond(1290.5),
        timeSinceMixing: .seconds(200), hostSilence: .milliseconds(3), releaseCycles: 1, eventsDropped: 0)
    return Frame(.telemetry(report), sequence: SequenceNumber(UInt16(truncatingIfNeeded: i)))
}

extension Frame {
    /// The telemetry report of a frame built by `telemetryFrame`.
    var report: TelemetryReport {
        guard case .telemetry(let t) = message else { preconditionFailure("not telemetry") }
        return t
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

@Suite(.serialized) struct RecorderTests {
    /// The writer holds the device side of a pty and the recorder the controller side;
    /// the writer sends 2 000 frames and half of one, then dies (closes its side).
    /// Every byte it wrote must be in the capture; the recorder reports the loss and
    /// keeps retrying, with backoff, a device that is gone.
    @Test func everyByteWrittenBeforeTheWriterDiesIsInTheCapture() throws {
        let (recorderSide, writerSide) = try PseudoTerminalLink.openPair()
        let path = temporaryPath("kill.cap")
        defer { unlink(path); unlink(path + ".notes") }
        let capture = try CaptureWriter(path: path, device: writerSide.devicePath, baudRate: 0, syncInterval: 0.05)
        let handedOut = Box(false)
        let recorder = CaptureRecorder(
            writer: capture, initialBackoff: 0.02, maximumBackoff: 0.1,
            open: { () throws(LinkError) in
                // The first open gets the pty; afterwards the device is gone, as an unplugged adapter is.
                guard !handedOut.value else { throw LinkError(.notFound, device: "pty", detail: "gone") }
                handedOut.value = true
                return recorderSide
            },
            report: { _ in })
        let stop = Atomic<Bool>(false)
        let finished = Atomic<Bool>(false)
        let recorderBox = Box(recorder)
        let recording = Thread {
            try? recorderBox.value.run { stop.load(ordering: .relaxed) }
            finished.store(true, ordering: .releasing)
        }
        recording.start()

        let writerBox = Box(writerSide)
        let sent = Box<[UInt8]>([])
        let done = Atomic<Bool>(false)
        let writer = Thread {
            var bytes: [UInt8] = []
            for i in 0..<2000 {
                let wire = FrameCodec.wireBytes(telemetryFrame(i))
                do { try writerBox.value.write(wire, timeout: .seconds(2)) } catch { break }
                bytes += wire
                if i % 100 == 0 { usleep(1000) }
            }
            let half = Array(FrameCodec.wireBytes(telemetryFrame(2000)).prefix(30))
            if (try? writerBox.value.write(half, timeout: .seconds(2))) != nil { bytes += half }
            sent.value = bytes
            writerBox.value.close()   // killed mid-frame
            done.store(true, ordering: .releasing)
        }
        writer.start()
        for _ in 0..<1000 where !done.load(ordering: .acquiring) { usleep(5_000) }
        for _ in 0..<400 where recorder.counters.failedOpens < 2 { usleep(5_000) }
        stop.store(true, ordering: .relaxed)
        for _ in 0..<400 where !finished.load(ordering: .acquiring) { usleep(5_000) }
        let stopped = finished.load(ordering: .acquiring)
        #expect(stopped)
        try capture.close()

        let written = sent.value
        let recorded = try CaptureReader.capture(path: path)
        #expect(recorded.header.device == writerSide.devicePath)
        #expect(recorded.header.version == .v2 && recorded.damage == nil)
        #expect(written.count == 2000 * 72 + 30 || written.count > 100_000)
        let payload = recorded.chunks.flatMap { recorded.body[$0.range] }
        let identical = payload == written
        #expect(identical)
        // From the firmware, and chunk times never go backwards from the recording's start.
        let times = [recorded.header.monotonicStartNs / 1000] + recorded.chunks.map(\.time.monotonicUs)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 } && recorded.chunks.allSatisfy { $0.direction == .fromFirmware })
        #expect(recorder.counters.losses == 1)
        #expect(recorder.counters.failedOpens >= 2)      // retried with backoff while the device is gone
        let notes = try String(contentsOfFile: path + ".notes", encoding: .utf8)
        #expect(notes.contains("lost:"))
        #expect(notes.contains("cannot open:"))
        let decoded = CaptureDecoder.decode(recorded)
        #expect(decoded.telemetry.count == 2000)
        #expect(decoded.telemetry.allSatisfy { $0.time != nil })
    }

    @Test func aSecondRunAppendsToTheSameCapture() throws {
        let path = temporaryPath("append.cap")
        defer { unlink(path) }
        let first = try CaptureWriter(path: path, device: "/dev/ttyUSB0", baudRate: 115_200)
        try first.append([1, 2, 3])
        try first.close()
        let second = try CaptureWriter(path: path, device: "other", baudRate: 9600)
        #expect(second.header.device == "/dev/ttyUSB0" && second.header.baudRate == 115_200)
        #expect(second.bytesWritten == UInt64(CaptureChunk.headerSize + 3))
        try second.append([4, 5], direction: .toFirmware)
        try second.close()
        let capture = try CaptureReader.capture(path: path)
        #expect(capture.chunks.map { Array(capture.body[$0.range]) } == [[1, 2, 3], [4, 5]])
        #expect(capture.chunks.map(\.direction) == [.fromFirmware, .toFirmware])
        let notACapture = temporaryPath("plain.txt")
        defer { unlink(notACapture) }
        try "hello".write(toFile: notACapture, atomically: false, encoding: .utf8)
        #expect(throws: CaptureError.self) { _ = try CaptureWriter(path: notACapture, device: "x", baudRate: 0) }
    }
}

@Suite struct DecodeTests {
    /// A frame whose CRC is wrong but whose COBS encoding is valid.
    func corruptedWire(_ frame: Frame) -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: WireFormat.maxFrameSize)
        let length = raw.withUnsafeMutableBytes { FrameCodec.writeFrame(frame, into: $0) }
        raw[WireFormat.headerSize + 20] ^= 0x10
        var wire = [UInt8](repeating: 0, count: WireFormat.maxWireSize)
        let n = raw.withUnsafeBytes { src in
            wire.withUnsafeMutableBytes { COBS.encode(UnsafeRawBufferPointer(rebasing: src[0..<length]), into: $0) }
        }
        return Array(wire[0..<n]) + [0]
    }

    @Test func garbageIsCountedAndEveryIntactFrameDecoded() {
        var stream: [UInt8] = [0x42, 0x13, 0x37, 0x00]   // joined mid-frame: a bad encoding
        let identity = FirmwareIdentity(firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                        configurationHash: 0xABCDEF, tickRate: Hertz(1000),
                                        firstEventSequence: SequenceNumber(1))
        stream += FrameCodec.wireBytes(Frame(.identifyResponse(identity), sequence: SequenceNumber(0)))
        for i in 1...300 {
            if i % 50 == 0 { stream += corruptedWire(telemetryFrame(i)); continue }   // 6 CRC failures
            stream += FrameCodec.wireBytes(telemetryFrame(i))
            if i % 100 == 25 { stream += [0x55, 0x66, 0x00] }                          // 3 bad encodings
        }
        stream += [UInt8](repeating: 0x01, count: 200) + [0]                           // 1 oversize
        let event = ControllerEvent(time: Instant(nanoseconds: 2_000_000), kind: .stateChanged, reason: .hostStart,
                                    previousState: .armed, state: .injecting, command: .start)
        let e = Frame(.event(event), sequence: SequenceNumber(1))
        stream += FrameCodec.wireBytes(e)
        var resent = e
        resent.flags = .retransmission
        stream += FrameCodec.wireBytes(resent)
        stream += FrameCodec.wireBytes(Frame(.ack(.start), sequence: SequenceNumber(400), acknowledgement: SequenceNumber(6)))

        let d = CaptureDecoder.decode(stream)
        #expect(d.telemetry.count == 294)
        #expect(d.statistics.checksumFailures == 6)
        #expect(d.statistics.badEncodings == 4)
        #expect(d.statistics.oversizeFrames == 1)
        #expect(d.repeatedEvents == 1)
        #expect(d.log.contains { $0.contains("identify response") && $0.contains("0xabcdef") })
        #expect(d.log.contains { $0.contains("event #1") && $0.contains("armed → injecting") })
        #expect(d.log.contains { $0.contains("ack #6") && $0.contains("start accepted") })
        let summary = CaptureDecoder.summary(d)
        #expect(summary.contains("6 CRC failures"))

        let csv = TelemetryCSV.render(d.telemetry)
        let lines = csv.split(separator: "\n")
        #expect(lines.count == 295)
        // A bare v1 body: no wall time, time from start counted from the first frame.
        #expect(lines[1].hasPrefix(",0,0.001,injecting,none,0,1,0,2,0,2,1,0.1,1.1,4500,,66.667,1290.5,200,3,1,0"))
    }

    @Test func plotIsWellFormedSVGWithThreePanels() {
        let stream = (0..<5000).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }
        var data = PlotData(CaptureDecoder.decode(stream))
        data.pressureLimitKPa = 3500
        let svg = SVGPlot.render(data, title: "test <run>")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("test &lt;run&gt;"))
        // pressure, delivered, committed, cap, flow: the plunger has no sensor here, so no line and no legend entry
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 5)
        #expect(!svg.contains(">plunger<") && svg.contains(">delivered<") && svg.contains(">cap<"))
        #expect(svg.contains("pressure limit 3500 kPa") && svg.contains("time from start (s)"))
        #expect(svg.count < 400_000)
        let empty = PlotData()
        #expect(SVGPlot.render(empty).contains("no telemetry"))
        #expect(LiveLine.format(telemetryFrame(10).report).contains("p="))
    }
}
