// libFuzzer entry points for the stream decoder (recipe: swift-linux-notes.md).
// SwiftPM links an executable's entry as `<Module>_main`; we define it and hand
// control to libFuzzer's driver, which calls `LLVMFuzzerTestOneInput` per input.
import InjectorProtocol

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("ProtocolFuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, { data, size in
        fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
    })
}

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
}

/// Any input: the decoder must not crash and must count every dropped frame; a
/// frame it accepts must re-encode to exactly the bytes it came from (so nothing of
/// an accepted frame was misread or ignored); chunked and byte-wise feeding and the
/// single-frame decoder must agree.
func fuzzOne(_ input: UnsafeRawBufferPointer) -> Int32 {
    // The reference: split at delimiters, decode each delimited segment on its own.
    var expected: [[UInt8]] = []
    var segment: [UInt8] = []
    var delimiters = 0
    for byte in input {
        guard byte == 0 else { segment.append(byte); continue }
        delimiters += 1
        if !segment.isEmpty, segment.count <= WireFormat.maxEncodedSize,
           case .success(let frame) = FrameCodec.decode(wire: segment) {
            let wire = FrameCodec.wireBytes(frame)
            precondition(wire == segment + [0], "accepted frame is not canonical")
            expected.append(wire)
        }
        segment.removeAll(keepingCapacity: true)
    }
    var decoder = StreamDecoder()
    var accepted: [[UInt8]] = []
    decoder.feed(input) { accepted.append(FrameCodec.wireBytes($0)) }
    precondition(accepted == expected, "stream decoder disagrees with frame decoder")
    let stats = decoder.statistics
    precondition(stats.framesDecoded == UInt64(accepted.count), "decoded count disagrees")
    precondition(stats.framesDecoded + stats.framesDropped <= UInt64(delimiters) + 1,
                 "more frames counted than delimiters")
    var byteWise = StreamDecoder()
    var byteWiseAccepted = 0
    for byte in input where byteWise.push(byte) != nil { byteWiseAccepted += 1 }
    precondition(byteWiseAccepted == accepted.count && byteWise.statistics == stats,
                 "chunked and byte-wise feeding disagree")
    return 0
}
