#if canImport(Glibc)
import Glibc
#endif
import Foundation
import InjectorCore
import InjectorLinks
@testable import InjectorLogger
import InjectorProtocol
import Synchronization
import Testing

@Suite(.serialized) struct CaptureRotationTests {
    func cleanup(_ base: String) {
        for i in 1...50 { unlink(CaptureRotation.piecePath(base, i)) }
    }

    @Test func piecesAreNumberedBeforeTheExtension() {
        #expect(CaptureRotation.piecePath("run.cap", 1) == "run-0001.cap")
        #expect(CaptureRotation.piecePath("/tmp/a.b/run", 12) == "/tmp/a.b/run-0012")
        #expect(CaptureRotation.piecePath("dir/x.y.cap", 3) == "dir/x.y-0003.cap")
    }

    /// 600 chunks of 1 KiB under the smallest size limit: every file stays under it,
    /// each is a whole capture, and together they hold every byte in order.
    @Test func rotationBySizeKeepsEveryByteInWholeFiles() throws {
        let base = temporaryPath("rot.cap")
        defer { cleanup(base) }
        let limit = CaptureRotation.minimumBytes
        let writer = try CaptureWriter(path: base, device: "d", baudRate: 0, rotation: CaptureRotation(maxBytes: limit))
        var sent: [UInt8] = []
        for i in 0..<600 {
            let chunk = [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 1024)
            try writer.append(chunk)
            sent += chunk
        }
        try writer.close()
        let expectedFiles = Int((UInt64(600 * 1044) + limit - 1) / (limit - 64))
        #expect(writer.files.count >= expectedFiles && writer.files.count <= expectedFiles + 1)
        #expect(writer.files.first == CaptureRotation.piecePath(base, 1))
        var got: [UInt8] = []
        for file in writer.files {
            var info = stat()
            stat(file, &info)
            #expect(UInt64(info.st_size) <= limit)
            let capture = try CaptureReader.capture(path: file)
            #expect(capture.damage == nil && capture.header.version == .v2)
            for c in capture.chunks { got += capture.body[c.range] }
        }
        #expect(got == sent)
        // A second recording with the same name starts after the existing pieces.
        let again = try CaptureWriter(path: base, device: "d", baudRate: 0, rotation: CaptureRotation(maxBytes: limit))
        #expect(again.path == CaptureRotation.piecePath(base, writer.files.count + 1))
    }

    @Test func rotationByTimeStartsANewFileWhenTheIntervalIsUp() throws {
        let base = temporaryPath("rot-time.cap")
        defer { cleanup(base) }
        let writer = try CaptureWriter(path: base, device: "d", baudRate: 0, rotation: CaptureRotation(maxSeconds: 0.2))
        for i in 0..<7 {
            try writer.append(FrameCodec.wireBytes(telemetryFrame(i)))
            usleep(100_000)
        }
        try writer.close()
        // 7 appends 0.1 s apart over 0.6 s: a new file at least every 0.2 s of writing.
        #expect(writer.files.count >= 3 && writer.files.count <= 4)
        let rows = try writer.files.map { CaptureDecoder.decode(try CaptureReader.capture(path: $0)).telemetry.count }
        #expect(rows.reduce(0, +) == 7)
        #expect(rows.allSatisfy { $0 >= 1 })
    }
}

@Suite struct CaptureSummaryTests {
    /// A run with two pauses, a release and a fault, told in events and telemetry.
    @Test func theSummaryNamesPausesReleasesAndFaults() throws {
        var stream: [UInt8] = []
        func ev(_ ms: Int64, _ kind: EventKind, _ reason: Reason, _ from: InjectorState, _ to: InjectorState, _ seq: UInt16) {
            let e = ControllerEvent(time: Instant(nanoseconds: ms * 1_000_000), kind: kind, reason: reason,
                                    previousState: from, state: to)
            stream += FrameCodec.wireBytes(eventFrame(e, seq))
        }
        for i in 0..<100 { stream += FrameCodec.wireBytes(telemetryFrame(i)) }
        ev(20, .stateChanged, .hostPause, .injecting, .paused, 1)
        ev(30, .stateChanged, .releaseDue, .injecting, .releasing, 2)
        ev(40, .stateChanged, .pressureLimit, .injecting, .paused, 3)
        ev(50, .faultLatched, .pressureLimit, .injecting, .faulted, 4)
        let summary = CaptureSummary(CaptureDecoder.decode(stream))
        #expect(summary.pauses.map(\.what) == ["\(Reason.hostPause)", "\(Reason.pressureLimit)"])
        #expect(summary.pauses.map(\.seconds) == [0.02, 0.04])
        #expect(summary.releases == 1)
        #expect(summary.faults.count == 1)
        #expect(summary.peakPressure == Kilopascals(99))       // telemetry i has pressure i kPa
        #expect(summary.delivered == Microliters(9.9) && summary.cap == Microliters(4500))
        #expect(summary.durationS == 0.099)
        let text = summary.render(title: "test")
        #expect(text.contains("delivered:  9.9 µL of cap 4500 µL (0.2 %)"))
        #expect(text.contains("peak:       99 kPa at 0.099 s"))
        #expect(text.contains("pauses:     2\n    at 0.02 s: \(Reason.hostPause)"))
        #expect(text.split(separator: "\n").count <= 24)      // one screen
    }
}

@Suite(.serialized) struct CaptureReplayTests {
    /// A capture of three bursts 150 ms apart, with a host's command between them,
    /// played out of a pty: the reader gets exactly the firmware's bytes, and at the
    /// original pace no sooner than the bursts were recorded.
    func play(_ pace: CaptureReplay.Pace) throws -> (bytes: [UInt8], expected: [UInt8], seconds: Double) {
        let path = temporaryPath("replay.cap")
        defer { unlink(path) }
        let writer = try CaptureWriter(path: path, device: "d", baudRate: 0)
        let start = writer.header.monotonicStartNs / 1000
        var expected: [UInt8] = []
        for burst in 0..<3 {
            let bytes = (0..<40).flatMap { FrameCodec.wireBytes(telemetryFrame(burst * 40 + $0)) }
            try writer.append(bytes, at: CaptureTime(monotonicUs: start + Int64(burst) * 150_000, wallClockUs: 0))
            try writer.append(FrameCodec.wireBytes(commandFrame(.pause, UInt16(burst))), direction: .toFirmware,
                              at: CaptureTime(monotonicUs: start + Int64(burst) * 150_000 + 10, wallClockUs: 0))
            expected += bytes
        }
        try writer.close()
        let capture = try CaptureReader.capture(path: path)
        let (reader, device) = try PseudoTerminalLink.openPair()
        let received = Mutex<[UInt8]>([])
        let done = Atomic<Bool>(false)
        let readerBox = Box(reader)
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done.load(ordering: .acquiring) {
                let n = (try? buffer.withUnsafeMutableBytes { try readerBox.value.read(into: $0, timeout: .milliseconds(20)) }) ?? 0
                if n > 0 { received.withLock { $0 += buffer[0..<n] } }
            }
        }
        thread.start()
        let began = Date()
        let played = try CaptureReplay.play(capture, directions: [.fromFirmware], to: device, pace: pace)
        let seconds = Date().timeIntervalSince(began)
        for _ in 0..<200 where received.withLock({ $0.count }) < expected.count { usleep(10_000) }
        done.store(true, ordering: .releasing)
        usleep(50_000)
        #expect(played.chunks == 3 && played.bytes == expected.count)
        return (received.withLock { $0 }, expected, seconds)
    }

    @Test func replayAtTheOriginalTimingSendsTheSameBytesNoSooner() throws {
        let r = try play(.original)
        #expect(r.bytes == r.expected)
        #expect(r.seconds >= 0.29)
    }

    @Test func replayAsFastAsPossibleSendsTheSameBytes() throws {
        let r = try play(.asFastAsPossible)
        #expect(r.bytes == r.expected)
        #expect(r.seconds < 0.29)
    }
}

@Suite struct PlotTests {
    @Test func ticksAreRoundNumbersAroundTheData() {
        let s = NiceScale(-46.4, 946.9)
        #expect(s.step == 200 && s.lower == -200 && s.upper == 1000)
        #expect(s.ticks == [-200, 0, 200, 400, 600, 800, 1000])
        #expect(s.ticks.map(s.label) == ["−200", "0", "200", "400", "600", "800", "1000"])
        let small = NiceScale(0.013, 0.087)
        #expect(small.step == 0.02 && small.ticks.map(small.label) == ["0", "0.02", "0.04", "0.06", "0.08", "0.10"])
        let flat = NiceScale(4500, 4500)
        #expect(flat.lower < 4500 && flat.upper > 4500 && flat.ticks.count >= 2)
        for (lo, hi) in [(0.0, 1.0), (-3.3, 17.0), (1234.5, 98_765.0), (0.0, 0.0042)] {
            let n = NiceScale(lo, hi)
            #expect(n.lower <= lo && n.upper >= hi && n.ticks.count >= 3 && n.ticks.count <= 11)
            let m = n.step / NiceScale.pow10(Int(log10(n.step).rounded(.down)))
            #expect([1, 2, 5].contains { abs($0 - m) < 1e-9 })
        }
    }

    /// A capture with a pause and a fault: a band per state run, a mark per event, and
    /// the legend lists only the states and series that are there.
    @Test func statesPausesAndFaultsShowInThePlot() {
        var stream: [UInt8] = []
        func state(_ i: Int) -> InjectorState { i < 100 ? .injecting : i < 150 ? .paused : i < 200 ? .injecting : .faulted }
        for i in 0..<250 {
            var f = telemetryFrame(i)
            if case .telemetry(var t) = f.message { t.state = state(i); f.message = .telemetry(t) }
            stream += FrameCodec.wireBytes(f)
        }
        for (seq, ms, kind, reason, to) in [(1, 100, EventKind.stateChanged, Reason.hostPause, InjectorState.paused),
                                            (2, 200, .faultLatched, .pressureLimit, .faulted)] as [(UInt16, Int64, EventKind, Reason, InjectorState)] {
            let e = ControllerEvent(time: Instant(nanoseconds: ms * 1_000_000), kind: kind, reason: reason,
                                    previousState: .injecting, state: to)
            stream += FrameCodec.wireBytes(eventFrame(e, seq))
        }
        let data = PlotData(CaptureDecoder.decode(stream))
        #expect(data.markers.map(\.kind) == [.pause, .fault])
        let svg = SVGPlot.render(data)
        #expect(svg.components(separatedBy: "fill=\"\(SVGPlot.stateColors["paused"]!)\"").count - 1 == 3 + 1)   // 3 panels + legend
        #expect(svg.contains(">paused: \(Reason.hostPause)<") && svg.contains(">fault: \(Reason.pressureLimit)<"))
        #expect(svg.contains(">faulted<") && !svg.contains(">armed<"))
    }

    /// The simulator's CSV and the logger's share the plot's columns: both plot, and a
    /// CSV without the time column is refused by name.
    @Test func aCSVOfTheSharedSchemaPlots() throws {
        let csv = """
            time_from_start_s,state,pressure_kPa,syringe_pressure_kPa,delivered_uL,cap_uL,commanded_flow_uL_per_s,other
            -1,priming,0,0,0,3000,50,x
            0,injecting,100,101,0,3000,60,x
            1,injecting,900,905,60,3000,60,x
            2,paused,800,801,120,3000,0,x
            3,complete,50,52,120,3000,0,x
            """
        let data = try PlotData(csv: csv)
        #expect(data.times == [-1, 0, 1, 2, 3])
        #expect(data.values["syringe_pressure_kPa"] == [0, 101, 905, 801, 52])
        #expect(data.values["other"] == nil && data.markers.map(\.label) == ["paused"])
        let svg = SVGPlot.render(data)
        #expect(svg.contains(">syringe pressure (true)<") && !svg.contains(">committed<"))
        #expect(throws: PlotInputError.self) { _ = try PlotData(csv: "time_s,state\n0,idle\n") }
        let logger = TelemetryCSV.render(CaptureDecoder.decode((0..<10).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }).telemetry)
        #expect(try PlotData(csv: logger).values["pressure_kPa"]?.count == 10)
    }
}
