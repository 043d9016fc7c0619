// Protocol codec throughput: one telemetry frame encoded into a reused buffer and
// decoded by the stream decoder. Target (issue 3): >= 3 million frames/s, 0 mallocs.
import Benchmark
import BenchmarkSamples
import InjectorCore
import InjectorProtocol

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3))

    Benchmark("Telemetry frame encode+decode") { benchmark in
        let wire = UnsafeMutableRawBufferPointer.allocate(byteCount: WireFormat.maxWireSize, alignment: 8)
        defer { wire.deallocate() }
        var decoder = StreamDecoder()
        var tick: Int64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            tick &+= 1
            let frame = Frame(.telemetry(sampleReport(tick)), sequence: SequenceNumber(UInt16(truncatingIfNeeded: tick)))
            let count = FrameCodec.encode(frame, into: wire)
            decoder.feed(UnsafeRawBufferPointer(rebasing: wire[0..<count])) { blackHole($0) }
        }
        benchmark.stopMeasurement()
        precondition(decoder.statistics.framesDecoded == UInt64(tick), "every frame must decode")
    }

    Benchmark("Telemetry frame encode") { benchmark in
        let wire = UnsafeMutableRawBufferPointer.allocate(byteCount: WireFormat.maxWireSize, alignment: 8)
        defer { wire.deallocate() }
        var tick: Int64 = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            tick &+= 1
            let frame = Frame(.telemetry(sampleReport(tick)), sequence: SequenceNumber(UInt16(truncatingIfNeeded: tick)))
            blackHole(FrameCodec.encode(frame, into: wire))
        }
    }

    Benchmark("Telemetry frame decode") { benchmark in
        let wire = FrameCodec.wireBytes(Frame(.telemetry(sampleReport(1)), sequence: SequenceNumber(1)))
        var decoder = StreamDecoder()
        benchmark.startMeasurement()
        wire.withUnsafeBytes { bytes in
            for _ in benchmark.scaledIterations {
                decoder.feed(bytes) { blackHole($0) }
            }
        }
    }
}
