import InjectorCore
import InjectorPlant

/// One run of a matrix cell: the procedure (drawn as a campaign run is) and when and how
/// the fault starts, all from the run's seed.
public struct FaultRunPlan: Sendable {
    public var fault: FaultClass
    public var state: InjectorState
    public var seed: UInt64
    public var scenario: Scenario
    /// The fault starts at the first tick after the controller has spent this long in
    /// `state` (counted over every visit, so a short state such as releasing is met).
    public var offset: Interval
    /// Paused cells: the host pauses once the controller has injected this long.
    public var pauseAfter: Interval
    /// The fault's own number: drift (kPa/s), lost share of steps, toggle rate (steps/s).
    public var magnitude: Double

    /// Draws the run: patient, cement, flow, needle and twin as the campaign does (no
    /// leak paths and no campaign fault, so that the one stop looked for is this fault's),
    /// then the onset and magnitude.
    /// `shortened` (the test suite's reduced matrix): priming starts 1 s before it must
    /// end rather than the campaign's 15 s, and onsets are drawn from a quarter of the
    /// range, so a debug build runs a cell in about a second.
    public init(fault: FaultClass, state: InjectorState, seed: UInt64, campaign: CampaignSpec,
                shortened: Bool = false) {
        var spec = campaign
        spec.leakProbability = LeakPaths(repeating: 0)
        spec.faultProbability = 0
        var s = spec.scenario(runSeed: seed)
        s.controller.positionSensorFitted = fault.positionSensorFitted
        // Every other pause is held (the run looks at the stop, not at what the operator
        // does next); cement found too liquid is resumed 30 s later as in the campaign, or
        // an early start would end most runs before the fault's state.
        s.operatorPolicy.onOtherPause = .wait
        var r = Xoshiro256StarStar(seed: seed ^ 0x6661_756C_746D_6174)  // "faultmat": its own stream
        let primingTime = s.controller.needle.deadVolume.rawValue / s.controller.rates.primingFlow.rawValue
        switch state {
        case .priming: offset = .seconds(r.uniform(in: 0...(0.9 * primingTime)))
        case .armed: offset = .seconds(r.uniform(in: 0...2))
        case .injecting: offset = .seconds(r.uniform(in: 0.2...30))
        case .releasing: offset = .seconds(r.uniform(in: 0...1.4))
        case .paused: offset = .seconds(r.uniform(in: 0...4))
        default: offset = .seconds(r.uniform(in: 0...3))
        }
        pauseAfter = .seconds(r.uniform(in: 1...20))
        if shortened {
            offset = .seconds(offset.seconds * 0.25)
            pauseAfter = .seconds(pauseAfter.seconds * 0.25)
            s.operatorPolicy.primeLead = .seconds(primingTime + 1)
        }
        if state == .complete { s.operatorPolicy.plannedVolume = Microliters(r.uniform(in: 150...600)) }
        switch fault {
        case .pressureDrift: magnitude = r.uniform(in: 100...300) * (r.uniform() < 0.5 ? -1 : 1)
        case .missedSteps: magnitude = r.uniform(in: 0.05...0.5)
        // 200–3 200 steps/s: 10–165 µL/s on the shipped drive, about the injection's rates.
        case .stepLineToggling, .stepLineTogglingNoPositionSensor: magnitude = r.uniform(in: 200...3_200)
        case .pressureOutOfRange: magnitude = r.uniform() < 0.5 ? -500 : 8_000
        default: magnitude = 0
        }
        self.fault = fault
        self.state = state
        self.seed = seed
        self.scenario = s
    }
}
