import InjectorCore

/// A Command frame that arrived intact (CRC, known code, exact length) with an argument
/// outside its wire range: a NaN rate, a fill fraction of 1.5, an undefined enum byte.
/// The firmware answers it with Nak cause 4 naming the field instead of dropping it.
/// It keeps the argument bytes as they came, so it re-encodes to exactly those bytes.
public struct InvalidCommand: Sendable, Equatable, CustomStringConvertible {
    /// The longest argument list (configureProcedure's 36 bytes after the code).
    public static let maxArgumentBytes = 36
    public let code: CommandCode
    /// The offending field's offset within the Command payload (1 … 36; the code is 0).
    public let field: UInt8
    private let storage: InlineArray<36, UInt8>
    private let count: Int

    init(code: CommandCode, field: UInt8, arguments: UnsafeRawBufferPointer) {
        precondition(arguments.count <= Self.maxArgumentBytes, "arguments longer than any command's")
        precondition(field >= 1 && Int(field) <= arguments.count, "the field lies within the arguments")
        self.code = code
        self.field = field
        var bytes = InlineArray<36, UInt8>(repeating: 0)
        for i in 0..<arguments.count { bytes[i] = arguments[i] }
        storage = bytes
        count = arguments.count
    }

    /// An invalid command as a host that got its encoding wrong would send it (tests,
    /// the fuzzer's seeds, the document's examples).
    public init(code: CommandCode, field: UInt8, arguments: [UInt8]) {
        self = arguments.withUnsafeBytes { InvalidCommand(code: code, field: field, arguments: $0) }
    }

    /// The argument bytes as received.
    public var arguments: [UInt8] { (0..<count).map { storage[$0] } }

    func write(to w: inout WireWriter) {
        w.u8(code.rawValue)
        for i in 0..<count { w.u8(storage[i]) }
    }

    public static func == (a: InvalidCommand, b: InvalidCommand) -> Bool {
        a.code == b.code && a.field == b.field && a.arguments == b.arguments
    }

    public var description: String { "\(code) with field at offset \(field) out of range" }
}
