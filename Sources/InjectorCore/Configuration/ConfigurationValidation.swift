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

    public var description: String {
        Self.verdicts.contains(value) ? "\(field): \(value); allowed: \(allowed)"
            : "\(field): \(value) is not allowed; allowed: \(allowed)"
    }

    /// Values that say what is wrong with the key rather than quote it.
    static let verdicts: Set<String> = ["missing", "unknown key"]
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

    /// Every field of `limits` outside its range.
    mutating func check(_ limits: [FieldLimit], _ configuration: InjectorConfiguration) {
        for limit in limits {
            if let problem = limit.problem(in: configuration) { problems.append(problem) }
        }
    }

    /// A rule that ties fields together; reported against `field`.
    mutating func require(_ condition: Bool, _ field: String, value: String, _ rule: String) {
        if !condition { problems.append(ConfigurationProblem(field: field, value: value, allowed: rule)) }
    }
}

extension ProcedurePlan {
    /// Every problem with this plan against the machine's ceilings.
    public func problems(ceilings: HardwareCeilings) -> [ConfigurationProblem] {
        var configuration = InjectorConfiguration()
        configuration.procedure = self
        configuration.ceilings = ceilings
        var c = ProblemCollector()
        c.check(ConfigurationLimits.procedure, configuration)
        return c.problems
    }
}

extension InjectorConfiguration {
    /// Every problem in this configuration, each with its field and allowed range:
    /// every field against its range (`ConfigurationLimits`), then the rules that tie
    /// fields together.
    public func problems() -> [ConfigurationProblem] {
        var c = ProblemCollector()
        c.check(ConfigurationLimits.all, self)
        appendRelations(to: &c)
        // The drive must be able to reach the fastest flow anyone may ask for.
        if c.problems.isEmpty {
            let geometry = DriveGeometry(syringeInnerDiameter: syringe.innerDiameter, leadScrewPitch: drive.leadScrewPitch,
                                         fullStepsPerRevolution: drive.fullStepsPerRevolution, microstepping: drive.microstepping)
            let needed = geometry.stepRate(for: max(rates.maxInjectionFlow, rates.primingFlow,
                                                           release.backoffFlow, release.stopBackoffFlow))
            c.require(needed <= drive.maxStepRate, "drive.maxStepRate", value: drive.maxStepRate.description,
                      "at least \(StepsPerSecond.formatted(needed.rawValue)) steps/s, the rate of the fastest configured flow")
        }
        return c.problems
    }

    /// The rules between fields that no single range expresses.
    private func appendRelations(to c: inout ProblemCollector) {
        c.require(needle.deadVolume < syringe.usableVolume, "needle.deadVolume",
                  value: needle.deadVolume.description, "less than syringe.usableVolume (\(syringe.usableVolume))")
        c.require(cement.workingPhaseStart < cement.workingPhaseEnd, "cement.workingPhaseEnd",
                  value: cement.workingPhaseEnd.description, "later than cement.workingPhaseStart (\(cement.workingPhaseStart))")
        c.require(cement.workingPhaseEnd <= cement.settingTime, "cement.settingTime",
                  value: cement.settingTime.description, "no earlier than cement.workingPhaseEnd (\(cement.workingPhaseEnd))")
        c.require(rates.injectionFlow <= rates.maxInjectionFlow, "rates.injectionFlow",
                  value: rates.injectionFlow.description, "at most rates.maxInjectionFlow (\(rates.maxInjectionFlow))")
        c.require(pressure.limit < pressure.sensorMaximum, "pressure.limit",
                  value: pressure.limit.description, "below pressure.sensorMaximum (\(pressure.sensorMaximum))")
        c.require(syringe.compliance <= syringe.maximumCompliance, "syringe.maximumCompliance",
                  value: syringe.maximumCompliance.description,
                  "at least syringe.compliance (\(syringe.compliance)), its lower bound")
        // Relief by volume (a reading not to be trusted) must still empty a syringe at the limit.
        let storedAtLimit = syringe.maximumCompliance * pressure.limit
        c.require(release.stopBackoffVolume >= storedAtLimit, "release.stopBackoffVolume",
                  value: release.stopBackoffVolume.description,
                  "at least syringe.maximumCompliance × pressure.limit (\(storedAtLimit))")
        // A stop during a release cycle's back-off extends it to the stop's volume: the two
        // back-offs' times together bound the longest one.
        let backoffTime = release.backoffVolume.rawValue / release.backoffFlow.rawValue
            + release.stopBackoffVolume.rawValue / release.stopBackoffFlow.rawValue
        c.require(!(backoffTime >= release.backoffTimeout.seconds), "release.backoffTimeout",
                  value: release.backoffTimeout.description,
                  "longer than release.backoffVolume / release.backoffFlow + release.stopBackoffVolume / "
                    + "release.stopBackoffFlow (\(Microliters.formatted(backoffTime)) s)")
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
