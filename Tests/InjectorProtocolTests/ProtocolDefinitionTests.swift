import Foundation
import InjectorCore
import Testing
import Yams
@testable import InjectorProtocol

/// docs/protocol.yaml is the protocol's machine-readable definition. These tests check
/// the Swift code (enum values, names and texts, message types, payload sizes, command
/// lengths, flag bits) and docs/protocol.md (enum tables, field tables, ranges that
/// name an enum) against it, so that neither can drift from the definition.
@Suite struct ProtocolDefinitionTests {
    struct Definition: Decodable {
        struct Value: Decodable { var value: Int; var name: String; var text: String?; var doc: String? }
        struct Bit: Decodable { var bit: Int; var name: String; var doc: String? }
        struct EnumSpec: Decodable { var name: String; var source: String; var width: String; var doc: String; var values: [Value] }
        struct FlagSpec: Decodable { var name: String; var source: String; var width: String; var doc: String; var bits: [Bit] }
        struct Field: Decodable { var offset: Int; var width: String; var name: String; var range: String }
        struct Sizes: Decodable { var exactly: Int?; var min: Int?; var max: Int?; var oneOf: [Int]? }
        struct MessageSpec: Decodable {
            var type: Int; var name: String; var direction: String; var payloadBytes: Sizes
            var delivery: String; var fields: [Field]?
        }
        struct CommandSpec: Decodable { var code: Int; var name: String; var arguments: String; var payloadBytes: Int; var fields: [Field]? }
        var version: Int
        var enums: [EnumSpec]
        var flags: [FlagSpec]
        var messages: [MessageSpec]
        var commands: [CommandSpec]
    }

    static let root: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    static func definition() throws -> Definition {
        try YAMLDecoder().decode(Definition.self, from: try text("docs/protocol.yaml"))
    }

    /// Raw value and description of every case of the Swift enum the definition names.
    static func swiftCases(_ name: String) -> [(Int, String?)]? {
        func cases<T: CaseIterable & RawRepresentable>(_: T.Type, text: Bool = true) -> [(Int, String?)]
        where T.RawValue == UInt8 {
            T.allCases.map { (Int($0.rawValue), text ? "\($0)" : nil) }
        }
        switch name {
        case "InjectorState": return cases(InjectorState.self)
        case "ReliefPhase": return cases(ReliefPhase.self)
        case "Reason": return cases(Reason.self)
        case "EventKind": return cases(EventKind.self)
        case "CommandCode": return cases(CommandCode.self)
        case "StopIntent": return cases(StopIntent.self, text: false)
        case "Refusal": return cases(Refusal.self)
        case "SampleStatus": return cases(SampleStatus.self, text: false)
        case "DriverEnable": return cases(DriverEnable.self, text: false)
        case "AlarmLevel": return cases(AlarmLevel.self, text: false)
        case "PedicleApproach": return cases(PedicleApproach.self)
        case "Region": return cases(VertebralLevel.Region.self, text: false)
        case "MessageType": return cases(MessageType.self)
        default: return nil
        }
    }

    /// `case name = value` declarations of `enum name` in a Swift source file.
    static func declaredCases(of name: String, in source: String) -> [(String, Int)] {
        guard let start = source.range(of: "enum \(name):") else { return [] }
        var found: [(String, Int)] = []
        var depth = 0
        for line in source[start.lowerBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            depth += line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if depth == 1, trimmed.hasPrefix("case "), trimmed.contains("=") {
                for part in trimmed.dropFirst(5).split(separator: ",") {
                    let pair = part.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                    guard pair.count == 2 else { continue }
                    let raw = pair[1].hasPrefix("0x") ? Int(pair[1].dropFirst(2), radix: 16) : Int(pair[1])
                    if let raw { found.append((pair[0], raw)) }
                }
            }
            if depth <= 0 && found.count > 0 { break }
        }
        return found
    }

    @Test func everyEnumMatchesTheSwiftCode() throws {
        let spec = try Self.definition()
        #expect(spec.version == Int(WireFormat.protocolVersion))
        for e in spec.enums {
            let swift = try #require(Self.swiftCases(e.name), "no Swift enum for \(e.name)")
            #expect(swift.map(\.0) == e.values.map(\.value), "\(e.name): raw values differ from the definition")
            for ((_, description), v) in zip(swift, e.values) where description != nil {
                #expect(description == v.text, "\(e.name).\(v.name): Swift says \(description ?? "")")
            }
            let declared = Self.declaredCases(of: e.name, in: try Self.text(e.source))
            #expect(declared.map(\.0) == e.values.map(\.name), "\(e.name): case names in \(e.source)")
            #expect(declared.map(\.1) == e.values.map(\.value), "\(e.name): values in \(e.source)")
        }
    }

    @Test func everyFlagBitMatchesTheSwiftCode() throws {
        let spec = try Self.definition()
        let hazards = try #require(spec.flags.first { $0.name == "HazardFlags" })
        let source = try Self.text(hazards.source)
        for b in hazards.bits {
            #expect(source.contains("static var \(b.name): HazardFlags { HazardFlags(rawValue: 1 << \(b.bit)) }"),
                    "HazardFlags.\(b.name) is not bit \(b.bit) in \(hazards.source)")
        }
        let mask = hazards.bits.reduce(UInt16(0)) { $0 | 1 << UInt16($1.bit) }
        #expect(TelemetryLayout.hazardMask == mask)
        let switches = try #require(spec.flags.first { $0.name == "Switch" })
        #expect(Switch.allCases.map { Int($0.rawValue) } == switches.bits.map(\.bit))
        #expect(Switch.allCases.map(\.name) == switches.bits.map(\.name))
    }

    @Test func messageTypesAndPayloadSizesMatchTheEncoder() throws {
        let spec = try Self.definition()
        #expect(MessageType.allCases.map { Int($0.rawValue) } == spec.messages.map(\.type))
        var factory = MessageFactory(seed: 0x5EED_0F_DEF)
        for m in spec.messages {
            let type = try #require(MessageType(rawValue: UInt8(m.type)))
            #expect("\(type)".replacingOccurrences(of: "-", with: "") == m.name.lowercased())
            for _ in 0..<200 {
                let size = payloadSize(of: factory.frame(type))
                let s = m.payloadBytes
                let fits = s.exactly == size || (s.oneOf ?? []).contains(size)
                    || (s.min.map { size >= $0 } ?? false) && (s.max.map { size <= $0 } ?? false)
                #expect(fits, "\(m.name): encoded payload of \(size) bytes, the definition says \(s)")
            }
            // Fields are contiguous from offset 0 and fill the largest payload exactly.
            if let fields = m.fields, type != .command {
                var offset = 0
                for f in fields {
                    #expect(f.offset == offset, "\(m.name).\(f.name) at \(f.offset), expected \(offset)")
                    offset += try #require(Self.bytes(f.width))
                }
                #expect(offset == m.payloadBytes.exactly ?? m.payloadBytes.oneOf?.max(), "\(m.name): fields cover \(offset) bytes")
            }
        }
    }

    func payloadSize(of frame: Frame) -> Int {
        withUnsafeTemporaryAllocation(byteCount: 512, alignment: 8) { buffer in
            FrameCodec.writeFrame(frame, into: buffer) - WireFormat.headerSize - WireFormat.checksumSize
        }
    }

    static func bytes(_ width: String) -> Int? {
        ["u8": 1, "i8": 1, "u16": 2, "i16": 2, "u32": 4, "i32": 4, "u64": 8, "i64": 8, "f64": 8][width]
    }

    @Test func everyCommandMatchesItsCodeAndLength() throws {
        let spec = try Self.definition()
        #expect(CommandCode.allCases.dropFirst().map { Int($0.rawValue) } == spec.commands.map(\.code))
        for c in spec.commands {
            let code = try #require(CommandCode(rawValue: UInt8(c.code)))
            #expect("\(code)".replacingOccurrences(of: "-", with: "") == c.name.lowercased())
            #expect(CommandArguments.payloadLength(code) == c.payloadBytes, "\(c.name)")
        }
    }

    /// A range written as "`Enum` A–B" must span exactly the enum's defined values from A.
    @Test func everyEnumRangeInTheDefinitionIsTheEnumsRange() throws {
        let spec = try Self.definition()
        let values = Dictionary(uniqueKeysWithValues: spec.enums.map { ($0.name, $0.values.map(\.value)) })
        let ranges = (spec.messages.flatMap { $0.fields ?? [] } + spec.commands.flatMap { $0.fields ?? [] }).map(\.range)
        let pattern = try NSRegularExpression(pattern: "`(\\w+)` (\\d+)–(\\d+)")
        var checked = 0
        for text in ranges {
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let part = { (i: Int) in String(text[Range(match.range(at: i), in: text)!]) }
                guard let defined = values[part(1)] else { continue }
                let low = Int(part(2))!, high = Int(part(3))!
                #expect(defined.filter { $0 >= low }.min() == low && defined.max() == high,
                        "\"\(text)\": \(part(1)) is \(defined.min()!)–\(defined.max()!)")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }
}

/// docs/protocol.md agrees with the definition: its enum tables are the definition's,
/// and every field table lists the definition's fields.
@Suite struct ProtocolDocumentAgreesWithDefinition {
    typealias D = ProtocolDefinitionTests

    static func meaning(_ text: String?, _ doc: String?) -> String {
        let parts = [text, doc].compactMap { $0 }
        return parts.isEmpty ? "—" : parts.joined(separator: " — ")
    }

    /// The same rendering as scripts/protocol-tables.
    static func table(name: String, width: String, doc: String, head: String, rows: [(Int, String, String)]) -> String {
        var lines = ["<!-- enum \(name) -->", "**`\(name)`** (\(width)): \(doc)", "",
                     "| \(head) | Name | Meaning |", "|---|---|---|"]
        lines += rows.map { "| \($0.0) | `\($0.1)` | \($0.2) |" }
        lines.append("<!-- end \(name) -->")
        return lines.joined(separator: "\n")
    }

    @Test func everyEnumTableIsRenderedFromTheDefinition() throws {
        let spec = try D.definition()
        let document = try D.text("docs/protocol.md")
        for e in spec.enums {
            let t = Self.table(name: e.name, width: e.width, doc: e.doc, head: "Value",
                               rows: e.values.map { ($0.value, $0.name, Self.meaning($0.text, $0.doc)) })
            let found = document.contains(t)
            #expect(found, "docs/protocol.md: the \(e.name) table differs; run scripts/protocol-tables")
        }
        for f in spec.flags {
            let t = Self.table(name: f.name, width: f.width, doc: f.doc, head: "Bit",
                               rows: f.bits.map { ($0.bit, $0.name, Self.meaning(nil, $0.doc)) })
            let found = document.contains(t)
            #expect(found, "docs/protocol.md: the \(f.name) table differs; run scripts/protocol-tables")
        }
    }

    @Test func everyFieldTableListsTheDefinitionsFields() throws {
        let spec = try D.definition()
        let document = try D.text("docs/protocol.md")
        func row(_ f: D.Definition.Field) -> String { "| \(f.offset) | \(f.width) | `\(f.name)` | \(f.range) |" }
        func has(_ line: String) -> Bool { document.contains(line) }
        for m in spec.messages {
            let heading = String(format: "### %@ (`%02X`)", m.name, m.type)
            #expect(has(heading), "docs/protocol.md has no section \(heading)")
            let row0 = "| `\(String(format: "%02X", m.type))` | \(m.name) | \(m.direction) |"
            #expect(has(row0), "the message-types table lacks \(m.name) as defined")
            guard m.name != "Command" else { continue }
            for f in m.fields ?? [] { #expect(has(row(f)), "\(m.name): \(row(f))") }
        }
        for c in spec.commands {
            let row0 = "| `\(String(format: "%02X", c.code))` | \(c.name) | \(c.arguments) | \(c.payloadBytes) |"
            #expect(has(row0), "the command table lacks \(row0)")
            for f in c.fields ?? [] { #expect(has(row(f)), "\(c.name): \(row(f))") }
        }
    }
}
