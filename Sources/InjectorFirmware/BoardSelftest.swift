import InjectorCore
import InjectorHardware

/// The bring-up check of a board (`injector-firmware selftest`): reads every input
/// and sensor once; then offers each output in turn and toggles it only when the
/// operator answers `y`; the driver is enabled only after a typed `yes`, for a bounded
/// time, and disabled again before `run` returns. A missing answer (end of input) is
/// "no", so nothing moves unattended. The terminal, the clock and the pauses come in
/// as closures, so tests drive it against a fake chip.
public struct BoardSelftest {
    public var toggles: Int
    public var holdSeconds: Double
    public var enableSeconds: Double
    /// Asks a question; the answer line, or `nil` at end of input.
    public var ask: (String) -> String?
    public var say: (String) -> Void
    /// Pauses for that many microseconds.
    public var pause: (UInt32) -> Void
    public var now: () -> Instant

    public init(toggles: Int, holdSeconds: Double, enableSeconds: Double, ask: @escaping (String) -> String?,
                say: @escaping (String) -> Void, pause: @escaping (UInt32) -> Void, now: @escaping () -> Instant) {
        self.toggles = toggles
        self.holdSeconds = holdSeconds
        self.enableSeconds = enableSeconds
        self.ask = ask
        self.say = say
        self.pause = pause
        self.now = now
    }

    /// Runs every check on `hardware` (already open, driver disabled); the caller shuts it down.
    public func run(_ hardware: BoardHardware) -> SelftestReport {
        let configuration = hardware.configuration
        say("selftest \(configuration.name): \(hardware.chip.name) [\(hardware.chip.label)]; "
            + "\(hardware.nameCheck); driver disabled")
        var report = SelftestReport()
        readInputs(hardware, configuration, &report)
        readSensors(hardware, configuration, &report)
        for output in outputs(hardware, configuration) { offer(output, &report) }
        offerEnable(hardware, configuration, &report)
        say(report.summary)
        return report
    }

    private func readInputs(_ hardware: BoardHardware, _ configuration: BoardConfiguration,
                            _ report: inout SelftestReport) {
        var inputs = hardware.switches.inputs.map { ($0.0.name, configuration.inputs[$0.0]!.line, $0.1) }
        if let fault = hardware.driverFault, let spec = configuration.driverFault {
            inputs.append(("driverFault", spec.line, fault))
        }
        for (name, line, input) in inputs {
            let level = try? input.line.read()
            let (activation, failed) = input.read()
            report.record(failed: failed || level == nil)
            say("input  \(pad(name)) line \(pad(line, 3)) level \(level.map { "\($0)" } ?? "read-failed") → \(activation)")
        }
    }

    private func readSensors(_ hardware: BoardHardware, _ configuration: BoardConfiguration,
                             _ report: inout SelftestReport) {
        let now = now()
        var sensors = [("pressure", configuration.pressure, describe(hardware.pressure.sample(at: now)))]
        if let twin = hardware.pressureTwin, let spec = configuration.pressureTwin {
            sensors.append(("pressureTwin", spec, describe(twin.sample(at: now))))
        }
        if let position = hardware.position, let spec = configuration.position {
            sensors.append(("position", spec, describe(position.sample(at: now))))
        }
        for (name, spec, (text, valid)) in sensors {
            report.record(failed: !valid)
            say("sensor \(pad(name)) \(spec.device) channel \(spec.channel): \(text)")
        }
    }

    private func describe<Q: Quantity>(_ sample: SensorSample<Q>) -> (String, Bool) {
        ("\(sample.value) \(sample.status)", sample.status == .valid)
    }

    /// An output the operator may toggle: its role, line and the line itself.
    struct Output {
        var role: String
        var offset: UInt32
        var line: any OutputLine
    }

    private func outputs(_ hardware: BoardHardware, _ configuration: BoardConfiguration) -> [Output] {
        var outputs = [Output(role: "STEP", offset: configuration.step, line: hardware.stepOutput.step),
                       Output(role: "DIR", offset: configuration.direction, line: hardware.stepOutput.direction)]
        if let alarm = hardware.alarm, let offset = configuration.buzzer {
            outputs.append(Output(role: "BUZZER", offset: offset, line: alarm.line))
        }
        if let pump = hardware.chargePump, let offset = configuration.chargePump {
            outputs.append(Output(role: "CHARGE_PUMP", offset: offset, line: pump.line))
        }
        return outputs
    }

    /// Toggles `output` `toggles` times after a `y`, and leaves it where it was.
    private func offer(_ output: Output, _ report: inout SelftestReport) {
        let ask = "Toggle \(output.role) (line \(output.offset)) \(toggles)×, \(holdSeconds) s per level? "
            + "The driver stays disabled. [y/N] "
        guard answer(ask) == "y" else {
            say("output \(pad(output.role)) line \(pad(output.offset, 3)) skipped")
            return
        }
        let start = (output.line as? any StatefulOutputLine)?.lastSet ?? .low
        var failure: HardwareError?
        for level in Array(repeating: [start.inverted, start], count: toggles).joined() where failure == nil {
            do throws(HardwareError) { try output.line.set(level) } catch { failure = error }
            pause(UInt32(holdSeconds * 1_000_000))
        }
        report.record(failed: failure != nil, toggled: failure == nil)
        say("output \(pad(output.role)) line \(pad(output.offset, 3)) "
              + (failure.map { "failed: \($0)" } ?? "toggled \(toggles)×, back at \(start)"))
    }

    /// Enables the driver for `enableSeconds` only after a typed `yes`.
    private func offerEnable(_ hardware: BoardHardware, _ configuration: BoardConfiguration,
                             _ report: inout SelftestReport) {
        let ask = "Enable the driver (line \(configuration.enable)) for \(enableSeconds) s? The motor will be "
            + "energised and hold torque; no step is sent. Type yes to confirm: "
        guard answer(ask) == "yes" else {
            say("output \(pad("ENABLE")) line \(pad(configuration.enable, 3)) not enabled (no yes)")
            return
        }
        var failure: HardwareError?
        do throws(HardwareError) {
            try hardware.driver.set(.enabled)
            report.driverEnabled = true
            // The ENABLE gate lets the request through only while the charge pump runs.
            for _ in 0..<Int(enableSeconds * 1000) {
                hardware.chargePump?.beat()
                pause(1000)
            }
        } catch { failure = error }
        do throws(HardwareError) { try hardware.driver.set(.disabled) } catch { failure = failure ?? error }
        report.record(failed: failure != nil)
        say("output \(pad("ENABLE")) line \(pad(configuration.enable, 3)) "
              + (failure.map { "failed: \($0)" } ?? "enabled \(enableSeconds) s, disabled again"))
    }

    /// The operator's answer, trimmed and lowercased; "" at end of input.
    private func answer(_ question: String) -> String {
        guard let line = ask(question) else {
            say("(end of input: no)")
            return ""
        }
        return String(line.filter { !$0.isWhitespace }).lowercased()
    }

    private func pad(_ value: some CustomStringConvertible, _ width: Int = 20) -> String {
        let text = value.description
        return text + String(repeating: " ", count: max(0, width - text.count))
    }
}

/// What a selftest read and did, for its closing line.
public struct SelftestReport: Equatable, Sendable {
    public var checks = 0
    public var failures = 0
    public var toggled = 0
    public var driverEnabled = false

    public init(checks: Int = 0, failures: Int = 0, toggled: Int = 0, driverEnabled: Bool = false) {
        self.checks = checks
        self.failures = failures
        self.toggled = toggled
        self.driverEnabled = driverEnabled
    }

    mutating func record(failed: Bool, toggled: Bool = false) {
        checks += 1
        if failed { failures += 1 }
        if toggled { self.toggled += 1 }
    }

    public var summary: String {
        "selftest: \(checks) checks, \(failures) failed, \(toggled) outputs toggled, driver "
            + (driverEnabled ? "enabled on the operator's yes" : "never enabled")
    }
}
