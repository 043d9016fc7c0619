import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// Telemetry as CSV, one row per frame, units in the column names. The first two
/// columns are when the frame was captured: the wall clock (ISO 8601, UTC, ms) and
/// the seconds from the capture's start. A v1 capture has no capture times: its wall
/// time is empty and its time from start counts from the first frame's firmware time.
public enum TelemetryCSV {
    public static let header = "wall_time,time_from_start_s,firmware_time_s,state,relief,state_reason,driver,alarm,switch_bits,hazard_bits,step_position,pressure_kPa,delivered_uL,committed_uL,cap_uL,plunger_uL,commanded_flow_uL_per_s,step_rate_steps_per_s,time_since_mixing_s,host_silence_ms,release_cycles,events_dropped"

    /// One row, without its newline. `firmwareStart` is the firmware time a v1
    /// capture's time from start counts from.
    public static func row(_ row: TimedTelemetry, firmwareStart: Instant) -> String {
        var out = CSVBytes(capacity: 200)
        var names = EnumNames()
        append(row, firmwareStart: firmwareStart, to: &out, names: &names)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    public static func render(_ rows: [TimedTelemetry]) -> String {
        var out = CSVBytes(capacity: (rows.count + 1) * 160)
        out.append(Array(header.utf8))
        out.byte(10)
        var names = EnumNames()
        let start = rows.first?.report.time ?? Instant(nanoseconds: 0)
        for r in rows {
            append(r, firmwareStart: start, to: &out, names: &names)
            out.byte(10)
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The text of the enum fields, looked up once per value instead of once per row.
    struct EnumNames {
        var states = [[UInt8]?](repeating: nil, count: 256)
        var reliefs = [[UInt8]?](repeating: nil, count: 256)

        mutating func state(_ s: InjectorState) -> [UInt8] {
            if let known = states[Int(s.rawValue)] { return known }
            states[Int(s.rawValue)] = Array("\(s)".utf8)
            return states[Int(s.rawValue)]!
        }

        mutating func relief(_ r: ReliefPhase) -> [UInt8] {
            if let known = reliefs[Int(r.rawValue)] { return known }
            reliefs[Int(r.rawValue)] = Array("\(r)".utf8)
            return reliefs[Int(r.rawValue)]!
        }
    }

    static func append(_ row: TimedTelemetry, firmwareStart: Instant, to out: inout CSVBytes, names: inout EnumNames) {
        let t = row.report
        let firmwareSeconds = Double(t.time.nanoseconds) / 1e9
        if let time = row.time { out.wallTime(microseconds: time.wallClockUs) }
        out.comma()
        out.decimal(row.time?.secondsFromStart ?? (firmwareSeconds - Double(firmwareStart.nanoseconds) / 1e9))
        out.comma(); out.decimal(firmwareSeconds)
        out.comma(); out.append(names.state(t.state))
        out.comma(); out.append(names.relief(t.relief))
        out.comma(); out.integer(t.stateReason.rawValue)
        out.comma(); out.integer(t.driver.rawValue)
        out.comma(); out.integer(t.alarm.rawValue)
        out.comma(); out.integer(t.switches.bits)
        out.comma(); out.integer(t.hazards.rawValue)
        out.comma(); out.integer(t.stepPosition.count)
        out.comma(); out.decimal(t.pressure.rawValue)
        out.comma(); out.decimal(t.delivered.rawValue)
        out.comma(); out.decimal(t.committed.rawValue)
        out.comma(); out.decimal(t.cap.rawValue)
        out.comma(); if let p = t.plungerPosition { out.decimal(p.rawValue) }
        out.comma(); out.decimal(t.commandedFlow.rawValue)
        out.comma(); out.decimal(t.stepRate.rawValue)
        out.comma(); if let m = t.timeSinceMixing { out.decimal(m.seconds) }
        out.comma(); if let h = t.hostSilence { out.integer(h.nanoseconds / 1_000_000) }
        out.comma(); out.integer(t.releaseCycles)
        out.comma(); out.integer(t.eventsDropped)
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
