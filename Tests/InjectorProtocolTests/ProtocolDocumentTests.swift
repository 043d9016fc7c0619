import InjectorProtocol
import Testing

/// docs/protocol.md's worked examples are the code's output, byte for byte: the
/// document cannot drift from the implementation.
@Suite struct ProtocolDocumentTests {
    struct DocumentedExample {
        var name: String
        var frame: [UInt8] = []
        var wire: [UInt8] = []
    }

    static let documentPath: String = {
        // Tests/InjectorProtocolTests/ThisFile.swift → repository root.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/docs/protocol.md"
    }()

    static func documentedExamples() throws -> [String: DocumentedExample] {
        let text = try readText(Self.documentPath)
        var examples: [String: DocumentedExample] = [:]
        var current: DocumentedExample?
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingPrefix(while: { $0 == " " || $0 == "`" })
            if trimmed.hasPrefix("example:") {
                if let current { examples[current.name] = current }
                current = DocumentedExample(name: String(trimmed.dropFirst(8).filter { $0 != " " && $0 != "`" }))
            } else if trimmed.hasPrefix("frame:") {
                current?.frame = try hexBytes(trimmed.dropFirst(6))
            } else if trimmed.hasPrefix("wire:") {
                current?.wire = try hexBytes(trimmed.dropFirst(5))
            }
        }
        if let current { examples[current.name] = current }
        return examples
    }

    struct BadHex: Error { var text: String }

    static func hexBytes(_ text: Substring) throws -> [UInt8] {
        let digits = text.filter { $0.isHexDigit }
        guard digits.count % 2 == 0 else { throw BadHex(text: String(text)) }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { throw BadHex(text: String(text)) }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    @Test func everyExampleInTheDocumentMatchesTheCodec() throws {
        let documented = try Self.documentedExamples()
        for (name, frame) in ExampleFrames.all {
            guard let example = documented[name] else {
                Issue.record("docs/protocol.md lacks example \(name)")
                continue
            }
            var raw = [UInt8](repeating: 0, count: WireFormat.maxFrameSize)
            let length = raw.withUnsafeMutableBytes { FrameCodec.writeFrame(frame, into: $0) }
            #expect(example.frame == Array(raw[0..<length]), "frame bytes of \(name)")
            #expect(example.wire == FrameCodec.wireBytes(frame), "wire bytes of \(name)")
            #expect(FrameCodec.decode(wire: example.wire) == .success(frame), "decoding \(name)")
        }
        let known = Set(ExampleFrames.all.map(\.name))
        #expect(Set(documented.keys).subtracting(known).isEmpty, "examples in the document the tests do not know")
    }

    @Test func theExamplesCoverEveryMessageTypeAndCommand() {
        let types = Set(ExampleFrames.all.map(\.frame.message.type))
        #expect(types == Set(MessageType.allCases))
        let codes = Set(ExampleFrames.all.compactMap { example -> UInt8? in
            if case .command(let c) = example.frame.message { c.code.rawValue } else { nil }
        })
        #expect(codes == Set(1...15))
    }

    /// `INJECTOR_PRINT_EXAMPLES=1 swift test --filter printExamples` prints the
    /// examples in the document's format (to write the document, never to fix a test).
    @Test func printExamples() {
        guard getenvString("INJECTOR_PRINT_EXAMPLES") != nil else { return }
        for (name, frame) in ExampleFrames.all {
            var raw = [UInt8](repeating: 0, count: WireFormat.maxFrameSize)
            let length = raw.withUnsafeMutableBytes { FrameCodec.writeFrame(frame, into: $0) }
            print("EXAMPLE \(name)")
            print("frame: " + hex(Array(raw[0..<length])))
            print("wire:  " + hex(FrameCodec.wireBytes(frame)))
        }
    }

    func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
