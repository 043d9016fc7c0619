import InjectorCore
import InjectorProtocol

/// What both faces show, derived once from the session: the banner that must not be
/// missed (lost link, e-stop, fault, refused firmware), the cement clock, the
/// hazards and switches in words.
public enum ConsoleDisplay {
    /// The loudest thing on the screen, or `nil` when all is well.
    public static func alarmBanner(_ s: ConsoleSession) -> String? {
        switch s.link {
        case .lost(let why): return "LINK LOST — \(why). Nothing from the firmware is current."
        case .refused(let mismatch): return "FIRMWARE REFUSED — \(mismatch)"
        case .closed(let why): return "NO LINK — \(why)"
        case .identifying, .connected: break
        }
        guard let t = s.telemetry else { return nil }
        if t.state == .eStopped || t.switches[.eStop].isActive { return "E-STOP — motion stopped (\(t.stateReason))" }
        if t.state == .faulted { return "FAULT — \(t.stateReason.description.uppercased())" }
        return nil
    }

    public static func linkText(_ s: ConsoleSession) -> String {
        switch s.link {
        case .closed: "closed"
        case .identifying: "identifying…"
        case .connected(let id):
            "connected: firmware \(id.firmwareVersion), configuration \(ConsoleFormat.hex(id.configurationHash)) (matches)"
        case .refused: "refused"
        case .lost: "LOST"
        }
    }

    /// The cement's working phase as the operator needs it: time until it opens, time
    /// left in it, or how long ago it closed.
    public static func cementText(_ t: TelemetryReport?, _ cement: CementSpec) -> String {
        guard let age = t?.timeSinceMixing else { return "cement: mixing not recorded" }
        if age < cement.workingPhaseStart {
            return "cement: working phase opens in \(ConsoleFormat.minutesSeconds(cement.workingPhaseStart - age))"
        }
        if age < cement.workingPhaseEnd {
            return "cement: working phase \(ConsoleFormat.minutesSeconds(cement.workingPhaseEnd - age)) left"
        }
        return "cement: WORKING PHASE OVER \(ConsoleFormat.minutesSeconds(age - cement.workingPhaseEnd)) ago"
    }

    /// The cement clock in seconds for the dashboard: left in the working phase
    /// (negative once over), `nil` before mixing.
    public static func workingPhaseLeft(_ t: TelemetryReport?, _ cement: CementSpec) -> Double? {
        guard let age = t?.timeSinceMixing else { return nil }
        return (cement.workingPhaseEnd - age).seconds
    }

    public static let hazardNames: [(HazardFlags, String)] = [
        (.pressureSlowdown, "pressure slowdown"), (.pressureAboveOcclusionThreshold, "pressure above occlusion threshold"),
        (.consistencyCheckRunning, "consistency check running"), (.consistencyCheckPassed, "consistency check passed"),
        (.hostLinkLost, "host link lost"), (.pressureSensorUnhealthy, "pressure sensor unhealthy"),
        (.positionSensorUnhealthy, "position sensor unhealthy"), (.workingTimeWarning, "working time warning"),
        (.capApproaching, "cap approaching"), (.leakWatchArmed, "leak watch armed"),
        (.motionGuardTripped, "motion guard tripped"),
    ]

    public static func hazards(_ t: TelemetryReport) -> [String] {
        hazardNames.filter { t.hazards.contains($0.0) }.map(\.1)
    }

    /// Every switch with whether it is active.
    public static func switches(_ t: TelemetryReport) -> [(name: String, active: Bool)] {
        Switch.allCases.map { ($0.name, t.switches[$0].isActive) }
    }

    public static func alarmText(_ level: AlarmLevel) -> String {
        switch level {
        case .off: "off"
        case .notice: "notice"
        case .alarm: "ALARM"
        }
    }
}
