import InjectorCore
import InjectorProtocol
import InjectorToolSupport

/// The web dashboard's view of the session, as one JSON object the page renders
/// whole: the link and its banner, the latest telemetry in words and numbers (units in
/// the keys), every action with why it is disabled, the pending question, and the plot
/// samples and event entries the page has not seen yet. Pure and hand-written, so a
/// test reads exactly what the browser gets.
public enum DashboardJSON {
    /// Everything, with samples from `samplesFrom` and entries from `entriesFrom` on.
    public static func render(_ s: ConsoleSession, samplesFrom: UInt64, entriesFrom: UInt64,
                              feedback: String) -> String {
        var fields = [
            "\"link\":" + link(s),
            "\"telemetry\":" + (s.telemetry.map { telemetry($0, s) } ?? "null"),
            "\"limits\":{\"pressure_limit_kPa\":\(number(s.configuration.pressure.limit.rawValue))}",
            "\"actions\":[" + ConsoleAction.allCases.map { action($0, s) }.joined(separator: ",") + "]",
            "\"pending\":" + (s.pending.map { "{\"action\":\(text($0.action.rawValue)),\"prompt\":\(text($0.prompt))}" } ?? "null"),
            "\"feedback\":" + text(feedback),
        ]
        let samples = s.history.samples(from: samplesFrom).map {
            "[\($0.index),\(number($0.time)),\(number($0.pressureKPa)),\(number($0.deliveredUL)),\(number($0.capUL)),\(number($0.flowULPerS))]"
        }
        fields.append("\"samples\":[" + samples.joined(separator: ",") + "]")
        let entries = s.log.entries(from: entriesFrom).map {
            "{\"index\":\($0.index),\"time_s\":\(number($0.time)),\"severity\":\(text($0.severity.rawValue)),\"text\":\(text($0.text))}"
        }
        fields.append("\"entries\":[" + entries.joined(separator: ",") + "]")
        return "{" + fields.joined(separator: ",") + "}"
    }

    private static func link(_ s: ConsoleSession) -> String {
        let status = switch s.link {
        case .closed: "closed"
        case .identifying: "identifying"
        case .connected: "connected"
        case .refused: "refused"
        case .lost: "lost"
        }
        let banner = ConsoleDisplay.alarmBanner(s).map(text) ?? "null"
        return "{\"status\":\(text(status)),\"text\":\(text(ConsoleDisplay.linkText(s))),\"banner\":\(banner),"
            + "\"expected_hash\":\(text(ConsoleFormat.hex(s.expectedHash)))}"
    }

    private static func telemetry(_ t: TelemetryReport, _ s: ConsoleSession) -> String {
        let switches = ConsoleDisplay.switches(t).map { "{\"name\":\(text($0.name)),\"active\":\($0.active)}" }
        let hazards = ConsoleDisplay.hazards(t).map(text)
        let left = ConsoleDisplay.workingPhaseLeft(t, s.configuration.cement).map(number) ?? "null"
        let parts = [
            "\"firmware_time_s\":\(number(Double(t.time.nanoseconds) / 1e9))",
            "\"state\":\(text(t.state.description))", "\"reason\":\(text(t.stateReason.description))",
            "\"relief\":\(text(t.relief.description))", "\"alarm\":\(text(ConsoleDisplay.alarmText(t.alarm)))",
            "\"driver_enabled\":\(t.driver == .enabled)",
            "\"pressure_kPa\":\(number(t.pressure.rawValue))", "\"delivered_uL\":\(number(t.delivered.rawValue))",
            "\"committed_uL\":\(number(t.committed.rawValue))", "\"cap_uL\":\(number(t.cap.rawValue))",
            "\"flow_uL_per_s\":\(number(t.commandedFlow.rawValue))", "\"release_cycles\":\(t.releaseCycles)",
            "\"cement\":\(text(ConsoleDisplay.cementText(t, s.configuration.cement)))",
            "\"working_phase_left_s\":\(left)",
            "\"switches\":[" + switches.joined(separator: ",") + "]",
            "\"hazards\":[" + hazards.joined(separator: ",") + "]",
            "\"current\":\(s.isConnected)",
        ]
        return "{" + parts.joined(separator: ",") + "}"
    }

    private static func action(_ a: ConsoleAction, _ s: ConsoleSession) -> String {
        let input = a.valueInput.map {
            "{\"name\":\(text($0.name)),\"unit\":\(text($0.unit)),\"min\":\(number($0.range.lowerBound)),\"max\":\(number($0.range.upperBound))}"
        } ?? "null"
        let disabled = s.unavailability(a).map(text) ?? "null"
        return "{\"id\":\(text(a.rawValue)),\"label\":\(text(a.label)),\"value\":\(input),"
            + "\"disabled\":\(disabled),\"confirm\":\(a.needsConfirmation)}"
    }

    /// A JSON number; a value JSON cannot carry (NaN, infinity) is `null`.
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        return ConsoleFormat.number(x, decimals: 3)
    }

    /// A JSON string with every character JSON requires escaped.
    static func text(_ s: String) -> String { JSONText.quoted(s) }
}
