import InjectorCore

/// The link's timers and retry bounds (docs/protocol.md, "Heartbeat", "Command").
/// Both endpoints take `now` as an argument; nothing here reads a clock.
public struct LinkTiming: Equatable, Sendable {
    /// How often each side sends a Heartbeat.
    public var heartbeatPeriod: Interval
    /// Silence after which a side declares the link lost (the configuration's
    /// `faults.hostLinkTimeout` on the firmware).
    public var linkTimeout: Interval
    /// How long a command or event waits for its acknowledgement before it is resent.
    public var retransmitTimeout: Interval
    /// Resends of one command or event before giving up.
    public var maxRetransmissions: Int
    /// How often the firmware sends Telemetry.
    public var telemetryPeriod: Interval

    public init(heartbeatPeriod: Interval = .milliseconds(100), linkTimeout: Interval = .milliseconds(500),
                retransmitTimeout: Interval = .milliseconds(50), maxRetransmissions: Int = 5,
                telemetryPeriod: Interval = .milliseconds(1)) {
        precondition(heartbeatPeriod.nanoseconds > 0 && linkTimeout > heartbeatPeriod,
                     "the link timeout must exceed the heartbeat period")
        precondition(retransmitTimeout.nanoseconds > 0 && maxRetransmissions >= 0 && telemetryPeriod.nanoseconds > 0,
                     "timers must be positive")
        self.heartbeatPeriod = heartbeatPeriod
        self.linkTimeout = linkTimeout
        self.retransmitTimeout = retransmitTimeout
        self.maxRetransmissions = maxRetransmissions
        self.telemetryPeriod = telemetryPeriod
    }
}

/// Whether a periodic send is due, on a fixed schedule that does not drift with the
/// caller's jitter and skips (rather than bursts) after a long stall.
struct PeriodicSchedule: Sendable {
    let period: Interval
    private(set) var next: Instant?

    init(period: Interval) { self.period = period }

    func isDue(at now: Instant) -> Bool { next.map { now >= $0 } ?? true }

    mutating func didSend(at now: Instant) {
        guard let scheduled = next, now - scheduled < period else {
            next = now + period
            return
        }
        next = scheduled + period
    }
}
