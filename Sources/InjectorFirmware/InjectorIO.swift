import InjectorCore
import InjectorHardware
import InjectorProtocol

/// What the controller reads in one tick, apart from time, the step count and the host.
public struct SensedInputs: Sendable {
    public var switches: SwitchInputs
    public var pressure: SensorSample<Kilopascals>
    public var plungerPosition: SensorSample<Microliters>?
    /// The pressure twin's sample, when one is fitted.
    public var pressureTwin: SensorSample<Kilopascals>?

    public init(switches: SwitchInputs, pressure: SensorSample<Kilopascals>,
                plungerPosition: SensorSample<Microliters>?, pressureTwin: SensorSample<Kilopascals>? = nil) {
        self.switches = switches
        self.pressure = pressure
        self.plungerPosition = plungerPosition
        self.pressureTwin = pressureTwin
    }
}

/// What an output write did this tick.
public struct ActuationResult: Sendable {
    /// Steps issued this tick (signed).
    public var stepsIssued: Int
    /// The first output failure of the tick, if any.
    public var failure: HardwareError?
}

/// Where the firmware's inputs come from and its outputs go: GPIO and ADCs on a board,
/// or a simulator over a link (hardware in the loop).
public protocol InjectorIO: AnyObject {
    /// Net steps issued so far: the controller's `stepPosition`.
    var stepPosition: Steps { get }
    /// Switches and sensors for the tick at `now`; `nil` while there are none yet (a
    /// simulator that has not sent its first SimSensors): the controller then waits.
    func readInputs(at now: Instant) -> SensedInputs?
    /// Drives ENABLE, STEP/DIR for the coming `tick`, and the buzzer.
    func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult
    /// A SimSensors message that arrived (from the host link or the sim link).
    func receive(_ sensors: SimulatedSensors, at now: Instant)
    /// SimActuators to send after `apply`, if this IO talks to a simulator.
    func actuatorReport(at now: Instant, outputs: ControllerOutputs) -> SimulatedActuators?
    /// Disables the driver and stops stepping; releases what it holds. Idempotent.
    func safeStop()
}

/// The board: GPIO lines and IIO ADCs through InjectorHardware.
public final class BoardIO: InjectorIO {
    public let hardware: BoardHardware
    public private(set) var generator: StepGenerator
    private var stopped = false

    public init(hardware: BoardHardware, maxStepsPerTick: Int) {
        self.hardware = hardware
        self.generator = StepGenerator(maxStepsPerTick: maxStepsPerTick)
    }

    public var stepPosition: Steps { generator.position }

    public func readInputs(at now: Instant) -> SensedInputs? {
        SensedInputs(switches: hardware.switches.read(), pressure: hardware.pressure.sample(at: now),
                     plungerPosition: hardware.position?.sample(at: now),
                     pressureTwin: hardware.pressureTwin?.sample(at: now))
    }

    public func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult {
        var result = ActuationResult(stepsIssued: 0, failure: nil)
        guard !stopped else { return result }
        do throws(HardwareError) {
            // ENABLE before the steps when enabling; with the driver disabled no step goes out.
            try hardware.driver.set(outputs.driver)
            result.stepsIssued = try generator.advance(rate: outputs.stepRate, over: tick, driver: outputs.driver,
                                                       output: hardware.stepOutput)
        } catch {
            result.failure = error
            try? hardware.driver.set(.disabled)
        }
        if let alarm = hardware.alarm {
            do throws(HardwareError) { try alarm.set(outputs.alarm, at: now) } catch {
                if result.failure == nil { result.failure = error }
            }
        }
        return result
    }

    public func receive(_ sensors: SimulatedSensors, at now: Instant) {}
    public func actuatorReport(at now: Instant, outputs: ControllerOutputs) -> SimulatedActuators? { nil }

    public func safeStop() {
        guard !stopped else { return }
        stopped = true
        hardware.shutDown()
    }
}

/// Which clock stamps a simulated sample.
public enum SimulationClock: Sendable {
    /// The firmware's own clock: a sample is stamped when it arrives (free-running).
    case firmware
    /// The simulator's `sampleTimeNs` (lockstep: the simulator drives the firmware's clock).
    case simulator
}

/// A simulator standing in for the hardware: switches and sensors arrive as SimSensors,
/// the step count and actuator state go back as SimActuators. Steps are counted by
/// the same `StepGenerator` that drives a real board, with a virtual step output.
public final class SimulatedIO: InjectorIO {
    public let clock: SimulationClock
    public private(set) var generator: StepGenerator
    private let output = VirtualStepOutput()
    private var latest: SimulatedSensors?
    private var latestStamp = Instant.origin
    public private(set) var samplesReceived: UInt64 = 0
    private var stopped = false
    private var lastDriver = DriverEnable.disabled
    private var lastAlarm = AlarmLevel.off
    private var lastRate = StepsPerSecond.zero

    public init(clock: SimulationClock, maxStepsPerTick: Int) {
        self.clock = clock
        self.generator = StepGenerator(maxStepsPerTick: maxStepsPerTick)
    }

    public var stepPosition: Steps { generator.position }
    public var latestSensors: SimulatedSensors? { latest }

    public func receive(_ sensors: SimulatedSensors, at now: Instant) {
        latest = sensors
        latestStamp = clock == .firmware ? now : sensors.sampleTime
        samplesReceived &+= 1
    }

    public func readInputs(at now: Instant) -> SensedInputs? {
        // Nothing from the simulator yet: no inputs, the controller waits (the driver
        // stays disabled) rather than latching an e-stop for a simulator still starting.
        guard let s = latest else { return nil }
        return SensedInputs(
            switches: s.switches,
            pressure: SensorSample(value: s.pressure, sampledAt: latestStamp, status: s.pressureStatus),
            plungerPosition: s.plungerPosition.map { SensorSample(value: $0, sampledAt: latestStamp, status: s.plungerStatus) },
            pressureTwin: s.pressureTwin.map { SensorSample(value: $0, sampledAt: latestStamp, status: s.pressureTwinStatus) })
    }

    public func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult {
        guard !stopped else { return ActuationResult(stepsIssued: 0, failure: nil) }
        lastDriver = outputs.driver
        lastAlarm = outputs.alarm
        lastRate = outputs.driver == .enabled ? outputs.stepRate : .zero
        do throws(HardwareError) {
            let n = try generator.advance(rate: outputs.stepRate, over: tick, driver: outputs.driver, output: output)
            return ActuationResult(stepsIssued: n, failure: nil)
        } catch {
            return ActuationResult(stepsIssued: 0, failure: error)
        }
    }

    public func actuatorReport(at now: Instant, outputs: ControllerOutputs) -> SimulatedActuators? {
        SimulatedActuators(time: now, stepPosition: generator.position, stepRate: stopped ? .zero : lastRate,
                           driver: stopped ? .disabled : lastDriver, alarm: lastAlarm)
    }

    /// The last report after a stop: driver disabled, no motion.
    public func stoppedReport(at now: Instant) -> SimulatedActuators {
        SimulatedActuators(time: now, stepPosition: generator.position, stepRate: .zero, driver: .disabled,
                           alarm: lastAlarm)
    }

    public func safeStop() {
        stopped = true
        lastDriver = .disabled
        lastRate = .zero
    }
}
