// Capture throughput (issue 11): decoding and writing a v2 capture must keep up with
// 50 × the byte rate of a 3 Mbaud link, 3e6 / 10 × 50 = 15 MB/s. Each iteration
// handles one 1 MiB body of the firmware's traffic (telemetry at every tick, a
// heartbeat and an event now and then, the host's commands), cut into 4 KiB chunks as
// the recorder reads them; the figure per second is 1 MiB / the time per iteration.
#if canImport(Glibc)
import Glibc
#endif
import Benchmark
import BenchmarkSamples
import InjectorCore
import InjectorLogger
import InjectorProtocol

let bodyBytes = 1 << 20
let readBytes = 4096

/// The firmware's and the host's bytes: 1 MiB from the firmware, the host's share beside it.
func traffic() -> (fromFirmware: [UInt8], toFirmware: [UInt8]) {
    var firmware: [UInt8] = [], host: [UInt8] = []
    var tick: Int64 = 0
    while firmware.count < bodyBytes {
        tick += 1
        let seq = SequenceNumber(UInt16(truncatingIfNeeded: tick))
        firmware += FrameCodec.wireBytes(Frame(.telemetry(sampleReport(tick)), sequence: seq))
        if tick % 100 == 0 {
            let beat = Heartbeat(time: Instant(nanoseconds: tick * 1_000_000), framesDropped: 0)
            firmware += FrameCodec.wireBytes(Frame(.heartbeat(beat), sequence: seq))
            host += FrameCodec.wireBytes(Frame(.heartbeat(beat), sequence: seq))
        }
        if tick % 500 == 0 {
            let e = ControllerEvent(time: Instant(nanoseconds: tick * 1_000_000), kind: .rateChanged,
                                    previousState: .injecting, state: .injecting, value: 66.667)
            firmware += FrameCodec.wireBytes(Frame(.event(e), sequence: seq))
            host += FrameCodec.wireBytes(Frame(.command(.setRate(MicrolitersPerSecond(66.667))), sequence: seq))
        }
    }
    return (Array(firmware.prefix(bodyBytes)), host)
}

/// The traffic as the writer lays it down, 4 KiB reads from the firmware with the
/// host's bytes between them, read back as a capture.
func sampleCapture(_ t: (fromFirmware: [UInt8], toFirmware: [UInt8])) throws -> Capture {
    let path = "/tmp/injector-bench-capture-\(getpid()).cap"
    defer { unlink(path) }
    let writer = try CaptureWriter(path: path, device: "bench", baudRate: 3_000_000, syncInterval: 3600)
    try write(t, to: writer)
    try writer.close()
    return try CaptureReader.capture(path: path)
}

func write(_ t: (fromFirmware: [UInt8], toFirmware: [UInt8]), to writer: CaptureWriter) throws {
    let hostShare = max(1, t.toFirmware.count * readBytes / t.fromFirmware.count)
    var hostAt = 0
    try t.fromFirmware.withUnsafeBytes { firmware in
        try t.toFirmware.withUnsafeBytes { host in
            for start in stride(from: 0, to: firmware.count, by: readBytes) {
                try writer.append(UnsafeRawBufferPointer(rebasing: firmware[start..<min(firmware.count, start + readBytes)]))
                if hostAt < host.count {
                    let end = min(host.count, hostAt + hostShare)
                    try writer.append(UnsafeRawBufferPointer(rebasing: host[hostAt..<end]), direction: .toFirmware)
                    hostAt = end
                }
            }
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(5))
    let sample = traffic()

    Benchmark("Capture decode, 1 MiB (frames, times, messages)") { benchmark in
        let capture = try sampleCapture(sample)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let parsed = Capture(header: capture.header, body: capture.body)
            let decoded = CaptureDecoder.decode(parsed)
            precondition(decoded.statistics.framesDropped == 0 && decoded.telemetry.count > 10_000, "decodes cleanly")
            blackHole(decoded)
        }
    }

    Benchmark("Capture decode + CSV + JSON Lines, 1 MiB") { benchmark in
        let capture = try sampleCapture(sample)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let decoded = CaptureDecoder.decode(Capture(header: capture.header, body: capture.body))
            blackHole(TelemetryCSV.render(decoded.telemetry))
            blackHole(DecodedJSONLines.render(decoded.messages))
        }
    }

    Benchmark("Capture write, 1 MiB in 4 KiB chunks (page cache, no fsync)") { benchmark in
        let path = "/tmp/injector-bench-write-\(getpid()).cap"
        defer { unlink(path) }
        for _ in benchmark.scaledIterations {
            unlink(path)
            let writer = try CaptureWriter(path: path, device: "bench", baudRate: 3_000_000, syncInterval: 3600)
            benchmark.startMeasurement()
            try write(sample, to: writer)
            benchmark.stopMeasurement()
            try writer.close()
        }
    }
}
