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

@Suite(.serialized) struct LiveMonitorTests {
    /// The monitor watches a pty whose other end sends 30 frames and goes away; the
    /// device is then missing for one attempt and comes back as a new pty that sends 30
    /// more. Every frame of both connections is shown, the loss and the failed open are
    /// reported, and the decoder's counts cover both connections.
    @Test func aVanishedDeviceIsReportedReopenedAndWatchedAgain() throws {
        let (firstMonitorSide, firstWriterSide) = try PseudoTerminalLink.openPair()
        let (secondMonitorSide, secondWriterSide) = try PseudoTerminalLink.openPair()
        let attempts = Box(0)
        let lines = Mutex<[String]>([])
        let reports = Mutex<[String]>([])
        let monitor = LiveMonitor(
            every: 1, initialBackoff: 0.02, maximumBackoff: 0.05,
            open: { () throws(LinkError) in
                attempts.value += 1
                switch attempts.value {
                case 1: return firstMonitorSide
                case 2: throw LinkError(.notFound, device: "pty", detail: "unplugged")
                default: return secondMonitorSide
                }
            },
            report: { text in reports.withLock { $0.append(text) } },
            output: { text in lines.withLock { $0.append(text) } })

        // The second device's frames wait in its pty until the monitor opens it.
        try secondWriterSide.write((30..<60).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }, timeout: .seconds(2))
        try firstWriterSide.write((0..<30).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }, timeout: .seconds(2))
        usleep(50_000)
        firstWriterSide.close()

        let shown = { lines.withLock { $0.count } }
        let deadline = Date().addingTimeInterval(5)
        monitor.run { shown() >= 60 || Date() > deadline }
        secondWriterSide.close()

        let output = lines.withLock { $0 }
        let notes = reports.withLock { $0 }
        #expect(output.count == 60)
        #expect(output.allSatisfy { $0.contains("injecting") })
        let counters = monitor.counters
        #expect(counters.opens == 2 && counters.failedOpens == 1 && counters.losses == 1)
        #expect(counters.telemetryFrames == 60)
        #expect(monitor.statistics.framesDecoded == 60)
        #expect(monitor.statistics.framesDropped == 0)
        #expect(monitor.statistics.sequenceGaps == 0)
        #expect(notes.contains { $0.hasPrefix("lost:") })
        #expect(notes.filter { $0.hasPrefix("cannot open:") }.count == 1)
    }

    /// `every` thins telemetry for reading, never events.
    @Test func everyNthTelemetryFrameIsShown() throws {
        let (monitorSide, writerSide) = try PseudoTerminalLink.openPair()
        let lines = Mutex<[String]>([])
        let monitor = LiveMonitor(every: 10, open: { () throws(LinkError) in monitorSide },
                                  report: { _ in }, output: { text in lines.withLock { $0.append(text) } })
        try writerSide.write((0..<45).flatMap { FrameCodec.wireBytes(telemetryFrame($0)) }, timeout: .seconds(2))
        let deadline = Date().addingTimeInterval(5)
        monitor.run { monitor.counters.telemetryFrames >= 45 || Date() > deadline }
        writerSide.close()
        #expect(monitor.counters.telemetryFrames == 45)
        #expect(lines.withLock { $0.count } == 5)   // frames 0, 10, 20, 30, 40
    }
}
