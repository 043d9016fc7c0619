import InjectorProtocol

/// Cuts one client's byte stream into whole frames for the device: each delimited
/// chunk is checked by the protocol's own `StreamDecoder` and passed on byte for byte
/// only if it decodes, so two clients' frames never interleave on the device and a
/// client's garbage or half frame never reaches it (counted in `statistics`).
final class ClientFramer {
    private var decoder = StreamDecoder()
    private var chunk: [UInt8] = []
    /// Frames from this client passed on.
    private(set) var framesForwarded: UInt64 = 0

    init() { chunk.reserveCapacity(WireFormat.maxWireSize) }

    var statistics: ReceiveStatistics { decoder.statistics }

    /// Feeds what the client sent; calls `forward` with each whole, valid frame's wire
    /// bytes (delimiter included) in order.
    func feed(_ bytes: UnsafeRawBufferPointer, _ forward: ([UInt8]) -> Void) {
        for byte in bytes {
            let frame = decoder.push(byte)
            if byte != WireFormat.delimiter {
                // Past the longest frame the decoder counts it oversize; keep no more of it.
                if chunk.count < WireFormat.maxWireSize { chunk.append(byte) }
                continue
            }
            if frame != nil {
                chunk.append(byte)
                framesForwarded += 1
                forward(chunk)
            }
            chunk.removeAll(keepingCapacity: true)
        }
    }
}
