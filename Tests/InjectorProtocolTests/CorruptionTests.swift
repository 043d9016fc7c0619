import InjectorProtocol
import Testing

/// Line noise: random bit flips, lost bytes, truncations, inserted bytes and garbage
/// bursts at a rate of 1 byte in 100. No corrupted frame may be accepted, every
/// intact frame must be decoded, and resynchronisation may cost at most one frame.
///
/// A million frames take about 10 s in a debug build; `INJECTOR_CORRUPTION_FRAMES`
/// changes the count. The result is recorded in docs/protocol.md, "Evidence".
@Suite struct CorruptionTests {
    static var frameCount: Int {
        guard let text = getenvString("INJECTOR_CORRUPTION_FRAMES"), let n = Int(text) else { return 1_000_000 }
        return n
    }

    @Test func noCorruptedFrameIsAcceptedAndEveryIntactFrameIsDecoded() {
        let seed: UInt64 = 0xC0FF_EE00_2006
        let result = CorruptionCampaign.run(frames: Self.frameCount, seed: seed, bytesPerHit: 100)
        print("corruption campaign: \(result)")
        #expect(result.falseAccepts == 0, "seed \(seed)")
        #expect(result.intactMissed == 0, "seed \(seed)")
        #expect(result.maxIntactLostInARow <= 1, "seed \(seed)")
        #expect(result.corrupted > result.frames / 5, "the campaign must actually corrupt frames")
        #expect(result.intactDecoded + result.intactLostAtBoundary + result.intactMissed + result.corrupted == result.frames)
    }
}

struct CorruptionCampaign: CustomStringConvertible {
    var frames = 0
    var corrupted = 0
    var corruptedButRecovered = 0
    var intactDecoded = 0
    /// Intact frames lost because the frame before them lost its delimiter.
    var intactLostAtBoundary = 0
    var intactMissed = 0
    var falseAccepts = 0
    /// A frame whose delimiter was lost arrives exactly, but with the next frame's delimiter.
    var decodedLate = 0
    var maxIntactLostInARow = 0
    var bitFlips = 0, deletions = 0, insertions = 0, truncations = 0, bursts = 0
    var statistics = ReceiveStatistics()

    var description: String {
        "\(frames) frames, \(corrupted) corrupted (\(bitFlips) bit flips, \(deletions) deleted bytes, "
            + "\(insertions) inserted bytes, \(truncations) truncations, \(bursts) garbage bursts); "
            + "\(intactDecoded) intact decoded, \(intactLostAtBoundary) intact lost at a destroyed delimiter "
            + "(max \(maxIntactLostInARow) in a row), \(intactMissed) intact missed, \(falseAccepts) corrupted accepted, "
            + "\(corruptedButRecovered) damaged around but decoded exactly, \(decodedLate) decoded exactly with the next frame's delimiter; decoder dropped \(statistics.framesDropped) "
            + "(crc \(statistics.checksumFailures), encoding \(statistics.badEncodings), oversize \(statistics.oversizeFrames), "
            + "malformed \(statistics.malformedPayloads), unknown type \(statistics.unknownTypes), version \(statistics.versionMismatches))"
    }

    static func run(frames: Int, seed: UInt64, bytesPerHit: Int) -> CorruptionCampaign {
        var campaign = CorruptionCampaign()
        var factory = MessageFactory(seed: seed)
        var noise = SplitMix64(seed: ~seed)
        var decoder = StreamDecoder()
        var previousEndedWithDelimiter = true
        var lostInARow = 0
        var previous: (frame: Frame, delivered: Bool)?
        var segment: [UInt8] = []
        segment.reserveCapacity(256)
        for _ in 0..<frames {
            let frame = factory.anyFrame()
            let original = FrameCodec.wireBytes(frame)
            segment.removeAll(keepingCapacity: true)
            let damaged = campaign.corrupt(original, into: &segment, rng: &noise, bytesPerHit: bytesPerHit)
            var decoded: [Frame] = []
            decoder.feed(segment) { decoded.append($0) }
            campaign.frames += 1
            let mustDecode = !damaged && previousEndedWithDelimiter
            var gotIt = false
            for d in decoded {
                if d == frame && !gotIt {
                    gotIt = true
                } else if let p = previous, !p.delivered, d == p.frame {
                    campaign.decodedLate += 1
                    previous?.delivered = true
                } else {
                    campaign.falseAccepts += 1
                }
            }
            if damaged {
                campaign.corrupted += 1
                if gotIt { campaign.corruptedButRecovered += 1 }
            } else if gotIt {
                campaign.intactDecoded += 1
            } else if mustDecode {
                campaign.intactMissed += 1
            } else {
                campaign.intactLostAtBoundary += 1
            }
            if !damaged && !gotIt { lostInARow += 1 } else { lostInARow = 0 }
            campaign.maxIntactLostInARow = max(campaign.maxIntactLostInARow, lostInARow)
            if let last = segment.last { previousEndedWithDelimiter = last == 0 }
            previous = (frame, gotIt)
        }
        campaign.statistics = decoder.statistics
        return campaign
    }

    /// Copies `original` into `out`, damaging each byte with probability 1/`bytesPerHit`.
    /// Returns whether anything changed.
    mutating func corrupt(_ original: [UInt8], into out: inout [UInt8], rng: inout SplitMix64,
                          bytesPerHit: Int) -> Bool {
        var damaged = false
        var i = 0
        while i < original.count {
            let byte = original[i]
            guard Int.random(in: 0..<bytesPerHit, using: &rng) == 0 else {
                out.append(byte)
                i += 1
                continue
            }
            damaged = true
            switch Int.random(in: 0..<8, using: &rng) {
            case 0, 1:
                bitFlips += 1
                out.append(byte ^ (1 << UInt8.random(in: 0...7, using: &rng)))
            case 2, 3:
                deletions += 1
            case 4, 5:
                insertions += 1
                out.append(UInt8.random(in: 0...255, using: &rng))
                out.append(byte)
            case 6:
                // The rest of the frame is lost; the line goes idle and the next frame
                // starts (the delimiter may or may not survive).
                truncations += 1
                if Bool.random(using: &rng) { out.append(0) }
                return true
            default:
                bursts += 1
                for _ in 0..<Int.random(in: 1...8, using: &rng) { out.append(UInt8.random(in: 0...255, using: &rng)) }
                out.append(byte)
            }
            i += 1
        }
        if damaged && out == original { damaged = false }
        return damaged
    }
}
