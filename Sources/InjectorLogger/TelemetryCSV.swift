import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// Telemetry as CSV, one row per frame, units in the column names. The first two
/// columns are when the frame was captured: the wall clock (ISO 8601, UTC, ms) and
/// the seconds from the capture's start. A v1 capture has no capture times: its wall
/// time is empty and its time from start counts from the first frame's firmware time.
public enum TelemetryCSV {
    public static let header = "wall_time,time_from_start_s,firmware_time_s,state,relief,state_reason,driver,alarm,switch_bits,hazard_bits,step_position,pressure_kPa,delivered_uL,committed_uL,cap_uL,plunger_uL,commanded_flow_uL_per_s,step_rate_steps_per_s,time_since_mixing_s,host_silence_ms,release_cycles,events_dropped"

    /// `start` is the firmware time that a v1 capture's time from start counts from.
    public static func row(_ row: TimedTelemetry, firmwareStart: Instant) -> String {
        let t = row.report
        let firmwareSeconds = Double(t.time.nanoseconds) / 1e9
        let wall = row.time.map { WallClockText.iso8601(microseconds: $0.wallClockUs) } ?? ""
        let fromStart = row.time?.secondsFromStart ?? (firmwareSeconds - Double(firmwareStart.nanoseconds) / 1e9)
        let fields: [String] = [
            wall, num(fromStart), num(firmwareSeconds), "\(t.state)", "\(t.relief)", "\(t.stateReason.rawValue)",
            "\(t.driver.rawValue)", "\(t.alarm.rawValue)", "\(t.switches.bits)", "\(t.hazards.rawValue)",
            "\(t.stepPosition.count)", num(t.pressure.rawValue), num(t.delivered.rawValue), num(t.committed.rawValue),
            num(t.cap.rawValue), t.plungerPosition.map { num($0.rawValue) } ?? "",
            num(t.commandedFlow.rawValue), num(t.stepRate.rawValue),
            t.timeSinceMixing.map { num($0.seconds) } ?? "", t.hostSilence.map { "\($0.nanoseconds / 1_000_000)" } ?? "",
            "\(t.releaseCycles)", "\(t.eventsDropped)",
        ]
        return fields.joined(separator: ",")
    }

    public static func render(_ rows: [TimedTelemetry]) -> String {
        var text = header + "\n"
        text.reserveCapacity(rows.count * 160)
        let start = rows.first?.report.time ?? Instant(nanoseconds: 0)
        for r in rows {
            text += row(r, firmwareStart: start)
            text += "\n"
        }
        return text
    }

    /// Plain decimal with up to 3 fraction digits, no exponent; "" for NaN or infinity.
    public static func num(_ v: Double) -> String {
        guard v.isFinite else { return "" }
        let scaled = (v * 1000).rounded()
        let negative = scaled < 0
        let whole = Int64(abs(scaled)) / 1000
        let frac = Int64(abs(scaled)) % 1000
        var s = (negative ? "-" : "") + "\(whole)"
        if frac != 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 3 - f.count) + f
            while f.last == "0" { f.removeLast() }
            s += "." + f
        }
        return s
    }
}

/// One line per telemetry frame for `injector-log live`.
public enum LiveLine {
    public static func format(_ t: TelemetryReport) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
        let p = pad(TelemetryCSV.num(t.pressure.rawValue), 9)
        let d = pad(TelemetryCSV.num(t.delivered.rawValue), 9)
        let cap = TelemetryCSV.num(t.cap.rawValue)
        let q = pad(TelemetryCSV.num(t.commandedFlow.rawValue), 7)
        let state = "\(t.state)" + (t.relief == .none ? "" : "/\(t.relief)")
        return "t=\(pad(TelemetryCSV.num(Double(t.time.nanoseconds) / 1e9), 10)) s  \(state.padding(18))p=\(p) kPa  "
            + "delivered=\(d)/\(cap) µL  flow=\(q) µL/s  \(t.driver == .enabled ? "DRIVE" : "-----")"
            + (t.alarm == .off ? "" : "  ALARM:\(t.alarm)") + (t.stateReason == .none ? "" : "  (\(t.stateReason))")
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
