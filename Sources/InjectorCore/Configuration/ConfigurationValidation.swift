/// One thing wrong with a configuration: which field, what it holds, what it may hold.
public struct ConfigurationProblem: Equatable, Sendable, CustomStringConvertible {
    /// Dotted path of the field, as it is spelled in the YAML file (`needle.bore`).
    public var field: String
    public var value: String
    /// The allowed range or rule, in words (`0.5 mm … 5 mm`).
    public var allowed: String

    public init(field: String, value: String, allowed: String) {
        self.field = field
        self.value = value
        self.allowed = allowed
    }

    public var description: String { "\(field): \(value) is not allowed; allowed: \(allowed)" }
}

/// A configuration that failed validation, with every problem found.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var problems: [ConfigurationProblem]
    public init(problems: [ConfigurationProblem]) { self.problems = problems }
    public var description: String {
        "invalid configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// A range whose upper end comes from another field: if that field is itself bad
/// (not finite, or below `lower`), the range collapses to `lower` so the check still
/// runs and the other field is reported on its own.
func dependentRange(_ lower: Double, upTo upper: Double) -> ClosedRange<Double> {
    lower...(upper.isFinite ? Swift.max(lower, upper) : lower)
}

/// Collects problems so that validation reports all of them, not just the first.
struct ProblemCollector {
    var problems: [ConfigurationProblem] = []

    mutating func check<Q: Quantity>(_ field: String, _ value: Q, in range: ClosedRange<Double>) {
        guard !(value.rawValue.isFinite && range.contains(value.rawValue)) else { return }
        problems.append(ConfigurationProblem(
            field: field, value: value.description,
            allowed: "\(Q.formatted(range.lowerBound)) … \(Q.formatted(range.upperBound)) \(Q.unitSymbol)"))
    }

    mutating func check(_ field: String, _ value: Double, in range: ClosedRange<Double>) {
        guard !(value.isFinite && range.contains(value)) else { return }
        problems.append(ConfigurationProblem(
            field: field, value: Microliters.formatted(value),
            allowed: "\(Microliters.formatted(range.lowerBound)) … \(Microliters.formatted(range.upperBound))"))
    }

    mutating func check(_ field: String, _ value: Int, in range: ClosedRange<Int>) {
        guard !range.contains(value) else { return }
        problems.append(ConfigurationProblem(
            field: field, value: String(value), allowed: "\(range.lowerBound) … \(range.upperBound)"))
    }

    mutating func check(_ field: String, _ value: Interval, in range: ClosedRange<Double>) {
        guard !range.contains(value.seconds) else { return }
        problems.append(ConfigurationProblem(
            field: field, value: value.description,
            allowed: "\(Microliters.formatted(range.lowerBound)) s … \(Microliters.formatted(range.upperBound)) s"))
    }

    /// A rule that ties fields together; reported against `field`.
    mutating func require(_ condition: Bool, _ field: String, value: String, _ rule: String) {
        if !condition { problems.append(ConfigurationProblem(field: field, value: value, allowed: rule)) }
    }
}

extension ProcedurePlan {
    /// Every problem with this plan against the machine's ceilings.
    public func problems(ceilings: HardwareCeilings) -> [ConfigurationProblem] {
        var c = ProblemCollector()
        appendProblems(to: &c, ceilings: ceilings)
        return c.problems
    }

    func appendProblems(to c: inout ProblemCollector, ceilings: HardwareCeilings) {
        switch anteriorCapacity {
        case .direct(let v):
            c.check("procedure.anteriorCapacity", v, in: 500...40_000)
        case .fromBody(let body, let fraction):
            c.check("procedure.bodyVolume", body, in: 5_000...120_000)
            c.check("procedure.anteriorFraction", fraction, in: 0.2...0.8)
        }
        c.check("procedure.fillFractionLimit", fillFractionLimit, in: 0.05...0.5)
        c.check("procedure.perPedicleCap", perPedicleCap, in: dependentRange(100, upTo: ceilings.maxVolume.rawValue))
    }
}

extension InjectorConfiguration {
    /// Every problem in this configuration, each with its field and allowed range.
    public func problems() -> [ConfigurationProblem] {
        var c = ProblemCollector()
        c.check("tickRate", tickRate.rawValue, in: 100...10_000)

        c.check("syringe.innerDiameter", syringe.innerDiameter, in: 2...40)
        c.check("syringe.usableVolume", syringe.usableVolume, in: 500...60_000)
        c.check("syringe.compliance", syringe.compliance, in: 0...1)

        c.check("drive.leadScrewPitch", drive.leadScrewPitch, in: 0.1...10)
        c.check("drive.fullStepsPerRevolution", drive.fullStepsPerRevolution, in: 24...1000)
        c.check("drive.microstepping", drive.microstepping, in: 1...256)
        c.check("drive.maxStepRate", drive.maxStepRate, in: 10...200_000)

        c.check("needle.bore", needle.bore, in: 0.5...5)
        c.check("needle.length", needle.length, in: 20...300)
        c.check("needle.deadVolume", needle.deadVolume, in: 0...3_000)
        c.require(needle.deadVolume < syringe.usableVolume, "needle.deadVolume",
                  value: needle.deadVolume.description, "less than syringe.usableVolume (\(syringe.usableVolume))")

        c.check("cement.workingPhaseStart", cement.workingPhaseStart, in: 0...1_800)
        c.check("cement.workingPhaseEnd", cement.workingPhaseEnd, in: 30...3_600)
        c.check("cement.settingTime", cement.settingTime, in: 60...7_200)
        c.check("cement.workingTimeWarning", cement.workingTimeWarning, in: 0...600)
        c.require(cement.workingPhaseStart < cement.workingPhaseEnd, "cement.workingPhaseEnd",
                  value: cement.workingPhaseEnd.description, "later than cement.workingPhaseStart (\(cement.workingPhaseStart))")
        c.require(cement.workingPhaseEnd <= cement.settingTime, "cement.settingTime",
                  value: cement.settingTime.description, "no earlier than cement.workingPhaseEnd (\(cement.workingPhaseEnd))")

        procedure.appendProblems(to: &c, ceilings: ceilings)

        c.check("rates.injectionFlow", rates.injectionFlow, in: dependentRange(1, upTo: ceilings.maxFlow.rawValue))
        c.check("rates.maxInjectionFlow", rates.maxInjectionFlow, in: dependentRange(1, upTo: ceilings.maxFlow.rawValue))
        c.require(rates.injectionFlow <= rates.maxInjectionFlow, "rates.injectionFlow",
                  value: rates.injectionFlow.description, "at most rates.maxInjectionFlow (\(rates.maxInjectionFlow))")
        c.check("rates.primingFlow", rates.primingFlow, in: dependentRange(1, upTo: ceilings.maxFlow.rawValue))
        c.check("rates.acceleration", rates.acceleration, in: 1...100_000)
        c.check("rates.bolusVolume", rates.bolusVolume, in: 20...500)
        c.check("rates.slowdownStartFraction", rates.slowdownStartFraction, in: 0.1...1)
        c.check("rates.slowdownMinimumFraction", rates.slowdownMinimumFraction, in: 0.05...1)

        c.check("pressure.limit", pressure.limit, in: dependentRange(100, upTo: ceilings.maxPressure.rawValue))
        c.check("pressure.sensorMinimum", pressure.sensorMinimum, in: -1_000...0)
        c.check("pressure.sensorMaximum", pressure.sensorMaximum, in: 500...50_000)
        c.require(pressure.limit < pressure.sensorMaximum, "pressure.limit",
                  value: pressure.limit.description, "below pressure.sensorMaximum (\(pressure.sensorMaximum))")

        c.check("release.injectPeriod", release.injectPeriod, in: 0.2...120)
        c.check("release.backoffVolume", release.backoffVolume, in: 0...1_000)
        c.check("release.stopBackoffVolume", release.stopBackoffVolume, in: 0...2_000)
        c.check("release.releasedBelow", release.releasedBelow, in: dependentRange(0, upTo: pressure.limit.rawValue))
        c.check("release.backoffFlow", release.backoffFlow, in: dependentRange(1, upTo: ceilings.maxFlow.rawValue))
        c.check("release.dwell", release.dwell, in: 0...120)
        c.check("release.backoffTimeout", release.backoffTimeout, in: 0.1...60)
        let backoffTime = max(release.backoffVolume, release.stopBackoffVolume).rawValue / release.backoffFlow.rawValue
        c.require(!(backoffTime >= release.backoffTimeout.seconds), "release.backoffTimeout",
                  value: release.backoffTimeout.description,
                  "longer than the larger back-off volume / release.backoffFlow (\(Microliters.formatted(backoffTime)) s)")

        c.check("faults.leakDropFraction", faults.leakDropFraction, in: 0.05...0.95)
        c.check("faults.leakWindow", faults.leakWindow, in: 0.02...10)
        c.check("faults.leakMinimumPeak", faults.leakMinimumPeak, in: dependentRange(0, upTo: pressure.limit.rawValue))
        c.check("faults.leakPauseMinimum", faults.leakPauseMinimum, in: 0...600)
        c.check("faults.occlusionPressure", faults.occlusionPressure, in: dependentRange(100, upTo: pressure.limit.rawValue))
        c.check("faults.occlusionQualifyTime", faults.occlusionQualifyTime, in: 0.05...60)
        c.check("faults.occlusionReleaseCount", faults.occlusionReleaseCount, in: 1...100)
        c.check("faults.occlusionMinimumProgress", faults.occlusionMinimumProgress, in: 0...1_000)
        c.check("faults.consistencyTestVolume", faults.consistencyTestVolume, in: 0...1_000)
        c.check("faults.consistencyMinimumPressure", faults.consistencyMinimumPressure, in: dependentRange(0, upTo: pressure.limit.rawValue))
        c.check("faults.pressureStaleAfter", faults.pressureStaleAfter, in: 0.001...1)
        c.check("faults.pressureStuckAfter", faults.pressureStuckAfter, in: 0.1...30)
        c.check("faults.positionStaleAfter", faults.positionStaleAfter, in: 0.001...1)
        c.check("faults.positionTolerance", faults.positionTolerance, in: 1...1_000)
        c.check("faults.pressureTwinTolerance", faults.pressureTwinTolerance, in: 10...2_000)
        c.check("faults.pressureTwinRelativeTolerance", faults.pressureTwinRelativeTolerance, in: 0...1)
        c.check("faults.pressureTwinDisagreeFor", faults.pressureTwinDisagreeFor, in: 0.001...5)
        c.check("faults.hostLinkTimeout", faults.hostLinkTimeout, in: 0.01...30)

        c.check("ceilings.maxVolume", ceilings.maxVolume, in: 100...60_000)
        c.check("ceilings.maxPressure", ceilings.maxPressure, in: 100...20_000)
        c.check("ceilings.maxFlow", ceilings.maxFlow, in: 1...2_000)

        // The drive must be able to reach the fastest flow anyone may ask for.
        if c.problems.isEmpty {
            let geometry = DriveGeometry(syringeInnerDiameter: syringe.innerDiameter, leadScrewPitch: drive.leadScrewPitch,
                                         fullStepsPerRevolution: drive.fullStepsPerRevolution, microstepping: drive.microstepping)
            let needed = geometry.stepRate(for: max(rates.maxInjectionFlow, rates.primingFlow, release.backoffFlow))
            c.require(needed <= drive.maxStepRate, "drive.maxStepRate", value: drive.maxStepRate.description,
                      "at least \(StepsPerSecond.formatted(needed.rawValue)) steps/s, the rate of the fastest configured flow")
        }
        return c.problems
    }

    /// This configuration, checked; throws every problem at once.
    public func validated() throws(ConfigurationError) -> ValidatedConfiguration {
        let found = problems()
        guard found.isEmpty else { throw ConfigurationError(problems: found) }
        return ValidatedConfiguration(checked: self)
    }
}

/// A configuration that passed validation, with the quantities derived from it.
public struct ValidatedConfiguration: Equatable, Sendable {
    public let configuration: InjectorConfiguration
    public let geometry: DriveGeometry

    fileprivate init(checked configuration: InjectorConfiguration) {
        self.configuration = configuration
        self.geometry = DriveGeometry(
            syringeInnerDiameter: configuration.syringe.innerDiameter,
            leadScrewPitch: configuration.drive.leadScrewPitch,
            fullStepsPerRevolution: configuration.drive.fullStepsPerRevolution,
            microstepping: configuration.drive.microstepping)
    }

    /// The same configuration with a new procedure plan, if the plan is valid.
    public func replacingProcedure(_ plan: ProcedurePlan) throws(ConfigurationError) -> ValidatedConfiguration {
        var changed = configuration
        changed.procedure = plan
        return try changed.validated()
    }
}
