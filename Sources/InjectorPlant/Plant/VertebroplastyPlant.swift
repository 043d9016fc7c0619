import InjectorCore

/// The physical model of one vertebroplasty level: drive, syringe, needle, cement,
/// vertebral body and leak paths, stepped in lockstep with the controller.
///
/// A value type: copying a plant copies its whole state, and one parameter set with one
/// command sequence always gives the same states. `advance(to:commandedSteps:)` allocates
/// nothing and solves one scalar equation, so a step costs about a hundred nanoseconds
/// (docs/simulator.md, "Cost").
public struct VertebroplastyPlant: Sendable {
    public let parameters: PlantParameters
    /// The truth after the last step.
    public private(set) var state: PlantState

    private let start: Instant
    private var drive: LeadScrewDrive
    private let constants: PlantConstants

    // Volumes in m³, pressures in Pa.
    private var stored: Double
    /// The step's compliance (m³/Pa): the syringe's, or with entrained air the secant
    /// S/p(S) of the nonlinear store at the step's stored volume.
    private var stepCompliance: Double
    private var needleFill: Double
    private var body: Double
    private var leaked: LeakPaths<Double>
    /// G of each open leak path; infinite (no flow) while a path is closed.
    private var openLeakGeometry: LeakPaths<Double>
    private var network: TipNetwork
    /// Whether a closed path has a trigger left that can open it (else triggers are not checked).
    private var leaksCanOpen: Bool
    /// Whether any leak path has opened (else the body is the tip's only branch).
    private var leaksOpen = false
    /// Paths the cement passed by (too cohesive to enter when their trigger fired).
    public private(set) var passedBy = LeakPaths(repeating: false)

    // Warm starts for the flow solve: the tip pressure (Pa) of the last network solve, the
    // S it was solved for and dp_tip/dS there; the last Qⁿ while the needle filled.
    private var lastTipPressure = 0.0
    private var lastAvailable = 0.0
    private var tipSensitivity = 0.0
    private var lastFillPower = 0.0
    /// Where the last body-only step ended, for `FlowSolver.intoBodyAlone`.
    private var bodyAloneStart = BodyAloneStart()
    /// G of the body as it fills (see `BodyGeometryTracker`).
    private var bodyGeometry = BodyGeometryTracker()
    /// The body's resistance as a share of the intact bed's: 1 until the bone fails.
    private var bodyResistanceShare = 1.0
    /// Cement age when cement first entered the body (for its hardening at 37 °C).
    public private(set) var cementEnteredBodyAt: Interval?

    /// From this instant on the needle is blocked (a plug of set cement, a kinked
    /// needle), whatever the cement's age: an occlusion injected at a chosen moment.
    private var needleBlockedFrom: Instant?

    // K(age), kept up to date by multiplying by exp(Δt/τ) each step of the same Δt and
    // worked out with `exp` afresh every `ConsistencyClock.exactEvery` steps (see there).
    private var consistencyClock: ConsistencyClock

    public init(parameters: PlantParameters = .lumbarNominal, start: Instant = .origin) {
        self.parameters = parameters
        self.start = start
        self.constants = PlantConstants(parameters)
        self.drive = LeadScrewDrive(geometry: parameters.driveGeometry, backlash: parameters.drive.backlash,
                                    usableVolume: parameters.syringe.usableVolume,
                                    missedSteps: parameters.drive.missedSteps)
        self.stored = 0
        self.stepCompliance = constants.compliance
        self.needleFill = parameters.needle.primedAtStart ? constants.deadVolume : 0
        self.body = 0
        self.leaked = LeakPaths(repeating: 0)
        self.openLeakGeometry = LeakPaths(repeating: .infinity)
        self.network = TipNetwork(body: TipBranch(backPressure: constants.bodyBackPressure, coefficient: 0),
                                  leaks: parameters.leaks.map {
                                      TipBranch(backPressure: $0.exitPressure.pascals, coefficient: .infinity)
                                  })
        let age = parameters.cementAgeAtStart
        self.leaksCanOpen = parameters.leaks.vein.canOpen || parameters.leaks.epidural.canOpen
            || parameters.leaks.needleTract.canOpen || parameters.leaks.disc.canOpen
        self.consistencyClock = ConsistencyClock(cement: parameters.cement, age: age)
        self.state = PlantState(
            time: start, cementAge: age, commandedSteps: .zero, lostSteps: 0, plungerTravel: .zero,
            displacedVolume: .zero, atForwardEnd: false, syringePressure: .zero, plungerForce: .zero,
            storedVolume: .zero, gap: .zero, peakSyringePressure: .zero, needleFlow: .zero,
            needleFill: Microliters(needleFill * 1e9), tipPressure: .zero,
            consistency: parameters.cement.consistency(atAge: age),
            isOccluded: parameters.cement.hasSet(atAge: age), deliveredToBody: .zero, bodyFlow: .zero,
            frontPosition: parameters.body.front.position(filled: .zero), posteriorQuarterReachedAt: nil,
            leaks: LeakPaths(repeating: .closed))
    }

    /// Injects missed steps from the fault's time on, while the run goes on (the
    /// fault-injection matrix starts faults at moments the run itself finds).
    public mutating func inject(_ fault: MissedStepFault) { drive.inject(fault) }

    /// Injects a STEP or DIR line fault (H11, H12) while the run goes on.
    public mutating func inject(_ fault: TimedDriveLineFault) { drive.inject(fault) }

    /// Blocks the needle from `from` on, while the run goes on.
    public mutating func blockNeedle(from: Instant) { needleBlockedFrom = from }

    /// Screw rotation no commanded step asked for (a drive-line fault), in microsteps.
    public var uncommandedSteps: Double { drive.uncommandedSteps }

    /// Moves the plant to `now` with the driver's step position at `commandedSteps`.
    /// The steps are taken as issued at the start of the step; flow over the step is
    /// solved implicitly, so any step length is stable (1 ms is the intended one).
    /// `driverEnabled` is the ENABLE line over the step; only a STEP line that toggles
    /// by itself (an injected `DriveLineFault`) looks at it.
    public mutating func advance(to now: Instant, commandedSteps: Steps, driverEnabled: Bool = true) {
        precondition(now >= state.time, "plant time must not run backwards")
        let dt = (now - state.time).seconds
        let age = parameters.cementAgeAtStart + (now - start)
        // The rheology counts the cement's clock, which runs faster in a warm syringe (`CuringRate`).
        let cured = constants.curingRate == 1 ? age : .seconds(age.seconds * constants.curingRate)
        let k = consistencyClock.consistency(atAge: cured, cement: parameters.cement, growthRate: constants.growthRate)
        let consistency = PascalSecondsToTheN(k)
        let occluded = cured >= parameters.cement.settingAge || needleBlockedFrom.map { now >= $0 } ?? false

        let displacedBefore = drive.displacedVolume
        drive.move(toCommanded: commandedSteps, at: now, loaded: state.syringePressure.rawValue > 0,
                   driverEnabled: driverEnabled, over: dt)
        let available = stored + (drive.displacedVolume - displacedBefore).cubicMeters
        if constants.airVolume > 0 { stepCompliance = secantCompliance(stored: available) }

        let step: FlowStep
        if needleFill < constants.deadVolume {
            step = fillNeedle(available: available, dt: dt, k: k, occluded: occluded)
        } else {
            step = flowIntoBody(available: available, dt: dt, k: k, occluded: occluded, now: now)
        }
        stored = available - step.flow * dt
        if cementEnteredBodyAt == nil, body > 0 { cementEnteredBodyAt = age }
        if step.tipPressure > constants.failurePressure, state.boneFailedAt == nil {
            state.boneFailedAt = now
            bodyResistanceShare = constants.failureShare
        }

        let filled = Microliters(body * 1e9)
        let front = constants.frontPosition(filled: filled.rawValue)
        if leaksCanOpen {
            openLeaks(at: now, tipPressure: Kilopascals(pascals: step.tipPressure), front: front, filled: filled,
                      yieldStress: parameters.cement.yieldStress(atConsistency: k))
        }
        record(now: now, age: age, consistency: consistency, occluded: occluded, step: step, front: front)
    }

    /// S/p(S) with entrained air: the linear solvers' compliance for this step, exact at
    /// its start; over a 1 ms step the stored volume moves by a fraction of a µL.
    private func secantCompliance(stored s: Double) -> Double {
        guard s > 0 else { return constants.compliance }
        let p = SyringeCompliance.pressureWithAir(stored: s, compliance: constants.compliance, air: constants.airVolume,
                                                  atmosphere: constants.atmosphere)
        return p > 0 ? s / p : constants.compliance
    }

    /// Cement fills the needle; what passes its end this step goes into the body.
    private mutating func fillNeedle(available: Double, dt: Double, k: Double, occluded: Bool) -> FlowStep {
        // Resistance grows with the filled length; a 1 % floor keeps the empty needle finite.
        let filledShare = max(0.01, needleFill / max(constants.deadVolume, 1e-15))
        let coefficient = occluded ? Double.infinity : k * constants.needleGeometry * filledShare
        var step = FlowSolver.intoOpenNeedle(stored: available, compliance: stepCompliance, dt: dt,
                                             needleCoefficient: coefficient, flowIndex: constants.flowIndex,
                                             inverseIndex: constants.inverseIndex, guess: lastFillPower)
        lastFillPower = step.fillPower
        let volume = step.flow * dt
        let room = constants.deadVolume - needleFill
        if volume <= room {
            needleFill += volume
        } else {
            needleFill = constants.deadVolume
            body += volume - room
            step.branches.body = dt > 0 ? (volume - room) / dt : 0
        }
        return step
    }

    /// Cement flows through the full needle into the body and any open leak path.
    private mutating func flowIntoBody(available: Double, dt: Double, k: Double, occluded: Bool,
                                       now: Instant) -> FlowStep {
        network.body.coefficient = k * bodyGeometry.geometry(filled: body, constants) * bodyResistanceShare
        let needle = occluded ? Double.infinity : k * constants.needleGeometry
        let onlyBody = !leaksOpen
        if onlyBody, dt > 0,
           let step = FlowSolver.intoBodyAlone(stored: available, compliance: stepCompliance,
                                               inverseCompliance: 1 / stepCompliance, dt: dt,
                                               needleCoefficient: needle, body: network.body,
                                               halves: constants.inverseIndex.halves, start: &bodyAloneStart) {
            lastTipPressure = step.tipPressure
            lastAvailable = available
            tipSensitivity = step.tipSensitivity
            body += step.flow * dt
            return step
        }
        setLeakBranches(k: k, elapsed: (now - start).seconds)
        // The last tip pressure moved along dp_tip/dS by this step's change of S (a Newton
        // step from it, before K and the body's resistance moved on).
        let guess = lastTipPressure + (available - lastAvailable) * tipSensitivity
        let step = FlowSolver.intoNetwork(stored: available, compliance: stepCompliance, dt: dt,
                                          needleCoefficient: needle, flowIndex: constants.flowIndex,
                                          inverseIndex: constants.inverseIndex, network: network, guess: guess)
        lastTipPressure = step.tipPressure
        lastAvailable = available
        tipSensitivity = step.tipSensitivity
        if onlyBody {
            bodyAloneStart = FlowSolver.bodyAloneStart(tipPressure: step.tipPressure, needleCoefficient: needle,
                                                       body: network.body, stepOverCompliance: dt / stepCompliance,
                                                       halves: constants.inverseIndex.halves)
        }
        body += step.branches.body * dt
        leaked.vein += step.branches.leaks.vein * dt
        leaked.epidural += step.branches.leaks.epidural * dt
        leaked.needleTract += step.branches.leaks.needleTract * dt
        leaked.disc += step.branches.leaks.disc * dt
        return step
    }

    /// Each open leak branch at consistency `k`: the tube's resistance times the
    /// interdigitation factor, against its exit pressure plus the cement's yield pressure
    /// (`LeakEntry`), the venous routes' moving with breathing and Valsalva (`VenousPressure`).
    // Kept out of line: only steps with a leak path open take it, and inlined it would
    // crowd the body-only fast path above.
    @inline(never) private mutating func setLeakBranches(k: Double, elapsed: Double) {
        let geometry = openLeakGeometry
        let resistance = k * (1 + k * constants.inverseInterdigitation)
        let yield = parameters.cement.yieldStress(atConsistency: k)
        let exits = constants.leakExit
        let perStress = constants.yieldPressurePerStress
        network.leaks.modifyEach { kind, branch in
            branch.coefficient = resistance * geometry[kind]
            branch.backPressure = exits[kind] + perStress[kind] * yield
        }
        // One sine a step, and only while a venous route is open.
        guard constants.venousMoves, network.leaks.vein.isOpen || network.leaks.epidural.isOpen else { return }
        let venous = parameters.venous
        let breathing = venous.breathing(elapsed: elapsed)
        network.leaks.vein.backPressure += breathing + venous.valsalva(elapsed: elapsed, exit: exits.vein)
        network.leaks.epidural.backPressure += breathing + venous.valsalva(elapsed: elapsed, exit: exits.epidural)
    }

    /// A path whose trigger fires while the cement's yield stress (Pa) is at or above its
    /// entry limit is passed by for good (`LeakEntry`).
    private mutating func openLeaks(at now: Instant, tipPressure: Kilopascals, front: Double, filled: Microliters,
                                    yieldStress: Double) {
        var opened = false
        var bypassed = false
        let p = tipPressure.rawValue, v = filled.rawValue
        let limits = constants.entryYieldStress
        @inline(__always) func check(_ kind: LeakPathKind, _ trigger: LeakTrigger, _ leak: inout LeakPathState) {
            guard !leak.isOpen, !passedBy[kind], trigger.fires(tipPressure: p, front: front, filled: v) else { return }
            guard yieldStress < limits[kind] else {
                passedBy[kind] = true
                bypassed = true
                return
            }
            leak.isOpen = true
            leak.openedAt = now
            opened = true
        }
        let triggers = constants.leakTriggers
        check(.vein, triggers.vein, &state.leaks.vein)
        check(.epidural, triggers.epidural, &state.leaks.epidural)
        check(.needleTract, triggers.needleTract, &state.leaks.needleTract)
        check(.disc, triggers.disc, &state.leaks.disc)
        guard opened || bypassed else { return }
        let paths = parameters.leaks
        let leaks = state.leaks
        let left = passedBy
        @inline(__always) func canStillOpen(_ kind: LeakPathKind) -> Bool {
            !leaks[kind].isOpen && !left[kind] && paths[kind].canOpen
        }
        leaksCanOpen = canStillOpen(.vein) || canStillOpen(.epidural) || canStillOpen(.needleTract)
            || canStillOpen(.disc)
        guard opened else { return }
        leaksOpen = true
        let states = state.leaks
        let geometry = constants.leakGeometry
        openLeakGeometry.modifyEach { kind, g in
            if states[kind].isOpen { g = geometry[kind] }
        }
    }

    private mutating func record(now: Instant, age: Interval, consistency: PascalSecondsToTheN, occluded: Bool,
                                 step: FlowStep, front: Double) {
        // Unit conversions multiply by inverses worked out once (here 1/C, in
        // `DriveGeometry` the plunger's area), each within an ulp of dividing.
        let compliance = parameters.syringe.compliance
        let storedVolume = Microliters(stored * 1e9)
        let pressure = compliance.pressure(stored: storedVolume,
                                           kilopascalsPerMicroliter: constants.kilopascalsPerMicroliter)
        let filled = Microliters(body * 1e9)
        let displaced = drive.displacedVolume
        state.time = now
        state.cementAge = age
        state.commandedSteps = drive.commanded
        state.lostSteps = drive.lostSteps
        state.plungerTravel = drive.geometry.travel(for: displaced)
        state.displacedVolume = displaced
        state.atForwardEnd = drive.atForwardEnd
        state.syringePressure = pressure
        state.plungerForce = drive.geometry.force(for: pressure)
        state.storedVolume = storedVolume
        state.gap = compliance.gap(stored: storedVolume)
        state.peakSyringePressure = max(state.peakSyringePressure, pressure)
        state.needleFlow = MicrolitersPerSecond(step.flow * 1e9)
        state.needleFill = Microliters(needleFill * 1e9)
        state.tipPressure = Kilopascals(step.tipPressure * 1e-3)
        state.consistency = consistency
        state.isOccluded = occluded
        state.deliveredToBody = filled
        state.bodyFlow = MicrolitersPerSecond(step.branches.body * 1e9)
        state.frontPosition = front
        if state.posteriorQuarterReachedAt == nil, front >= CementFrontGeometry.posteriorQuarter {
            state.posteriorQuarterReachedAt = now
        }
        // With no path open every leak's flow is zero and its volume unchanged.
        guard leaksOpen else { return }
        let leakedSoFar = leaked
        let leakFlows = step.branches.leaks
        state.leaks.modifyEach { kind, leak in
            leak.leaked = Microliters(leakedSoFar[kind] * 1e9)
            leak.flow = MicrolitersPerSecond(leakFlows[kind] * 1e9)
        }
    }

    /// Temperature near the canal now. Computed on request, not every step: it is
    /// reported only, and sampling it at the report's rate saves two powers a step.
    public var canalTemperature: Celsius {
        parameters.thermal.canalTemperature(age: state.cementAge, filled: state.deliveredToBody,
                                            frontPosition: state.frontPosition)
    }
}

/// K(age) = K_ref · exp((age − t_ref)/τ) along a run. Each step of the same length Δt
/// multiplies K by exp(Δt/τ) instead of calling `exp`; every `exactEvery` steps (and on any
/// other step length) it is worked out afresh. Each product rounds once, so K stays within
/// about `exactEvery` units in the last place of the exact value (2e-13 relative).
struct ConsistencyClock: Sendable {
    static let exactEvery = 1000
    private var age: Interval
    private var value: Double
    private var stepLength = Interval(nanoseconds: 0)
    private var stepFactor = 1.0
    private var sinceExact = 0

    init(cement: CementRheology, age: Interval) {
        self.age = age
        value = cement.consistency(atAge: age).rawValue
    }

    /// K at `age` (Pa·sⁿ); `growthRate` is 1/τ in 1/s.
    @inline(__always) mutating func consistency(atAge now: Interval, cement: CementRheology,
                                                growthRate: Double) -> Double {
        let delta = now - age
        guard delta.nanoseconds != 0 else { return value }
        if delta == stepLength && sinceExact < Self.exactEvery {
            value *= stepFactor
            sinceExact += 1
        } else {
            value = cement.consistency(atAge: now).rawValue
            sinceExact = 0
            if delta != stepLength, delta.nanoseconds > 0, delta.nanoseconds <= 1_000_000_000 {
                stepLength = delta
                stepFactor = Libm.exp(delta.seconds * growthRate)
            }
        }
        age = now
        return value
    }
}
