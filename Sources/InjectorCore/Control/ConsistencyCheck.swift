/// Checks that the cement is paste-like before the bulk of it goes in.
///
/// Liquid cement runs along veins and fracture lines. At a known flow, paste builds a
/// clear back-pressure in the needle and liquid cement does not; so the first
/// `testVolume` of an injection must raise the pressure to at least `minimumPressure`.
public struct ConsistencyCheck: Equatable, Sendable {
    public enum Status: UInt8, Sendable {
        case notRun = 0, running = 1, passed = 2, failed = 3
    }

    public private(set) var status: Status
    private var startDelivered: Microliters = .zero
    private var peak: Kilopascals = .zero
    let testVolume: Microliters
    let minimumPressure: Kilopascals

    public init(spec: FaultSpec) {
        testVolume = spec.consistencyTestVolume
        minimumPressure = spec.consistencyMinimumPressure
        status = spec.consistencyTestVolume.rawValue <= 0 ? .passed : .notRun
    }

    /// Starts (or restarts, after a failed check) at the beginning of an injection.
    public mutating func injectionStarted(delivered: Microliters) {
        guard status != .passed else { return }
        status = .running
        startDelivered = delivered
        peak = .zero
    }

    /// One tick of injection; returns the status after it.
    public mutating func observe(delivered: Microliters, pressure: Kilopascals) -> Status {
        guard status == .running else { return status }
        peak = Swift.max(peak, pressure)
        if peak >= minimumPressure {
            status = .passed
        } else if delivered - startDelivered >= testVolume {
            status = .failed
        }
        return status
    }
}
