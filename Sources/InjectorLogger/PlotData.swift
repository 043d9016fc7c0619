import InjectorCore
import InjectorProtocol

/// What the plot draws, from a capture or from a CSV of the shared schema (the
/// logger's `decode` CSV and the simulator's `--csv-dir` files both have it):
/// `time_from_start_s` and `state`, and any of the value columns in `PlotData.columns`.
public struct PlotData: Sendable {
    /// A moment worth a mark across every panel: a fault, a pause, a state change.
    public struct Marker: Equatable, Sendable {
        public enum Kind: Sendable { case fault, pause, other }
        public var seconds: Double
        public var label: String
        public var kind: Kind
    }

    /// The value columns the plot knows, by their CSV names.
    public static let columns = ["pressure_kPa", "syringe_pressure_kPa", "delivered_uL", "committed_uL", "cap_uL",
                                 "plunger_uL", "displaced_uL", "leaked_uL", "commanded_flow_uL_per_s"]

    /// Seconds from the start, one per row.
    public var times: [Double] = []
    /// The controller's state per row ("" where unknown).
    public var states: [String] = []
    /// Each known column's values, NaN where a row has none.
    public var values: [String: [Double]] = [:]
    public var markers: [Marker] = []
    public var pressureLimitKPa: Double?

    public init() {}

    /// From a decoded capture: its telemetry and its events.
    public init(_ d: DecodedCapture) {
        let firmwareStart = d.telemetry.first.map { Double($0.report.time.nanoseconds) / 1e9 } ?? 0
        func seconds(_ captured: FrameTime?, _ firmware: Instant) -> Double {
            captured?.secondsFromStart ?? (Double(firmware.nanoseconds) / 1e9 - firmwareStart)
        }
        for row in d.telemetry {
            let t = row.report
            times.append(seconds(row.time, t.time))
            states.append("\(t.state)")
            let present: [(String, Double)] = [
                ("pressure_kPa", t.pressure.rawValue), ("delivered_uL", t.delivered.rawValue),
                ("committed_uL", t.committed.rawValue), ("cap_uL", t.cap.rawValue),
                ("plunger_uL", t.plungerPosition?.rawValue ?? .nan), ("commanded_flow_uL_per_s", t.commandedFlow.rawValue),
            ]
            for (key, v) in present { values[key, default: []].append(v) }
        }
        for m in d.messages {
            guard case .event(let e) = m.frame.message, let marker = Self.marker(e, at: seconds(m.time, e.time)) else { continue }
            markers.append(marker)
        }
    }

    static func marker(_ e: ControllerEvent, at seconds: Double) -> Marker? {
        switch e.kind {
        case .faultLatched: return Marker(seconds: seconds, label: "fault: \(e.reason)", kind: .fault)
        case .stateChanged where e.state == .eStopped || e.state == .faulted:
            return Marker(seconds: seconds, label: "\(e.state): \(e.reason)", kind: .fault)
        case .stateChanged where e.state == .paused: return Marker(seconds: seconds, label: "paused: \(e.reason)", kind: .pause)
        case .hazardDetected, .limitReached: return Marker(seconds: seconds, label: "\(e.kind): \(e.reason)", kind: .other)
        default: return nil
        }
    }

    /// From CSV text with a header row. Columns it does not know are kept out; a CSV
    /// without `time_from_start_s` is refused by name.
    public init(csv text: String) throws(PlotInputError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let head = lines.first else { throw PlotInputError("the CSV is empty") }
        let names = head.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let timeColumn = names.firstIndex(of: "time_from_start_s") else {
            throw PlotInputError("no time_from_start_s column (the shared schema: time_from_start_s, state, \(Self.columns.joined(separator: ", ")))")
        }
        let stateColumn = names.firstIndex(of: "state")
        let wanted = Self.columns.compactMap { c in names.firstIndex(of: c).map { (c, $0) } }
        for (n, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == names.count, let t = Double(cells[timeColumn]) else {
                throw PlotInputError("row \(n + 2): expected \(names.count) cells with a time, got '\(line.prefix(60))'")
            }
            times.append(t)
            states.append(stateColumn.map { String(cells[$0]) } ?? "")
            for (key, i) in wanted { values[key, default: []].append(Double(cells[i]) ?? .nan) }
        }
        markers = Self.stateMarkers(times, states)
    }

    /// A CSV has no events: its marks are where the state became paused, e-stopped or faulted.
    static func stateMarkers(_ times: [Double], _ states: [String]) -> [Marker] {
        var out: [Marker] = []
        for i in states.indices.dropFirst() where states[i] != states[i - 1] {
            switch states[i] {
            case "\(InjectorState.paused)": out.append(Marker(seconds: times[i], label: "paused", kind: .pause))
            case "\(InjectorState.eStopped)", "\(InjectorState.faulted)":
                out.append(Marker(seconds: times[i], label: states[i], kind: .fault))
            default: break
            }
        }
        return out
    }
}

/// Why a CSV cannot be plotted.
public struct PlotInputError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}
