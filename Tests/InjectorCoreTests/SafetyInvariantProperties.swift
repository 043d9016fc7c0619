import Foundation
import PropertyBased
import Testing
@testable import InjectorCore

/// The domain brief's safety invariants 1–5, checked on every tick of random
/// sequences of switch changes, host commands (hostile ones included), sensor
/// faults, link losses and load changes; with and without a pressure twin.
///
/// Each generated integer encodes one action and how many ticks to run after it,
/// so failures shrink to short sequences and print a seed that replays them.
@Suite struct SafetyInvariantProperties {
    enum PressureFault {
        case none, outOfRange, error, stale, spike
        /// The transducer reads 30 % of the truth: in range, fresh and noisy, only its twin can tell.
        case readsLow
        case twinError, twinStale
    }

    struct Scenario {
        var rig: TestRig
        var fault = PressureFault.none
        var frozenSampleTime = Instant.origin
        var violations: [String] = []
        var ticks = 0
        let tolerance: Microliters
        /// The cap of the procedure in force (a new plan, accepted while idle, sets a new one).
        var configuredCap: Microliters
        /// The largest plan cap accepted in the current level: whatever the host re-plans,
        /// re-primes or restarts, the level never receives more.
        var levelPlanCap: Microliters
        var levelIndex: UInt32 = 1
        /// Ticks in a row that the transducer and its twin have been further apart than allowed.
        var disagreeingTicks = 0
        /// Trips of the final motion guard reported so far (each one is a violation).
        var guardTripsSeen: UInt32 = 0
        /// The level's committed volume may not pass this after a hazard stop.
        var hazardBound: Microliters?
        /// A back-off begun on an untrusted reading, being watched to its end.
        struct BackOff { var start: Microliters; var lowest: Microliters; var interrupted = false }
        var backOff: BackOff?
        var reliefBefore = ReliefPhase.none
        var levelCommittedSeen: Microliters = .zero
        var sessionCommittedSeen: Microliters = .zero

        init(twin: Bool = false) {
            var c = TestRig.fastConfiguration()
            c.procedure.anteriorCapacity = .direct(Microliters(1500)) // cap 450 µL: reached often
            c.pressureTwinFitted = twin
            rig = TestRig(c)
            tolerance = rig.controller.geometry.volumePerStep * 2
            configuredCap = rig.controller.budget.configuredCap
            levelPlanCap = configuredCap
        }

        mutating func apply(_ code: Int) {
            let action = code % 40
            let param = code / 40
            var command: HostCommand?
            let s = rig.switches
            func flip(_ a: Activation) -> Activation { a.isActive ? .inactive : .active }
            switch action {
            case 0: rig.switches.eStop = flip(s.eStop)
            case 1: rig.switches.enable = flip(s.enable)
            case 2: rig.switches.posteriorQuarterStop = flip(s.posteriorQuarterStop)
            case 3: rig.switches.leakSeenStop = flip(s.leakSeenStop)
            case 4: rig.switches.forwardEndOfTravel = flip(s.forwardEndOfTravel)
            case 5: rig.switches.rearEndOfTravel = flip(s.rearEndOfTravel)
            case 6: rig.switches.localReset = flip(s.localReset)
            case 7: command = .cementMixed
            case 8: command = .prime
            case 9: command = .arm
            case 10: command = .disarm
            case 11: command = .start
            case 12: command = .pause
            case 13: command = .resume(acknowledging: Reason.allCases[param % Reason.allCases.count])
            case 14: command = .resume(acknowledging: rig.controller.stateReason)
            case 15: command = .stop(StopIntent.allCases[param % StopIntent.allCases.count])
            case 16: command = .release
            case 17: command = .setRate(MicrolitersPerSecond(Double(param % 2000) - 100))
            case 18: command = .tightenCap(Microliters(Double(param % 20_000) - 1000))
            case 19: command = .resetFault
            case 20: command = .queryStatus
            case 21:
                var plan = ProcedurePlan.defaultLumbar
                plan.anteriorCapacity = .direct(Microliters(Double(param % 100_000)))
                plan.perPedicleCap = Microliters(Double(param % 50_000))
                plan.fillFractionLimit = Double(param % 100) / 100
                command = .configureProcedure(plan)
            case 22: fault = .outOfRange
            case 23: fault = .error
            case 24: fault = .stale; frozenSampleTime = rig.now
            case 25: fault = .spike
            case 26: fault = .none
            case 27: rig.hostHeard.toggle()
            case 28: rig.loadResistance = max(0.5, rig.loadResistance / 10) // a leak opens
            case 29: rig.loadResistance = min(1e6, rig.loadResistance * 10) // cement sets
            case 30:
                rig.switches = SwitchInputs(enable: .active); fault = .none; rig.hostHeard = true; rig.driverFault = .inactive
            case 35: restart()
            case 36: rig.switches.newLevel = flip(s.newLevel)
            case 37: replanAndInjectAgain(param)
            case 38: rig.driverFault = flip(rig.driverFault)
            case 34: command = .cementMixedAgo(Interval(nanoseconds: Int64(param % 2_000) * 1_000_000_000 - 100_000_000_000))
            case 31 where rig.configuration.pressureTwinFitted: fault = .readsLow
            case 32 where rig.configuration.pressureTwinFitted: fault = .twinError
            case 33 where rig.configuration.pressureTwinFitted: fault = .twinStale; frozenSampleTime = rig.now
            default:
                driveTowardInjection()
            }
            run(ticks: 1 + (code / 7) % 300, first: command)
        }

        /// Every invariant violation seen while running `codes`, then 3 s of settling with
        /// all switches released: stored volume bleeds out and the cap must still hold.
        static func violations(after codes: [Int], twin: Bool = false) -> [String] {
            var s = Scenario(twin: twin)
            for code in codes { s.apply(code) }
            s.rig.switches = SwitchInputs()
            s.fault = .none
            s.run(ticks: 3000, first: nil)
            return s.violations
        }

        /// The attack that once reset the cap: finish, send the plan again, prime
        /// again, start again, and inject for a while; every tick is still checked.
        mutating func replanAndInjectAgain(_ param: Int) {
            driveTowardInjection()
            run(ticks: 1 + param % 3000, first: nil)
            // The same plan again (or a smaller one): the level may not receive more than it.
            var plan = rig.configuration.procedure
            plan.fillFractionLimit = rig.configuration.procedure.fillFractionLimit * Double(1 + param % 10) / 10
            run(ticks: 3000, first: .stop(.finish))          // and let the relief finish
            run(ticks: 1, first: .configureProcedure(plan))
            driveTowardInjection()
            run(ticks: 3000, first: nil)
        }

        /// The firmware process dies and starts again: a new controller from the shipped
        /// configuration and the ledger it persisted, a step count from zero. The plant
        /// (the rig's load, stored volume and all) carries on.
        mutating func restart() {
            if var b = backOff { b.interrupted = true; backOff = b }
            let ledger = rig.controller.persistentLedger
            rig.controller = InjectionController(configuration: try! rig.configuration.validated(), ledger: ledger)
            rig.steps = StepGenerator(maxStepRate: rig.configuration.drive.maxStepRate, tickRate: rig.configuration.tickRate)
            configuredCap = rig.controller.budget.configuredCap
        }

        /// What an operator does to get injecting: clear the switches, mix, prime, arm, start
        /// (or acknowledge and resume). Every tick is still checked.
        mutating func driveTowardInjection() {
            rig.switches = SwitchInputs(enable: .active)
            fault = .none
            rig.hostHeard = true
            if rig.controller.mixedAt == nil { run(ticks: 1, first: .cementMixed) }
            if rig.controller.state == .eStopped {
                rig.switches.localReset = .active
                run(ticks: 1, first: nil)
            }
            run(ticks: 1, first: .resetFault)
            run(ticks: 1, first: .prime)
            for _ in 0..<1500 where rig.controller.state == .priming { tick(nil) }
            run(ticks: 1, first: .arm)
            run(ticks: 1000, first: nil)
            run(ticks: 1, first: .start)
            run(ticks: 1, first: .resume(acknowledging: rig.controller.stateReason))
        }

        mutating func run(ticks: Int, first: HostCommand?) {
            for i in 0..<ticks {
                tick(i == 0 ? first : nil)
                if i == 0 { rig.switches.localReset = .inactive }
            }
        }

        /// What one tick saw, for the checks.
        struct Observed {
            let before: InjectorState
            let after: InjectorState
            let out: ControllerOutputs
            let switches: SwitchInputs
            let sample: SensorSample<Kilopascals>?
            let twin: SensorSample<Kilopascals>?
            let truth: Kilopascals
            let driverFault: Activation
            var forward: Bool { out.stepRate.rawValue > 0 }
        }

        mutating func tick(_ command: HostCommand?) {
            ticks += 1
            let before = rig.controller.state
            injectFault(at: rig.now + rig.period)
            let sw = rig.switches
            let sample = rig.pressureOverride
            let truth = rig.pressure
            let twinSample = rig.configuration.pressureTwinFitted
                ? rig.twinOverride ?? SensorSample(value: truth, sampledAt: rig.now + rig.period) : nil
            let out = rig.tick(command)
            if out.reply == .accepted(.configureProcedure) {
                configuredCap = rig.controller.budget.configuredCap
                if rig.controller.ledger.levelIndex != levelIndex {
                    levelIndex = rig.controller.ledger.levelIndex
                    levelPlanCap = .zero
                    levelCommittedSeen = .zero
                    hazardBound = nil
                    rig.needleInBone = false   // the needle leaves the last level's bone
                    rig.trueDelivered = 0
                }
                levelPlanCap = max(levelPlanCap, VolumeBudget.cap(for: rig.controller.configuration).0)
            }
            let seen = Observed(before: before, after: rig.controller.state, out: out, switches: sw,
                                sample: sample, twin: twinSample, truth: truth, driverFault: rig.driverFault)
            checkVolumeAndMotion(seen)
            checkHostLimits(seen)
            checkPressure(seen)
            checkTwin(seen)
            checkAfterHazardStops(seen)
            checkBackOff(seen)
        }

        /// Finding 3: after a posterior-quarter or leak stop the level receives at most
        /// the committed volume at that stop plus the configured allowance, whatever
        /// follows (resumes, re-plans, restarts).
        mutating func checkAfterHazardStops(_ seen: Observed) {
            let t = seen.out.telemetry
            let stop = rig.controller.events.contains { e in
                e.kind == .stateChanged && [.posteriorQuarterReached, .leakSeen, .leakSuspected].contains(e.reason)
            }
            if stop {
                let bound = t.levelCommitted + rig.configuration.faults.resumeAllowanceAfterStop
                hazardBound = min(hazardBound ?? bound, bound)
            }
            if let bound = hazardBound, t.levelCommitted > bound + tolerance {
                fail(seen, "the level committed \(t.levelCommitted) after a hazard stop, above \(bound)")
            }
        }

        /// Finding 4: a back-off that began on an untrusted reading (error, out of range,
        /// stale) after a stop runs the full stop back-off volume, unless the plunger
        /// reaches its rear end, an e-stop ends it or the process restarts on the way.
        mutating func checkBackOff(_ seen: Observed) {
            let t = seen.out.telemetry
            if var b = backOff {
                b.lowest = min(b.lowest, t.displaced)
                // An e-stop ends every relief on purpose: nothing moves after it.
                b.interrupted = b.interrupted || seen.switches.rearEndOfTravel.isActive || seen.after == .eStopped
                backOff = b
                reliefBefore = t.relief
                guard t.relief != .backingOff else { return }
                backOff = nil
                let backed = b.start - b.lowest
                let want = rig.configuration.release.stopBackoffVolume - tolerance
                if !b.interrupted && seen.after != .faulted && backed < want {
                    fail(seen, "backed off \(backed) on an untrusted reading, less than the stop back-off volume")
                }
                return
            }
            // Only a back-off that begins on this tick (a stop's), not one a fault meets half-way.
            defer { reliefBefore = t.relief }
            guard t.relief == .backingOff, reliefBefore != .backingOff, seen.after != .releasing,
                  let s = seen.sample else { return }
            let c = rig.configuration
            let untrusted = s.status == .error || s.value > c.pressure.sensorMaximum
                || rig.now - s.sampledAt > c.faults.pressureStaleAfter
            if untrusted { backOff = BackOff(start: t.displaced, lowest: t.displaced) }
        }

        /// Sets the rig's sensor overrides for the fault in force.
        mutating func injectFault(at now: Instant) {
            rig.pressureOverride = nil
            rig.twinOverride = nil
            switch fault {
            case .none: break
            case .outOfRange: rig.pressureOverride = SensorSample(value: Kilopascals(80_000), sampledAt: now)
            case .error: rig.pressureOverride = SensorSample(value: .zero, sampledAt: now, status: .error)
            case .stale: rig.pressureOverride = SensorSample(value: Kilopascals(100), sampledAt: frozenSampleTime)
            case .spike: rig.pressureOverride = SensorSample(value: rig.pressure + Kilopascals(2500), sampledAt: now)
            case .readsLow: rig.pressureOverride = SensorSample(value: rig.pressure * 0.3, sampledAt: now)
            case .twinError: rig.twinOverride = SensorSample(value: .zero, sampledAt: now, status: .error)
            case .twinStale: rig.twinOverride = SensorSample(value: Kilopascals(100), sampledAt: frozenSampleTime)
            }
        }

        mutating func fail(_ seen: Observed, _ what: String) {
            violations.append("tick \(ticks) \(seen.before)→\(seen.after) (\(rig.controller.stateReason)): \(what)")
        }

        /// Invariants 1–3: the cap holds; forward only when allowed; a stop halts, then relieves.
        mutating func checkVolumeAndMotion(_ seen: Observed) {
            let t = seen.out.telemetry, sw = seen.switches, after = seen.after
            // 1. The cap holds, in the controller's books and in the load.
            if t.committed > t.cap + tolerance { fail(seen, "committed \(t.committed) above cap \(t.cap)") }
            if Microliters(rig.trueDelivered) > levelPlanCap + tolerance {
                fail(seen, "the level received \(rig.trueDelivered) µL, above its plans' cap \(levelPlanCap)")
            }
            // 7. Nothing resets the level's or the session's record.
            let session = rig.controller.ledger.sessionCommitted(running: rig.controller.budget.committed)
            if session > rig.configuration.ceilings.maxSessionVolume + tolerance {
                fail(seen, "session committed \(session), above the session ceiling")
            }
            if t.levelCommitted < levelCommittedSeen - tolerance && rig.controller.ledger.levelIndex == levelIndex {
                fail(seen, "the level's committed volume fell from \(levelCommittedSeen) to \(t.levelCommitted)")
            }
            if session < sessionCommittedSeen - tolerance { fail(seen, "the session's committed volume fell") }
            levelCommittedSeen = rig.controller.ledger.levelIndex == levelIndex ? t.levelCommitted : .zero
            sessionCommittedSeen = session
            // 2. Forward only while injecting (or priming the dead volume), never against a stop.
            if seen.forward && after != .injecting && after != .priming { fail(seen, "forward motion in \(after)") }
            let stopInput = sw.eStop.isActive || !sw.enable.isActive || sw.posteriorQuarterStop.isActive
                || sw.leakSeenStop.isActive || sw.forwardEndOfTravel.isActive
            // 3. Any stop halts forward motion in the same tick…
            if seen.forward && stopInput { fail(seen, "forward motion with a stop input active: \(sw)") }
            if seen.forward && seen.driverFault.isActive { fail(seen, "forward motion with the driver flagging a fault") }
            if seen.forward && (after == .faulted || after == .eStopped) { fail(seen, "forward while latched") }
            // …then relieves pressure.
            let stopped: Set<InjectorState> = [.paused, .complete, .faulted]
            if (seen.before == .injecting || seen.before == .releasing) && stopped.contains(after) && t.relief == .none {
                fail(seen, "stopped from \(seen.before) without starting relief")
            }
            // An e-stop disables the driver in the tick it is seen, and nothing moves after it.
            if after == .eStopped && (seen.out.driver != .disabled || seen.out.stepRate.rawValue != 0) {
                fail(seen, "e-stopped with the driver \(seen.out.driver) at \(seen.out.stepRate)")
            }
            // The final guard never has to act: a trip means a path above let through a
            // forward motion it should have stopped.
            if t.guardTrips != guardTripsSeen {
                fail(seen, "the final motion guard tripped (\(t.guardTrips) times so far)")
                guardTripsSeen = t.guardTrips
            }
        }

        /// Invariant 4: nothing from the host raises a ceiling or clears an e-stop.
        mutating func checkHostLimits(_ seen: Observed) {
            let t = seen.out.telemetry, c = rig.configuration, sw = seen.switches
            if t.cap > configuredCap || configuredCap > c.ceilings.maxVolume { fail(seen, "cap raised to \(t.cap)") }
            if t.targetFlow > c.rates.maxInjectionFlow { fail(seen, "target flow raised to \(t.targetFlow)") }
            if seen.before == .eStopped && seen.after != .eStopped && !(sw.localReset.isActive && !sw.eStop.isActive) {
                fail(seen, "e-stop cleared without a local reset")
            }
        }

        /// Invariant 5: a bad pressure sample is a fault, not a reading.
        mutating func checkPressure(_ seen: Observed) {
            let c = rig.configuration
            if let s = seen.sample, seen.before != .idle, seen.before != .eStopped {
                let bad = s.status == .error || s.value > c.pressure.sensorMaximum
                    || (s.status == .valid && rig.now - s.sampledAt > c.faults.pressureStaleAfter)
                if bad && seen.after != .faulted && seen.after != .eStopped { fail(seen, "bad pressure sample accepted: \(s)") }
                if bad && seen.forward { fail(seen, "forward motion on a bad sensor") }
            }
            if isStale(seen.sample) && seen.after == .injecting && seen.forward { fail(seen, "forward on stale sample") }
        }

        /// Invariant 5 with a twin: a bad twin, or one that disagrees for longer than allowed, is a fault.
        mutating func checkTwin(_ seen: Observed) {
            guard let twin = seen.twin, seen.before != .idle, seen.before != .eStopped else {
                disagreeingTicks = 0
                return
            }
            let latched = seen.after == .faulted || seen.after == .eStopped
            let badTwin = twin.status == .error || isStale(twin)
            if badTwin && !latched { fail(seen, "bad pressure twin accepted: \(twin)") }
            let reading = seen.sample ?? SensorSample(value: seen.truth, sampledAt: rig.now)
            let f = rig.configuration.faults
            let allowed = max(f.pressureTwinTolerance, max(reading.value, twin.value) * f.pressureTwinRelativeTolerance)
            let comparable = reading.status == .valid && reading.value <= rig.configuration.pressure.sensorMaximum
                && !isStale(reading) && twin.status == .valid && !isStale(twin)
            disagreeingTicks = comparable && (reading.value - twin.value).magnitude > allowed ? disagreeingTicks + 1 : 0
            let limit = Int(f.pressureTwinDisagreeFor.nanoseconds / rig.period.nanoseconds) + 1
            if disagreeingTicks > limit && !latched {
                fail(seen, "pressure \(reading.value) and its twin \(twin.value) disagree for \(disagreeingTicks) ticks")
            }
            if disagreeingTicks > limit && seen.forward { fail(seen, "forward motion while pressure disagrees with its twin") }
        }

        func isStale(_ s: SensorSample<Kilopascals>?) -> Bool {
            guard let s else { return false }
            return rig.now - s.sampledAt > rig.configuration.faults.pressureStaleAfter
        }
    }

    /// Random sequences per property: 1 000 in every test run (issue 9 asks for at least
    /// that per invariant; every sequence checks every invariant on every tick). A longer
    /// run: `INJECTOR_PROPERTY_SEQUENCES=10000 swift test --filter SafetyInvariantProperties`.
    static let sequences: Int = {
        guard let text = ProcessInfo.processInfo.environment["INJECTOR_PROPERTY_SEQUENCES"], let n = Int(text), n > 0 else {
            return 1_000
        }
        return n
    }()

    @Test func invariantsHoldUnderRandomSequences() async {
        await propertyCheck(count: Self.sequences, input: Gen.int(in: 0...10_000_000).array(of: 5...40)) { codes in
            let violations = Scenario.violations(after: codes)
            #expect(violations.isEmpty, "\(violations.prefix(5))")
        }
    }

    /// The same with a pressure twin fitted, and faults that only the twin can see.
    @Test func invariantsHoldWithAPressureTwin() async {
        await propertyCheck(count: Self.sequences, input: Gen.int(in: 0...10_000_000).array(of: 5...40)) { codes in
            let violations = Scenario.violations(after: codes, twin: true)
            #expect(violations.isEmpty, "\(violations.prefix(5))")
        }
    }

    /// The random walk above must actually reach the states it claims to test.
    @Test func randomSequencesVisitTheInterestingStates() async {
        var seen = Set<InjectorState>()
        var generator = Xorshift(seed: 42)
        for _ in 0..<200 {
            var s = Scenario()
            for _ in 0..<30 {
                s.apply(Int(generator.next() % 10_000_000))
                seen.insert(s.rig.controller.state)
            }
        }
        #expect(seen.isSuperset(of: [.idle, .priming, .primed, .armed, .injecting, .releasing, .paused,
                                     .complete, .eStopped, .faulted]))
    }
}

/// A tiny fixed generator for the coverage check (not for properties: those use PropertyBased's seeds).
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// Sequences that once broke an invariant, kept so they never do again.
@Suite struct SafetyInvariantRegressions {
    @Test(arguments: [
        [196261, 1408831, 22511, 111, 16351, 1471, 13791], // repeated starts against a small cap
        [64191, 831, 2991, 51551, 53231, 2525992, 3250178],
        // Found by a 10 000-sequence run: a re-plan, injection to the cap (committed ends
        // a fraction of a step past it), then `tightenCap(4 µL)`: the cap became the
        // committed volume, 0.08 µL above the configured cap.
        [3598237, 5640178, 0, 0, 0],
    ])
    func sequenceKeepsTheInvariants(_ codes: [Int]) {
        let violations = SafetyInvariantProperties.Scenario.violations(after: codes)
        #expect(violations.isEmpty, "\(violations.prefix(5))")
    }
}
