import InjectorCore
import InjectorProtocol
import PropertyBased
import Testing

/// Every message type survives encode → decode unchanged, and its wire bytes are
/// canonical: decoding and re-encoding gives the same bytes.
@Suite struct RoundTripTests {
    @Test(arguments: MessageType.allCases)
    func everyMessageTypeRoundTrips(_ type: MessageType) async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var factory = MessageFactory(seed: seed)
            let frame = factory.frame(type)
            let wire = FrameCodec.wireBytes(frame)
            #expect(wire.count <= WireFormat.maxWireSize)
            #expect(wire.last == 0 && !wire.dropLast().contains(0), "only the delimiter may be zero")
            let decoded = FrameCodec.decode(wire: wire)
            #expect(decoded == .success(frame), "seed \(seed)")
            if case .success(let again) = decoded { #expect(FrameCodec.wireBytes(again) == wire) }
        }
    }

    @Test func telemetryFromASnapshotIsQuantisedOnce() async {
        await propertyCheck(count: 300, input: Gen.double(in: -1e6...1e6), Gen.int64(in: -1_000_000_000...1_000_000_000)) { volume, ns in
            var factory = MessageFactory(seed: UInt64(bitPattern: ns))
            var report = factory.telemetry()
            report.delivered = Microliters(Milli.quantized(volume))
            report.timeSinceMixing = ns < 0 ? nil : Interval(nanoseconds: ns / 1_000_000 * 1_000_000)
            let frame = Frame(.telemetry(report), sequence: SequenceNumber(1))
            #expect(FrameCodec.decode(wire: FrameCodec.wireBytes(frame)) == .success(frame))
        }
    }

    @Test func scaledFieldsSaturateAndCarryNoValue() {
        #expect(Milli.encode(.infinity) == Int32.max)
        #expect(Milli.encode(-.infinity) == -Int32.max)
        #expect(Milli.encode(.nan) == Milli.none)
        #expect(Milli.decode(Milli.none).isNaN)
        #expect(Milli.encode(1.5) == 1500)
        #expect(Milli.encode(-2.0004) == -2000)
        #expect(Milli.encode(3e9) == Int32.max)
    }

    @Test func invalidCommandArgumentsAreRecognised() {
        #expect(!CommandArguments.areValid(.setRate(MicrolitersPerSecond(.nan))))
        #expect(!CommandArguments.areValid(.setRate(MicrolitersPerSecond(-1))))
        #expect(!CommandArguments.areValid(.tightenCap(Microliters(.infinity))))
        let badLevel = ProcedurePlan(level: VertebralLevel(region: .lumbar, number: 6), anteriorCapacity: .direct(Microliters(3000)),
                                     fillFractionLimit: 0.5, approach: .bipedicular, perPedicleCap: Microliters(1500))
        #expect(!CommandArguments.areValid(.configureProcedure(badLevel)))
    }
}
