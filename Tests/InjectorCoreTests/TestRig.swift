@testable import InjectorCore

/// A bench for the controller in tests: a perfect step generator and a toy
/// hydraulic load (one compliance, one resistance), so that the controller above
/// it can be exercised tick by tick. It is a fake for tests only, not the plant model.
struct TestRig {
    var controller: InjectionController
    let configuration: InjectorConfiguration
    var now = Instant(nanoseconds: 1_000_000_000)
    /// The firmware's own step generator: the rig's motor is the one the board drives.
    var steps: StepGenerator
    var stepPosition: Steps { steps.position }
    var switches = SwitchInputs(enable: .active)
    /// Toy load: stored volume over compliance gives pressure; outflow = p / resistance.
    var storedVolume = 0.0
    var loadCompliance = 0.02 // µL/kPa
    var loadResistance = 20.0 // kPa per µL/s
    /// Overrides for sensor faults.
    var pressureOverride: SensorSample<Kilopascals>?
    /// The pressure twin (when the configuration fits one) reads the load's true pressure unless overridden.
    var twinOverride: SensorSample<Kilopascals>?
    var hostHeard = true
    /// The stepper driver's fault or stall output.
    var driverFault = Activation.inactive
    /// With a position sensor fitted, it reads the step count's volume plus this (a
    /// plunger that does not follow its steps).
    var positionError = Microliters.zero
    var lastOutputs: ControllerOutputs?
    var history: [ControllerEvent] = []
    let period: Interval

    init(_ configuration: InjectorConfiguration = TestRig.fastConfiguration()) {
        self.configuration = configuration
        self.controller = InjectionController(configuration: try! configuration.validated())
        self.period = configuration.tickRate.period
        self.steps = StepGenerator(maxStepRate: configuration.drive.maxStepRate, tickRate: configuration.tickRate)
    }

    /// A configuration whose cement clock and pauses are short, so tests run quickly.
    static func fastConfiguration() -> InjectorConfiguration {
        var c = InjectorConfiguration()
        c.cement = CementSpec(workingPhaseStart: .seconds(1), workingPhaseEnd: .seconds(600),
                              settingTime: .seconds(900), workingTimeWarning: .seconds(30))
        c.needle.deadVolume = Microliters(50)
        c.faults.leakPauseMinimum = .seconds(60)
        // Room to resume after a posterior-quarter or leak stop (shipped: 0 µL).
        c.faults.resumeAllowanceAfterStop = Microliters(100)
        c.faults.consistencyMinimumPressure = Kilopascals(100)
        return c
    }

    /// Cement that has left the needle, as the toy load sees it.
    var trueDelivered = 0.0
    /// Whether this level's needle has been primed and placed in the bone (a new level
    /// takes it out again).
    var needleInBone = false
    /// Negative stored volume is a gap: the plunger backed off past decompression
    /// and must close it before cement moves again.
    var pressure: Kilopascals { Kilopascals(max(0, storedVolume) / loadCompliance) }
    var state: InjectorState { controller.state }
    var telemetry: TelemetrySnapshot { lastOutputs!.telemetry }

    @discardableResult
    mutating func tick(_ command: HostCommand? = nil) -> ControllerOutputs {
        now = now + period
        let sample = pressureOverride ?? SensorSample(value: pressure, sampledAt: now)
        let twin = configuration.pressureTwinFitted
            ? twinOverride ?? SensorSample(value: pressure, sampledAt: now) : nil
        let position = configuration.positionSensorFitted
            ? SensorSample(value: controller.geometry.volume(of: stepPosition) + positionError, sampledAt: now) : nil
        let inputs = ControllerInputs(now: now, stepPosition: stepPosition, pressure: sample,
                                      plungerPosition: position, pressureTwin: twin,
                                      switches: switches, command: command,
                                      hostLastHeard: hostHeard ? now : nil, driverFault: driverFault)
        let out = controller.step(inputs)
        lastOutputs = out
        history.append(contentsOf: controller.events)
        // The step generator, then the toy load.
        let issued = steps.advance(rate: out.stepRate, over: period, driver: out.driver)
        let displaced = controller.geometry.volume(of: Steps(Int64(issued))).rawValue
        if !needleInBone, controller.events.contains(where: { $0.kind == .stateChanged && $0.reason == .primingComplete }) {
            // The level's primed needle is now placed in the bone: what dripped out before is
            // not delivered. It stays there: whatever is pushed through it later (a second
            // priming included) goes into the bone.
            storedVolume = 0
            trueDelivered = 0
            needleInBone = true
        }
        storedVolume += displaced
        let outflow = max(0, min(storedVolume, pressure.rawValue / loadResistance * period.seconds))
        storedVolume -= outflow
        trueDelivered += outflow
        return out
    }

    mutating func run(seconds: Double, _ body: ((ControllerOutputs) -> Void)? = nil) {
        let ticks = Int(seconds / period.seconds)
        for _ in 0..<ticks { let o = tick(); body?(o) }
    }

    /// Runs until `condition` holds or `limit` seconds pass; returns whether it held.
    @discardableResult
    mutating func run(until condition: (TestRig) -> Bool, limit seconds: Double) -> Bool {
        let ticks = Int(seconds / period.seconds)
        for _ in 0..<ticks {
            tick()
            if condition(self) { return true }
        }
        return false
    }

    /// Mixes cement, primes, arms and starts: returns with the controller injecting.
    mutating func startInjecting() {
        tick(.cementMixed)
        tick(.prime)
        precondition(run(until: { $0.state == .primed }, limit: 5), "priming did not finish")
        tick(.arm)
        run(seconds: 1.0) // let the cement reach its working phase
        let out = tick(.start)
        precondition(out.reply == .accepted(.start), "start refused: \(String(describing: out.reply))")
    }
}
