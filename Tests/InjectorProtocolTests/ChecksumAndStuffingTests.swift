import InjectorProtocol
import Testing

@Suite struct ChecksumAndStuffingTests {
    @Test func crc32cMatchesItsCatalogueCheckValue() {
        let check = Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) }
        #expect(check == 0xE306_9283)
        #expect(check == CRC32C.checkValue)
    }

    @Test func crc32cOfLongAndUnalignedInputsMatchesTheBitwiseDefinition() {
        var rng = SplitMix64(seed: 7)
        for length in 0..<100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let fast = bytes.withUnsafeBytes { CRC32C.checksum($0) }
            #expect(fast == bitwiseCRC32C(bytes), "length \(length)")
        }
    }

    /// The reference: one bit at a time, straight from the parameters.
    func bitwiseCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    /// Vectors from the COBS paper and its Wikipedia article.
    @Test(arguments: [
        ([0x00], [0x01, 0x01]),
        ([0x00, 0x00], [0x01, 0x01, 0x01]),
        ([0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]),
        ([0x11, 0x22, 0x33, 0x44], [0x05, 0x11, 0x22, 0x33, 0x44]),
        ([0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]),
    ] as [([UInt8], [UInt8])])
    func cobsKnownVectors(_ raw: [UInt8], _ encoded: [UInt8]) {
        var out = [UInt8](repeating: 0xEE, count: raw.count + 2)
        let n = raw.withUnsafeBytes { src in out.withUnsafeMutableBytes { COBS.encode(src, into: $0) } }
        #expect(Array(out[0..<n]) == encoded)
        var back = encoded
        let m = back.withUnsafeMutableBytes { COBS.decodeInPlace($0, count: $0.count) }
        #expect(m.map { Array(back[0..<$0]) } == raw)
    }

    @Test func cobsRoundTripsLongRunsWithoutZeros() {
        let raw = [UInt8](repeating: 0x5A, count: 600)
        var out = [UInt8](repeating: 0, count: 610)
        let n = raw.withUnsafeBytes { src in out.withUnsafeMutableBytes { COBS.encode(src, into: $0) } }
        #expect(n == 600 + 3)
        #expect(!out[0..<n].contains(0))
        let m = out.withUnsafeMutableBytes { COBS.decodeInPlace($0, count: n) }
        #expect(m == 600 && Array(out[0..<600]) == raw)
    }

    @Test func cobsRejectsBlocksThatRunPastTheEndOrContainZero() {
        var runsOver: [UInt8] = [0x05, 0x11, 0x22]
        #expect(runsOver.withUnsafeMutableBytes { COBS.decodeInPlace($0, count: 3) } == nil)
        var zeroInside: [UInt8] = [0x03, 0x00, 0x22]
        #expect(zeroInside.withUnsafeMutableBytes { COBS.decodeInPlace($0, count: 3) } == nil)
    }
}
