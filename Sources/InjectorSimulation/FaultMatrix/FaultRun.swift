import InjectorCore
import InjectorPlant

/// What one matrix run measured, on the plant's truth and the controller's log.
public struct FaultRunObservation: Sendable, Equatable {
    /// The fault's first tick and the controller's state on the tick before it.
    public var onsetAt: Instant?
    public var onsetState: InjectorState?
    /// The controller's reaction: the first event naming the fault at or after onset,
    /// else the first stop for any reason (a physical interlock: the onset itself).
    public var reactionAt: Instant?
    public var reactionNamed = false
    public var reactionReason: Reason = .none
    /// Forward plunger travel (true displaced volume) after the reaction tick, until an
    /// operator's prime, start or resume was accepted.
    public var forwardAfterStop: Microliters = .zero
    /// Forward plunger travel after the onset (whether or not anything stopped).
    public var forwardAfterOnset: Microliters = .zero
    /// Truth at the reaction tick, and when the syringe pressure was first at or below
    /// the relief threshold from then on.
    public var pressureAtReaction: Kilopascals = .zero
    public var relievedAt: Instant?
    /// When a position-disagreement fault latched (the drive does not follow its steps),
    /// if it did: from then on the driver is off and nothing is relieved, by design.
    public var driveFaultAt: Instant?
    /// Whether any event at or after onset named the fault.
    public var named = false
    /// True delivered volume (out of the needle) at the end, and the controller's active
    /// cap then; for a power loss, the cap and the persisted ledger's level total at the cut.
    public var delivered: Microliters = .zero
    public var cap: Microliters = .zero
    public var ledgerAtCut: Microliters?
    /// Screw rotation no commanded step asked for, as volume.
    public var uncommandedVolume: Microliters = .zero
    public var endedAt: Instant = .origin
    public var finalState: InjectorState = .idle
}

/// The lockstep loop of one matrix run: as `LockstepRunner.controller`, plus the fault
/// started at a moment within a state and the per-tick watch the judge needs.
struct FaultRun {
    let plan: FaultRunPlan
    let limits: FaultJudgeLimits
    var controller: InjectionController
    var plant: VertebroplastyPlant
    var sensors: PlantSensors
    var bench: Bench
    var steps: StepGenerator
    var last: ScreenReading?
    var driver = DriverEnable.disabled
    var powered = true
    var inState = Interval.zero
    var injected = Interval.zero
    var paused = false
    var heardBeforeOnset: Instant?
    var restarted = false
    var stopReference: Microliters?
    var onsetReference: Microliters?
    var obs = FaultRunObservation()

    init(_ plan: FaultRunPlan, limits: FaultJudgeLimits, configuration: ValidatedConfiguration) {
        self.plan = plan
        self.limits = limits
        let s = plan.scenario
        controller = InjectionController(configuration: configuration)
        (plant, sensors) = s.plantAndSensors(seed: plan.seed)
        bench = Bench(s)
        steps = StepGenerator(maxStepRate: s.controller.drive.maxStepRate, tickRate: s.controller.tickRate)
    }

    /// Runs to the end: `settle` after the reaction, or `detectionWindow` after onset with
    /// none, or the scenario's end (the onset never came).
    static func run(_ plan: FaultRunPlan, limits: FaultJudgeLimits) throws -> FaultRunObservation {
        var r = FaultRun(plan, limits: limits, configuration: try plan.scenario.controller.validated())
        let s = plan.scenario
        let period = s.controller.tickRate.period
        let end = s.scheduledStart + s.maxDuration
        var now = Instant.origin
        while now <= end {
            r.tick(now, period: period)
            if r.finished(at: now) { break }
            now = LockstepRunner.nextTick(after: now, period: period, primeAt: r.bench.op.primeAt)
        }
        r.finish(at: now)
        return r.obs
    }

    func finished(at now: Instant) -> Bool {
        if let reaction = obs.reactionAt { return now >= reaction + limits.settle }
        if let onset = obs.onsetAt { return now >= onset + limits.detectionWindow }
        return false
    }

    mutating func finish(at now: Instant) {
        obs.endedAt = now
        obs.finalState = controller.state
        let s = plant.state
        let l = s.leaks
        obs.delivered = s.deliveredToBody + l.vein.leaked + l.epidural.leaked + l.needleTract.leaked + l.disc.leaked
        if obs.ledgerAtCut == nil { obs.cap = controller.budget.cap }
        obs.uncommandedVolume = plant.parameters.driveGeometry.volumePerStep * plant.uncommandedSteps
    }
}
