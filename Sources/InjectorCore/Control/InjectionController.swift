/// The injection controller: one deterministic step per control tick.
///
/// `step(_:)` takes everything the controller may know at time `now` — switches,
/// sensor samples, the step count, at most one host command — and returns the
/// actuator command and a telemetry snapshot; the events it raised are in `events`
/// until the next step. It reads no clock,
/// starts no thread, touches no file and, in steady state, allocates nothing, so a
/// simulator can run it thousands of times faster than real time and a seed
/// reproduces any run.
///
/// Every stop goes through one path, `halt(into:reason:at:)`: forward flow is zeroed in
/// the same tick, then pressure relief starts. Whether forward motion is allowed at all
/// is decided in one place, `forwardBlock(_:_:)` (MotionDecision.swift), which commands,
/// stops and the final guard in `step` all ask. The guard forbids forward motion outside
/// the states and conditions that allow it, whatever the logic above did, and counts
/// each time it had to (`guardTrips`).
public struct InjectionController: Sendable {
    public internal(set) var configuration: InjectorConfiguration
    public let geometry: DriveGeometry
    /// The tick period, worked out once: from the rate it costs a division and a rounding.
    let tickPeriod: Interval
    /// The largest step-count change a tick of `tickPeriod` can show (see `observeFeedback`).
    let stepJumpPerTick: Double
    public internal(set) var state: InjectorState = .idle
    /// The reason of the last transition: why the controller is paused, faulted, complete…
    public internal(set) var stateReason: Reason = .none
    public internal(set) var budget: VolumeBudget
    /// What this level and this session hold, across plans and restarts (invariant 7).
    public internal(set) var ledger: VolumeLedger
    /// The new-level key was turned while idle or complete: the next plan starts a new level.
    public internal(set) var newLevelRequested = false
    public internal(set) var targetFlow: MicrolitersPerSecond
    public internal(set) var mixedAt: Instant?

    var rate: RateController
    var relief: PressureRelief
    var leak: LeakDetector
    var rapidLeak: RapidLeakDetector
    var leakRecovery: LeakRecoveryWatch
    /// The highest pressure of the bolus (or period) under way, and of the one before it
    /// when this one followed a release cycle: the injection pressure a leak stop records.
    var bolusPeakPressure: Kilopascals = .zero
    var previousBolusPeakPressure: Kilopascals = .zero
    var occlusion: OcclusionDetector
    var consistency: ConsistencyCheck
    var health: SensorHealth
    /// Step position when priming ended: displacement is counted from here.
    var baselineSteps: Steps?
    var primingStartSteps: Steps = .zero
    /// Geometry cross-checks of the priming under way (issue 9 finding 2).
    var fillWatch: NeedleFillWatch
    var areaWatch = PlungerAreaWatch()
    /// The first geometry check that disagreed since priming began: arm is refused while
    /// it stands (`Refusal.geometryMismatch`). Kept for the level, as its needle is.
    public internal(set) var geometryFinding: GeometryFinding?
    var lastNow: Instant?
    var lastSteps: Steps?
    var tick: UInt64 = 0
    var injectingSince: Instant = .origin
    var bolusStart: Microliters = .zero
    var pausedAt: Instant = .origin
    var releaseCycles: UInt32 = 0
    var eventsDropped: UInt32 = 0
    /// Ticks on which the final guard had to zero a forward rate (see `forwardPermitted`).
    public internal(set) var guardTrips: UInt32 = 0
    var workingTimeWarned = false
    /// Pushing time since the pressure reading last changed (frozen-sensor check).
    var frozenPushTime: Interval = .zero
    var frozenSince: Instant = .origin
    /// Faults found in the inputs themselves (contradictory switches, a step count that jumps).
    var inputProblem: Reason = .none
    /// The events the last `step` raised, in order; emptied at the start of every step.
    /// Read them after each step (`isEmpty` first: iterating copies the batch).
    public internal(set) var events = EventBatch()

    /// A controller for `configuration`, resuming the level and session `ledger` records
    /// (the firmware restores it from disk after a restart; a new session starts empty).
    public init(configuration: ValidatedConfiguration, ledger: VolumeLedger = VolumeLedger()) {
        let c = configuration.configuration
        self.configuration = c
        self.geometry = configuration.geometry
        self.tickPeriod = c.tickRate.period
        self.stepJumpPerTick = Self.allowedStepJump(over: tickPeriod, maxStepRate: c.drive.maxStepRate)
        self.ledger = ledger
        self.budget = VolumeBudget(configuration: c, ledger: ledger)
        self.targetFlow = c.rates.injectionFlow
        self.rate = RateController(acceleration: c.rates.acceleration)
        self.relief = PressureRelief(spec: c.release)
        self.leak = LeakDetector(spec: c.faults)
        self.rapidLeak = RapidLeakDetector(spec: c.faults)
        self.leakRecovery = LeakRecoveryWatch(spec: c.faults)
        self.occlusion = OcclusionDetector(spec: c.faults)
        self.consistency = ConsistencyCheck(spec: c.faults)
        self.health = SensorHealth(configuration: c)
        self.fillWatch = NeedleFillWatch(c)
    }

    /// The ledger as the firmware persists it after every change: the running budget's
    /// committed volume included, so a controller restored from it counts that too.
    public var persistentLedger: VolumeLedger {
        var l = ledger
        l.close(budgetCommitted: budget.committed)
        return l
    }

    /// Whether a relief (back-off or dwell) is in progress.
    public var reliefPhase: ReliefPhase { relief.phase }

    /// Runs one control tick.
    public mutating func step(_ input: ControllerInputs) -> ControllerOutputs {
        events.removeAll()
        let now = input.now
        let elapsed = lastNow.map { now - $0 } ?? tickPeriod
        let dt = Interval(nanoseconds: Swift.min(Swift.max(elapsed.nanoseconds, 0),
                                                 tickPeriod.nanoseconds * Self.longestTickInPeriods))
        lastNow = now
        tick &+= 1

        observeFeedback(input, elapsed: elapsed)
        if input.switches.eStop.isActive && state != .eStopped {
            halt(into: .eStopped, reason: .eStop, at: now)
        }
        else if state == .eStopped && !input.switches.eStop.isActive && input.switches.localReset.isActive {
            // Only the button on the device clears an e-stop; nothing on the link can.
            transition(to: baselineSteps == nil ? .idle : .paused, reason: .localReset, at: now)
        }
        latchFaultIfAny(at: now)
        noteNewLevelKey(input.switches, at: now)

        var reply: CommandReply?
        if let command = input.command { reply = handle(command, input) }

        checkStops(input)
        advanceRelief(input)
        let flow = motion(input, dt: dt)

        let stepRate = finalGuard(geometry.stepRate(for: flow), input)
        let driver = driverEnable
        let alarm = alarmLevel
        let telemetry = snapshot(input, stepRate: stepRate, driver: driver, alarm: alarm)
        eventsDropped &+= UInt32(truncatingIfNeeded: events.dropped)
        return ControllerOutputs(stepRate: stepRate, driver: driver, alarm: alarm,
                                 reply: reply, telemetry: telemetry)
    }

    /// Zeroes a forward rate that `forwardPermitted` forbids. Unreachable if the logic
    /// above is right; the guard makes invariant 2 hold regardless, and counts the trip:
    /// a trip is a bug in a path above.
    @inline(__always) mutating func finalGuard(_ stepRate: StepsPerSecond, _ input: ControllerInputs) -> StepsPerSecond {
        guard stepRate.rawValue > 0, !forwardPermitted(input) else { return stepRate }
        rate.halt()
        guardTrips &+= 1
        return .zero
    }

    // MARK: - Feedback

    private mutating func observeFeedback(_ input: ControllerInputs, elapsed: Interval) {
        let stepVolume = geometry.volume(of: input.stepPosition)
        health.observe(now: input.now, pressure: input.pressure, twin: input.pressureTwin,
                       position: input.plungerPosition, stepVolume: stepVolume)
        // The driver's own flag first: it is the one witness of the load that does not
        // share the pressure sensors' errors (a common-mode drift reads low on both).
        inputProblem = input.driverFault.isActive ? .driverFault : .none
        if input.switches.forwardEndOfTravel.isActive && input.switches.rearEndOfTravel.isActive {
            inputProblem = .contradictoryInputs
        }
        if let last = lastSteps {
            // The step generator follows our rate; a jump beyond twice the fastest rate is not a step count.
            // Within one tick's allowance it is plausible for any longer window too; only past it is the
            // allowance for the real window (a late tick) worked out.
            let jump = Double((input.stepPosition - last).count.magnitude)
            if jump > stepJumpPerTick,
               jump > Self.allowedStepJump(over: Swift.max(elapsed, tickPeriod), maxStepRate: configuration.drive.maxStepRate) {
                inputProblem = .stepFeedbackImplausible
            }
        }
        lastSteps = input.stepPosition
        if let baseline = baselineSteps {
            budget.update(displaced: geometry.volume(of: input.stepPosition - baseline), pressure: health.pressure)
        }
    }

    /// A late tick integrates rate over at most this many periods: a loop that stalled
    /// longer must not turn one tick into a long push (the next ticks catch up instead).
    static let longestTickInPeriods: Int64 = 10
    /// Steps a count may jump beyond twice the rate's own, whatever the window: at a low
    /// top rate, where twice a tick's steps is under one, a single step, one burst of the
    /// step generator (rounded up) or a restart's few settling steps must not look implausible.
    public static let stepJumpSlack = 16.0
    /// The window over which a step-count jump is judged is capped: past it, the jump
    /// allowed would exceed any plunger's travel and prove nothing.
    static let longestStepJumpWindow = Interval(nanoseconds: 10_000_000_000)

    /// Twice the steps the fastest rate makes in `window` (at most `longestStepJumpWindow`),
    /// plus `stepJumpSlack`.
    static func allowedStepJump(over window: Interval, maxStepRate: StepsPerSecond) -> Double {
        maxStepRate.rawValue * Swift.min(window, longestStepJumpWindow).seconds * 2 + stepJumpSlack
    }

    /// The first problem with sensors or inputs, if any.
    @inline(__always) var feedbackProblem: Reason { inputProblem != .none ? inputProblem : health.problem }

    private mutating func latchFaultIfAny(at now: Instant) {
        let problem = feedbackProblem
        // In idle nothing moves and nothing is delivered: a bad sensor blocks priming instead.
        guard problem != .none, state != .idle, state != .faulted, state != .eStopped else { return }
        halt(into: .faulted, reason: problem, at: now)
    }

    /// The new-level key counts only while nothing is under way (idle or complete).
    private mutating func noteNewLevelKey(_ s: SwitchInputs, at now: Instant) {
        guard s.newLevel.isActive, !newLevelRequested, state == .idle || state == .complete else { return }
        newLevelRequested = true
        raise(.warning, reason: .newLevelRequested, value: Double(ledger.levelIndex + 1), at: now)
    }

    // MARK: - The fail-safe path

    /// Every stop comes here: forward motion ends this tick, then pressure is relieved.
    mutating func halt(into target: InjectorState, reason: Reason, at now: Instant) {
        rate.halt()
        if Self.tightensCap(reason) {
            budget.tightenAfterHazardStop(allowance: configuration.faults.resumeAllowanceAfterStop)
            // The ledger keeps it: no later plan in this level, nor a restart, undoes it.
            ledger.lowerLevelCeiling(toRunningCap: budget.cap)
        }
        if reason == .leakSeen || reason == .leakSuspected {
            // The injection pressure before the drop: this bolus's peak, or the last one's if
            // the stop came in a release cycle or while the screw closed its gap.
            let peak = Swift.max(bolusPeakPressure, previousBolusPeakPressure)
            leakRecovery.leakStopped(preLeak: Swift.max(peak, leak.recentPeak ?? .zero))
        }
        if target != .releasing { leakRecovery.injectionStopped() }
        leak.reset()
        rapidLeak.reset()
        occlusion.injectionStopped()
        if target == .faulted {
            raise(.faultLatched, reason: reason, at: now)
        }
        transition(to: target, reason: reason, at: now)
        // An e-stop disables the driver in this tick and moves nothing after it: its
        // second pole cuts the motor's power in hardware, and a person who pressed it
        // wants the machine still. The cap counts the stored volume regardless
        // (committed is the peak displacement), so invariant 1 owes it no relief.
        guard target != .eStopped, !Self.driveOutOfControl(target, reason) else {
            relief.cancel()
            return
        }
        // A leak is suspected because the reading fell: a sensor failing low looks the
        // same, so the reading that ended the injection may not also end its relief. A
        // driver that flags a load the readings did not show says the same of them.
        relief.begin(at: now, displaced: budget.displaced, afterStop: target != .releasing,
                     pressureTrusted: pressureTrustedForRelief && reason != .leakSuspected && reason != .driverFault)
    }

    /// A fault that says the plunger does not follow the steps (a STEP line toggling by
    /// itself, an inverted DIR, a stall): a back-off would be the same untrusted motor, and
    /// an inverted one pushes the whole back-off volume forward. The driver is disabled at
    /// once and nothing is relieved, as after an e-stop (fault-injection matrix, H11/H12:
    /// before, relief kept ENABLE on and a toggling STEP line pushed on through it).
    @inline(__always) static func driveOutOfControl(_ target: InjectorState, _ reason: Reason) -> Bool {
        target == .faulted && reason == .positionDisagreement
    }

    /// Stops after which a resume may add at most `faults.resumeAllowanceAfterStop`: the
    /// front reached the posterior quarter, or cement is leaving the body (issue 9, finding 3).
    @inline(__always) static func tightensCap(_ reason: Reason) -> Bool {
        reason == .posteriorQuarterReached || reason == .leakSeen || reason == .leakSuspected
    }

    /// A reading unchanged for this share of `faults.pressureStuckAfter` while pushing
    /// is not yet a fault, but is already too suspect to end a back-off: relieving by
    /// volume instead costs only time and a gap the screw closes on resuming.
    static let frozenDistrustDivisor: Int64 = 2

    /// Pushing time within the stuck band after which a flattening reading says nothing
    /// about the needle tip: a live transducer (2 kPa SD) stays within a 1 kPa band for
    /// a few samples, not for 50.
    static let frozenForTipVerdict = Interval.milliseconds(50)

    /// Whether the pressure reading may end a back-off early: healthy (fresh, in range,
    /// no error), its twin healthy and in agreement now, and not frozen while pushing.
    /// Otherwise relief backs off its full volume (issue 9, finding 4).
    @inline(__always) var pressureTrustedForRelief: Bool {
        health.pressureProblem == .none && health.twinProblem == .none && !health.pressuresDisagreeNow
            && frozenPushTime.nanoseconds * Self.frozenDistrustDivisor < configuration.faults.pressureStuckAfter.nanoseconds
    }

    mutating func transition(to next: InjectorState, reason: Reason, at now: Instant) {
        let previous = state
        state = next
        stateReason = reason
        events.append(ControllerEvent(time: now, kind: .stateChanged, reason: reason,
                                      previousState: previous, state: next))
        switch next {
        case .injecting:
            injectingSince = now
            bolusStart = budget.committed
            leak.reset()
            rapidLeak.reset()
            previousBolusPeakPressure = reason == .releaseComplete ? bolusPeakPressure : .zero
            bolusPeakPressure = .zero
            if reason != .releaseComplete { leakRecovery.injectionResumed(at: now) }
            consistency.injectionStarted(delivered: budget.delivered)
        case .paused:
            pausedAt = now
        default:
            break
        }
    }

    mutating func raise(_ kind: EventKind, reason: Reason = .none, command: CommandCode = .none,
                        refusal: Refusal = .none, value: Double = 0, at now: Instant) {
        events.append(ControllerEvent(time: now, kind: kind, reason: reason, previousState: state,
                                      state: state, command: command, refusal: refusal, value: value))
    }

    /// A hazard detected while injecting: recorded, then the fail-safe path.
    mutating func hazardStop(_ reason: Reason, value: Double = 0, at now: Instant) {
        raise(.hazardDetected, reason: reason, value: value, at: now)
        halt(into: .paused, reason: reason, at: now)
    }
}
