import InjectorCore
import InjectorHardware

/// What the injector configuration says is fitted against what the board file wires.
///
/// A configuration that counts on a sensor the board does not have would fault on the
/// first tick and refuse to prime: that is an error, named before any line is
/// requested. A wired sensor the configuration leaves out only gives up a check: a
/// warning.
public struct SensorFit: Equatable, Sendable {
    public var errors: [String] = []
    public var warnings: [String] = []

    public init(_ configuration: InjectorConfiguration, board: BoardConfiguration) {
        check(configuration.positionSensorFitted, "positionSensorFitted", board.position != nil, "position")
        check(configuration.pressureTwinFitted, "pressureTwinFitted", board.pressureTwin != nil, "pressureTwin")
        // No board file wires a barrel clamp yet: a configuration counting on one would
        // refuse every prime (issue 9 finding 2; docs/firmware.md).
        check(configuration.syringeSizeSensorFitted, "syringeSizeSensorFitted", false, "syringeSize")
    }

    private mutating func check(_ fitted: Bool, _ key: String, _ wired: Bool, _ section: String) {
        if fitted && !wired {
            errors.append("\(key) is true in the configuration, but the board file has no `\(section)` channel")
        } else if !fitted && wired {
            warnings.append("the board file wires `\(section)`, but \(key) is false in the configuration: it is read and not checked")
        }
    }
}
