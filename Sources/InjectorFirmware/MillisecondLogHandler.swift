import InjectorToolSupport
import Logging

/// The firmware's log lines: the wall-clock time to the millisecond (ISO 8601, UTC),
/// the level, the label, metadata and the message, one line each. swift-log's
/// `StreamLogHandler` stamps only to the second, too coarse beside a 1 kHz loop and a
/// capture whose chunks carry µs.
public struct MillisecondLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let write: @Sendable (String) -> Void
    private let now: @Sendable () -> String

    /// `write` gets each line with its newline; `now` the time text (a test's fixed one).
    public init(label: String, now: @escaping @Sendable () -> String = { WallClockText.now() },
                write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.now = now
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        write("\(now()) \(event.level) \(label):\(fields) \(event.message)\n")
    }
}
