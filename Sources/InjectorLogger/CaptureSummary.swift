import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// What a bench engineer wants first from a recording, on one screen: how long it ran,
/// what was delivered against the cap, the peak pressure, the releases, every pause
/// with its reason and every fault. Computed from the decoded capture alone.
public struct CaptureSummary: Sendable {
    /// A moment in the run: seconds from the capture's start (v2) or firmware time (v1).
    public struct Moment: Equatable, Sendable {
        public var seconds: Double
        public var what: String
    }

    public var durationS: Double?
    public var startWallTime: String?
    public var delivered: Microliters?
    public var cap: Microliters?
    public var peakPressure: Kilopascals?
    public var peakPressureAt: Double?
    public var releases = 0
    public var pauses: [Moment] = []
    public var faults: [Moment] = []
    public var finalState: InjectorState?
    public var counts = ""

    public init(_ d: DecodedCapture) {
        counts = CaptureDecoder.counts(d).split(separator: "\n").prefix(2).joined(separator: "\n")
        if let first = d.firstChunk, let last = d.lastChunk {
            durationS = last.secondsFromStart - first.secondsFromStart
            startWallTime = WallClockText.iso8601(microseconds: first.wallClockUs)
        } else if let first = d.telemetry.first?.report.time, let last = d.telemetry.last?.report.time {
            durationS = Double(last.nanoseconds - first.nanoseconds) / 1e9
        }
        for row in d.telemetry where row.report.pressure.rawValue > (peakPressure?.rawValue ?? -.infinity) {
            peakPressure = row.report.pressure
            peakPressureAt = Self.seconds(row.time, row.report.time)
        }
        if let last = d.telemetry.last?.report {
            delivered = last.delivered
            cap = last.cap
            finalState = last.state
        }
        for m in d.messages { note(m) }
    }

    private mutating func note(_ m: DecodedMessage) {
        guard case .event(let e) = m.frame.message else { return }
        let at = Self.seconds(m.time, e.time)
        switch e.kind {
        case .stateChanged where e.state == .releasing: releases += 1
        case .stateChanged where e.state == .paused: pauses.append(Moment(seconds: at, what: "\(e.reason)"))
        case .stateChanged where e.state == .eStopped || e.state == .faulted:
            faults.append(Moment(seconds: at, what: "\(e.previousState) → \(e.state): \(e.reason)"))
        case .faultLatched: faults.append(Moment(seconds: at, what: "fault latched: \(e.reason)"))
        default: break
        }
    }

    static func seconds(_ captured: FrameTime?, _ firmware: Instant) -> Double {
        captured?.secondsFromStart ?? Double(firmware.nanoseconds) / 1e9
    }

    public func render(title: String) -> String {
        func s(_ v: Double?) -> String { v.map { TelemetryCSV.num($0) + " s" } ?? "—" }
        var out = "\(title)\n"
        out += "  duration:   \(s(durationS))\(startWallTime.map { ", from \($0)" } ?? "")\n"
        let deliveredText = delivered.map { TelemetryCSV.num($0.rawValue) + " µL" } ?? "—"
        let capText = cap.map { TelemetryCSV.num($0.rawValue) + " µL" } ?? "—"
        var share = ""
        if let delivered, let cap, cap.rawValue > 0 {
            share = " (" + TelemetryCSV.num((delivered.rawValue / cap.rawValue * 1000).rounded() / 10) + " %)"
        }
        out += "  delivered:  \(deliveredText) of cap \(capText)\(share)\n"
        out += "  peak:       \(peakPressure.map { TelemetryCSV.num($0.rawValue) + " kPa" } ?? "—")"
            + "\(peakPressureAt.map { " at " + s($0) } ?? "")\n"
        out += "  releases:   \(releases)\n"
        out += "  pauses:     \(pauses.count)\(list(pauses))\n"
        out += "  faults:     \(faults.count)\(list(faults))\n"
        out += "  final:      \(finalState.map { "\($0)" } ?? "—")\n"
        out += counts.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        return out
    }

    private func list(_ moments: [Moment]) -> String {
        moments.map { "\n    at \(TelemetryCSV.num($0.seconds)) s: \($0.what)" }.joined()
    }
}
