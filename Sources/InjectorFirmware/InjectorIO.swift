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
    /// The stepper driver's fault or stall output (`.inactive` where none is wired).
    public var driverFault: Activation

    public init(switches: SwitchInputs, pressure: SensorSample<Kilopascals>,
                plungerPosition: SensorSample<Microliters>?, pressureTwin: SensorSample<Kilopascals>? = nil,
                driverFault: Activation = .inactive) {
        self.switches = switches
        self.pressure = pressure
        self.plungerPosition = plungerPosition
        self.pressureTwin = pressureTwin
        self.driverFault = driverFault
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
/// or a simulator over a link (hardware in the loop, through a `SimulatorPort`). Only
/// what every kind of hardware does: the firmware loop never asks which it has.
public protocol InjectorIO: AnyObject {
    /// Net steps issued so far: the controller's `stepPosition`.
    var stepPosition: Steps { get }
    /// Switches and sensors for the tick at `now`; `nil` while there are none yet (a
    /// simulator that has not sent its first SimSensors): the controller then waits.
    func readInputs(at now: Instant) -> SensedInputs?
    /// Drives ENABLE, STEP/DIR for the coming `tick`, and the buzzer.
    func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult
    /// Disables the driver and stops stepping at `now`; releases what it holds. Idempotent.
    func safeStop(at now: Instant)
    /// The tick just run was healthy (woke in time, outputs applied): a board beats its
    /// charge pump. Nothing else may depend on it.
    func tickWasHealthy()
}

extension InjectorIO {
    public func tickWasHealthy() {}
}

/// The board: GPIO lines and IIO ADCs through InjectorHardware.
///
/// Steps go out one of two ways, chosen at start-up: as a burst at the start of each
/// tick (no step thread: tests and the qemu testbed), or spread at their due times by
/// a `StepThread` (the firmware on a board). With the thread, each tick's batch is
/// due one tick ahead (`now + tick` plus the Core's offsets), so it is in the thread's
/// hands before its first step; `stepPosition` counts only pulses that went out, so
/// it can trail the plan by up to one tick's steps.
public final class BoardIO: InjectorIO {
    public let hardware: BoardHardware
    public private(set) var generator: StepGenerator
    /// The step thread, if steps go out at their due times.
    public let stepThread: StepThread?
    private let startPosition: Steps
    private var stopped = false

    public init(hardware: BoardHardware, maxStepsPerTick: Int, stepThread options: StepThread.Options? = nil) {
        self.hardware = hardware
        self.generator = StepGenerator(maxStepsPerTick: maxStepsPerTick)
        self.startPosition = generator.position
        self.stepThread = options.map {
            StepThread(queue: StepBatchQueue(maxStepsPerBatch: maxStepsPerTick), output: hardware.stepOutput, options: $0)
        }
    }

    public var stepPosition: Steps {
        guard let stepThread else { return generator.position }
        return startPosition + Steps(Int64(stepThread.queue.issuedSteps))
    }

    public func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult {
        var result = ActuationResult(stepsIssued: 0, failure: nil)
        guard !stopped else { return result }
        do throws(HardwareError) {
            if let stepThread {
                try applyThreaded(outputs, at: now, tick: tick, stepThread.queue, &result)
            } else {
                // ENABLE before the steps when enabling; with the driver disabled no step goes out.
                try hardware.driver.set(outputs.driver)
                result.stepsIssued = try generator.advance(rate: outputs.stepRate, over: tick, driver: outputs.driver,
                                                           output: hardware.stepOutput)
            }
        } catch {
            result.failure = error
            stepThread?.queue.cancel()
            try? hardware.driver.set(.disabled)
        }
        if let alarm = hardware.alarm {
            do throws(HardwareError) { try alarm.set(outputs.alarm, at: now) } catch {
                if result.failure == nil { result.failure = error }
            }
        }
        return result
    }

    public func safeStop(at now: Instant) {
        guard !stopped else { return }
        stopped = true
        if let stepThread {
            stepThread.queue.cancel()
            stepThread.stop()
        }
        hardware.shutDown()
    }

    public func tickWasHealthy() {
        guard !stopped else { return }
        hardware.chargePump?.beat()
    }
}

/// The board's switches and sensors.
extension BoardIO {
    public func readInputs(at now: Instant) -> SensedInputs? {
        SensedInputs(switches: hardware.switches.read(), pressure: hardware.pressure.sample(at: now),
                     plungerPosition: hardware.position?.sample(at: now),
                     pressureTwin: hardware.pressureTwin?.sample(at: now),
                     driverFault: hardware.driverFault?.read().0 ?? .inactive)
    }
}

/// The step thread's side of the board's I/O.
extension BoardIO {
    /// Starts the step thread, if there is one; what its scheduling got (`nil`
    /// without a thread; a failed step if the thread could not be created).
    public func startStepThread() -> RealTimeSetup.Step? { stepThread?.start() }

    /// The step thread's tick: take in what the thread finished (its pulse errors are
    /// this tick's failure), cancel pending steps on a stop before ENABLE goes off,
    /// then hand over the next tick's batch.
    private func applyThreaded(_ outputs: ControllerOutputs, at now: Instant, tick: Interval,
                               _ queue: StepBatchQueue, _ result: inout ActuationResult) throws(HardwareError) {
        var failure: HardwareError?
        queue.collect { planned, issued, error in
            generator.record(issued: issued, of: planned)
            result.stepsIssued += issued
            if failure == nil { failure = error }
        }
        if let failure { throw failure }
        let stopping = outputs.driver == .disabled || outputs.stepRate.rawValue == 0 || !outputs.stepRate.rawValue.isFinite
        if stopping, !queue.cancel() {
            throw HardwareError(.io, device: "step thread", detail: "a pulse did not end after a cancel",
                                advice: "check the STEP line's GPIO chip")
        }
        try hardware.driver.set(outputs.driver)
        let timing = generator.planTimed(rate: outputs.stepRate, over: tick, driver: outputs.driver)
        guard timing.planned != 0 else { return }
        guard queue.publish(timing, start: now + tick) else {
            generator.record(issued: 0, of: timing.planned)
            throw HardwareError(.io, device: "step thread",
                                detail: "\(queue.pending) batches still pending: the thread is \(queue.capacity) ticks behind",
                                advice: "the step thread is not getting the CPU; check its priority")
        }
    }
}

/// Which clock stamps a simulated sample.
public enum SimulationClock: Sendable {
    /// The firmware's own clock: a sample is stamped when it arrives (free-running).
    case firmware
    /// The simulator's `sampleTimeNs` (lockstep: the simulator drives the firmware's clock).
    case simulator
}

/// A simulator standing in for the hardware: switches and sensors are the latest
/// SimSensors its port received, and every `apply` tells the port what the outputs did
/// (step count, rate, driver, alarm) for the next SimActuators. Steps are counted by
/// the same `StepGenerator` that drives a real board, with a virtual step output.
public final class SimulatedIO: InjectorIO {
    public let clock: SimulationClock
    /// The port the firmware loop feeds with the simulator's frames and sends from.
    public let port: SimulatorPort
    public private(set) var generator: StepGenerator
    private let output = VirtualStepOutput()
    private var stopped = false
    private var lastAlarm = AlarmLevel.off

    public init(port: SimulatorPort, clock: SimulationClock, maxStepsPerTick: Int) {
        self.port = port
        self.clock = clock
        self.generator = StepGenerator(maxStepsPerTick: maxStepsPerTick)
    }

    public var stepPosition: Steps { generator.position }

    public func readInputs(at now: Instant) -> SensedInputs? {
        // Nothing from the simulator yet: no inputs, the controller waits (the driver
        // stays disabled) rather than latching an e-stop for a simulator still starting.
        guard let (s, arrivedAt) = port.latest else { return nil }
        let stamp = clock == .firmware ? arrivedAt : s.sampleTime
        return SensedInputs(
            switches: s.switches,
            pressure: SensorSample(value: s.pressure, sampledAt: stamp, status: s.pressureStatus),
            plungerPosition: s.plungerPosition.map { SensorSample(value: $0, sampledAt: stamp, status: s.plungerStatus) },
            pressureTwin: s.pressureTwin.map { SensorSample(value: $0, sampledAt: stamp, status: s.pressureTwinStatus) })
    }

    public func apply(_ outputs: ControllerOutputs, at now: Instant, tick: Interval) -> ActuationResult {
        guard !stopped else {
            report(at: now, rate: .zero, driver: .disabled)
            return ActuationResult(stepsIssued: 0, failure: nil)
        }
        lastAlarm = outputs.alarm
        var result = ActuationResult(stepsIssued: 0, failure: nil)
        do throws(HardwareError) {
            result.stepsIssued = try generator.advance(rate: outputs.stepRate, over: tick, driver: outputs.driver,
                                                       output: output)
        } catch {
            result.failure = error
        }
        report(at: now, rate: outputs.driver == .enabled ? outputs.stepRate : .zero, driver: outputs.driver)
        return result
    }

    /// Stops for good; the port's last report has the driver disabled and no motion.
    public func safeStop(at now: Instant) {
        stopped = true
        report(at: now, rate: .zero, driver: .disabled)
    }

    private func report(at now: Instant, rate: StepsPerSecond, driver: DriverEnable) {
        port.send(SimulatedActuators(time: now, stepPosition: generator.position, stepRate: rate, driver: driver,
                                     alarm: lastAlarm))
    }
}
