import InjectorCore

/// The Status payload (type `22`): the firmware's structured answer to `queryStatus`,
/// sent right after its Ack. Where the procedure stands and how much of each volume
/// budget is used, in the wire's resolution (0.001 µL), so a report survives
/// encode → decode unchanged. It carries no refusal: a refused query gets a Nak only.
public struct StatusReport: Equatable, Sendable {
    public var time: Instant
    public var state: InjectorState
    public var stateReason: Reason
    public var relief: ReliefPhase
    public var cap: Microliters
    public var committed: Microliters
    public var delivered: Microliters
    /// Committed in this level across its plans, and in the session across its levels.
    public var levelCommitted: Microliters
    public var sessionCommitted: Microliters

    public init(time: Instant, state: InjectorState, stateReason: Reason, relief: ReliefPhase,
                cap: Microliters, committed: Microliters, delivered: Microliters,
                levelCommitted: Microliters, sessionCommitted: Microliters) {
        self.time = time
        self.state = state
        self.stateReason = stateReason
        self.relief = relief
        self.cap = cap
        self.committed = committed
        self.delivered = delivered
        self.levelCommitted = levelCommitted
        self.sessionCommitted = sessionCommitted
    }

    /// The status of one controller snapshot, rounded to the wire's resolution.
    public init(snapshot s: TelemetrySnapshot) {
        func nL(_ v: Microliters) -> Microliters { Microliters(Milli.quantized(v.rawValue)) }
        self.init(time: s.time, state: s.state, stateReason: s.stateReason, relief: s.relief,
                  cap: nL(s.cap), committed: nL(s.committed), delivered: nL(s.delivered),
                  levelCommitted: nL(s.levelCommitted), sessionCommitted: nL(s.sessionCommitted))
    }

    /// Payload bytes: i64 time, three u8 enums, five i32 volumes in nL.
    static let payloadSize = 31

    func write(to w: inout WireWriter) {
        w.i64(time.nanoseconds)
        w.u8(state.rawValue)
        w.u8(stateReason.rawValue)
        w.u8(relief.rawValue)
        for volume in [cap, committed, delivered, levelCommitted, sessionCommitted] {
            w.i32(Milli.encode(volume.rawValue))
        }
    }

    static func read(_ r: inout WireReader) -> StatusReport? {
        let time = Instant(nanoseconds: r.i64())
        let state = InjectorState(rawValue: r.u8())
        let reason = Reason(rawValue: r.u8())
        let relief = ReliefPhase(rawValue: r.u8())
        let volumes = (0..<5).map { _ in Microliters(Milli.decode(r.i32())) }
        guard let state, let reason, let relief else { return nil }
        return StatusReport(time: time, state: state, stateReason: reason, relief: relief, cap: volumes[0],
                            committed: volumes[1], delivered: volumes[2], levelCommitted: volumes[3],
                            sessionCommitted: volumes[4])
    }
}
