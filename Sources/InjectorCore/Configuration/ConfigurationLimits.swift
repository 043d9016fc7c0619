/// The allowed range of one configuration field, declared once: validation checks a
/// configuration against it, and the file reader quotes it when a key is missing.
public struct FieldLimit: Sendable {
    /// How the value and its range are written.
    enum Style: Sendable {
        /// A number with `unit`: "0.5 … 5 mm".
        case quantity
        /// A plain number or a count: "0.05 … 0.5".
        case plain
        /// A time: "0.2 s … 120 s".
        case interval
    }

    /// Dotted path of the field, as it is spelled in the YAML file (`needle.bore`).
    public let field: String
    /// The unit the range is written in; "" for a plain number or a count.
    public let unit: String
    public let lower: Double
    /// The fixed upper end, unless `upperField` names the field whose value is the upper end.
    public let upper: Double
    public let upperField: String?
    let style: Style
    /// The field's value in `unit`; `nil` where the field does not apply (one form of
    /// `procedure.anteriorCapacity` leaves the other form's fields out).
    let read: @Sendable (InjectorConfiguration) -> Double?
    let readUpper: (@Sendable (InjectorConfiguration) -> Double)?

    /// The range in words, with the name of the field that bounds it where one does:
    /// "1 µL/s … ceilings.maxFlow".
    public var allowed: String {
        guard let upperField else { return text(lower...upper) }
        let low = style == .plain ? format(lower) : "\(format(lower)) \(unit)"
        return "\(low) … \(upperField)"
    }

    /// The problem with this field in `configuration`, if its value is outside the range.
    func problem(in configuration: InjectorConfiguration) -> ConfigurationProblem? {
        guard let value = read(configuration) else { return nil }
        let range = readUpper.map { dependentRange(lower, upTo: $0(configuration)) } ?? lower...upper
        guard !(value.isFinite && range.contains(value)) else { return nil }
        let shown = style == .plain ? format(value) : "\(format(value)) \(unit)"
        return ConfigurationProblem(field: field, value: shown, allowed: text(range))
    }

    private func text(_ range: ClosedRange<Double>) -> String {
        switch style {
        case .quantity: "\(format(range.lowerBound)) … \(format(range.upperBound)) \(unit)"
        case .plain: "\(format(range.lowerBound)) … \(format(range.upperBound))"
        case .interval: "\(format(range.lowerBound)) s … \(format(range.upperBound)) s"
        }
    }

    private func format(_ x: Double) -> String { Microliters.formatted(x) }
}

extension FieldLimit {
    typealias Path<T> = KeyPath<InjectorConfiguration, T> & Sendable

    static func quantity<Q: Quantity>(_ field: String, _ path: Path<Q>, _ range: ClosedRange<Double>) -> FieldLimit {
        FieldLimit(field: field, unit: Q.unitSymbol, lower: range.lowerBound, upper: range.upperBound, upperField: nil,
                   style: .quantity, read: { $0[keyPath: path].rawValue }, readUpper: nil)
    }

    /// A quantity whose upper end is another field's value.
    static func quantity<Q: Quantity, U: Quantity>(_ field: String, _ path: Path<Q>, from lower: Double,
                                                   upTo upperField: String, _ upperPath: Path<U>) -> FieldLimit {
        FieldLimit(field: field, unit: Q.unitSymbol, lower: lower, upper: .infinity, upperField: upperField,
                   style: .quantity, read: { $0[keyPath: path].rawValue },
                   readUpper: { $0[keyPath: upperPath].rawValue })
    }

    static func plain(_ field: String, _ path: Path<Double>, _ range: ClosedRange<Double>) -> FieldLimit {
        FieldLimit(field: field, unit: "", lower: range.lowerBound, upper: range.upperBound, upperField: nil,
                   style: .plain, read: { $0[keyPath: path] }, readUpper: nil)
    }

    static func count(_ field: String, _ path: Path<Int>, _ range: ClosedRange<Int>) -> FieldLimit {
        FieldLimit(field: field, unit: "", lower: Double(range.lowerBound), upper: Double(range.upperBound),
                   upperField: nil, style: .plain, read: { Double($0[keyPath: path]) }, readUpper: nil)
    }

    static func interval(_ field: String, _ path: Path<Interval>, _ range: ClosedRange<Double>) -> FieldLimit {
        FieldLimit(field: field, unit: "s", lower: range.lowerBound, upper: range.upperBound, upperField: nil,
                   style: .interval, read: { $0[keyPath: path].seconds }, readUpper: nil)
    }
}

/// Every field's range, in the order problems are reported. The ranges are what a
/// vertebroplasty injector of this kind can sensibly be set to (syringes of 0.5–60 mL,
/// needles 8G–13G, cements that set within two hours); relations between fields
/// (`needle.deadVolume` below `syringe.usableVolume`, …) are checked in
/// `InjectorConfiguration.problems()`.
public enum ConfigurationLimits {
    public static let all: [FieldLimit] = machine + procedure + control + detection

    /// The limit of each field by its path.
    public static let byField: [String: FieldLimit] = Dictionary(uniqueKeysWithValues: all.map { ($0.field, $0) })

    static let machine: [FieldLimit] = [
        FieldLimit(field: "tickRate", unit: "Hz", lower: 100, upper: 10_000, upperField: nil, style: .quantity,
                   read: { $0.tickRate.rawValue }, readUpper: nil),
        .quantity("syringe.innerDiameter", \.syringe.innerDiameter, 2...40),
        .quantity("syringe.usableVolume", \.syringe.usableVolume, 500...60_000),
        .quantity("syringe.compliance", \.syringe.compliance, 0...1),
        // Up to 1 µL/kPa: a 60 mL syringe with tubing stores far less; above it no back-off covers the limit.
        .quantity("syringe.maximumCompliance", \.syringe.maximumCompliance, 0...1),
        .quantity("drive.leadScrewPitch", \.drive.leadScrewPitch, 0.1...10),
        .count("drive.fullStepsPerRevolution", \.drive.fullStepsPerRevolution, 24...1000),
        .count("drive.microstepping", \.drive.microstepping, 1...256),
        .quantity("drive.maxStepRate", \.drive.maxStepRate, 10...200_000),
        .quantity("needle.bore", \.needle.bore, 0.5...5),
        .quantity("needle.length", \.needle.length, 20...300),
        .quantity("needle.deadVolume", \.needle.deadVolume, 0...3_000),
        .interval("cement.workingPhaseStart", \.cement.workingPhaseStart, 0...1_800),
        .interval("cement.workingPhaseEnd", \.cement.workingPhaseEnd, 30...3_600),
        .interval("cement.settingTime", \.cement.settingTime, 60...7_200),
        .interval("cement.workingTimeWarning", \.cement.workingTimeWarning, 0...600),
        .quantity("ceilings.maxVolume", \.ceilings.maxVolume, 100...60_000),
        .quantity("ceilings.maxPressure", \.ceilings.maxPressure, 100...20_000),
        .quantity("ceilings.maxFlow", \.ceilings.maxFlow, 1...2_000),
        .quantity("ceilings.maxSessionVolume", \.ceilings.maxSessionVolume, 1_000...60_000),
    ]

    /// The procedure plan's fields, also checked on their own when a host sends a new plan.
    static let procedure: [FieldLimit] = [
        FieldLimit(field: "procedure.anteriorCapacity", unit: Microliters.unitSymbol, lower: 500, upper: 40_000,
                   upperField: nil, style: .quantity, read: {
                       if case .direct(let v) = $0.procedure.anteriorCapacity { v.rawValue } else { nil }
                   }, readUpper: nil),
        FieldLimit(field: "procedure.bodyVolume", unit: Microliters.unitSymbol, lower: 5_000, upper: 120_000,
                   upperField: nil, style: .quantity, read: {
                       if case .fromBody(let b, _) = $0.procedure.anteriorCapacity { b.rawValue } else { nil }
                   }, readUpper: nil),
        FieldLimit(field: "procedure.anteriorFraction", unit: "", lower: 0.2, upper: 0.8, upperField: nil,
                   style: .plain, read: {
                       if case .fromBody(_, let f) = $0.procedure.anteriorCapacity { f } else { nil }
                   }, readUpper: nil),
        .plain("procedure.fillFractionLimit", \.procedure.fillFractionLimit, 0.05...0.5),
        .quantity("procedure.perPedicleCap", \.procedure.perPedicleCap, from: 100, upTo: "ceilings.maxVolume",
                  \.ceilings.maxVolume),
    ]

    static let control: [FieldLimit] = [
        .quantity("rates.injectionFlow", \.rates.injectionFlow, from: 1, upTo: "ceilings.maxFlow", \.ceilings.maxFlow),
        .quantity("rates.maxInjectionFlow", \.rates.maxInjectionFlow, from: 1, upTo: "ceilings.maxFlow",
                  \.ceilings.maxFlow),
        .quantity("rates.primingFlow", \.rates.primingFlow, from: 1, upTo: "ceilings.maxFlow", \.ceilings.maxFlow),
        .quantity("rates.acceleration", \.rates.acceleration, 1...100_000),
        .quantity("rates.bolusVolume", \.rates.bolusVolume, 20...500),
        .plain("rates.slowdownStartFraction", \.rates.slowdownStartFraction, 0.1...1),
        .plain("rates.slowdownMinimumFraction", \.rates.slowdownMinimumFraction, 0.05...1),
        .quantity("pressure.limit", \.pressure.limit, from: 100, upTo: "ceilings.maxPressure", \.ceilings.maxPressure),
        .quantity("pressure.sensorMinimum", \.pressure.sensorMinimum, -1_000...0),
        .quantity("pressure.sensorMaximum", \.pressure.sensorMaximum, 500...50_000),
        .interval("release.injectPeriod", \.release.injectPeriod, 0.2...120),
        .quantity("release.backoffVolume", \.release.backoffVolume, 0...1_000),
        .quantity("release.stopBackoffVolume", \.release.stopBackoffVolume, 0...2_000),
        .quantity("release.releasedBelow", \.release.releasedBelow, from: 0, upTo: "pressure.limit", \.pressure.limit),
        .quantity("release.backoffFlow", \.release.backoffFlow, from: 1, upTo: "ceilings.maxFlow", \.ceilings.maxFlow),
        .quantity("release.stopBackoffFlow", \.release.stopBackoffFlow, from: 1, upTo: "ceilings.maxFlow",
                  \.ceilings.maxFlow),
        .interval("release.dwell", \.release.dwell, 0...120),
        .interval("release.backoffTimeout", \.release.backoffTimeout, 0.1...60),
    ]

    static let detection: [FieldLimit] = [
        .plain("faults.leakDropFraction", \.faults.leakDropFraction, 0.05...0.95),
        .interval("faults.leakWindow", \.faults.leakWindow, 0.02...10),
        .quantity("faults.leakMinimumPeak", \.faults.leakMinimumPeak, from: 0, upTo: "pressure.limit", \.pressure.limit),
        // 0.5–50 %: below 0.5 % the level's own wander at a steady push would stop it;
        // 50 % in tens of milliseconds is a path that has already taken the stored volume.
        .plain("faults.leakRapidDropFraction", \.faults.leakRapidDropFraction, 0.005...0.5),
        // 5–500 kPa: a bucket's mean of five 2 kPa-SD samples has about 1 kPa of noise, so
        // 5 kPa is five of it; 500 kPa would wait for most of a typical injection pressure.
        .quantity("faults.leakRapidMinimumDrop", \.faults.leakRapidMinimumDrop, 5...500),
        // 8–500 ms: at least one 1 kHz tick per bucket; over half a second it is no faster
        // than `faults.leakWindow`.
        .interval("faults.leakRapidWindow", \.faults.leakRapidWindow, 0.008...0.5),
        // At least 60 s: the textbook pause after a leak is 1–2 min, for the cement in the
        // leak path to thicken; a shorter one resumes into a path still open.
        .interval("faults.leakPauseMinimum", \.faults.leakPauseMinimum, 60...600),
        // At most 500 µL, the largest bolus (rates.bolusVolume): one more push at most
        // after the front reached the posterior quarter or cement left the body.
        .quantity("faults.resumeAllowanceAfterStop", \.faults.resumeAllowanceAfterStop, 0...500),
        // 0.1–1: a resume must bring the pressure back to at least a tenth of its pre-leak
        // level (a lower bar proves nothing), and cannot be asked for more than all of it.
        .plain("faults.leakRecoveryFraction", \.faults.leakRecoveryFraction, 0.1...1),
        // 3–60 s: the screw first closes the stop's back-off gap (175 µL at 4 mL/min is
        // 2.6 s) before pressure can rebuild; over a minute an open leak path is fed for
        // as long as the whole leak pause.
        .interval("faults.leakRecoveryWindow", \.faults.leakRecoveryWindow, 3...60),
        .quantity("faults.occlusionPressure", \.faults.occlusionPressure, from: 100, upTo: "pressure.limit",
                  \.pressure.limit),
        .interval("faults.occlusionQualifyTime", \.faults.occlusionQualifyTime, 0.05...60),
        .count("faults.occlusionReleaseCount", \.faults.occlusionReleaseCount, 1...100),
        .quantity("faults.occlusionMinimumProgress", \.faults.occlusionMinimumProgress, 0...1_000),
        // 1–100 kPa/µL: a set needle shows the syringe's stiffness, 1 / maximum compliance
        // (20 kPa/µL at 0.05 µL/kPa); below 1 a healthy push's rise would stop it, above
        // 100 no syringe is that stiff and the check could never fire.
        .quantity("faults.occlusionStiffness", \.faults.occlusionStiffness, 1...100),
        // 20–1 000 µL: over less, the transducer's noise (2 kPa SD) is a slope of a tenth
        // of a set needle's; over more, a set needle is seen only after a whole millilitre.
        .quantity("faults.occlusionStiffnessWindow", \.faults.occlusionStiffnessWindow, 20...1_000),
        .quantity("faults.consistencyTestVolume", \.faults.consistencyTestVolume, 0...1_000),
        .quantity("faults.consistencyMinimumPressure", \.faults.consistencyMinimumPressure, from: 0,
                  upTo: "pressure.limit", \.pressure.limit),
        .interval("faults.pressureStaleAfter", \.faults.pressureStaleAfter, 0.001...1),
        .interval("faults.pressureStuckAfter", \.faults.pressureStuckAfter, 0.1...30),
        // 0–20 kPa: 0 is a reading frozen to the bit; a few ADC counts (0.25 kPa each) of
        // dither is still stuck; above 20 kPa a slow but live push could stay inside it.
        .quantity("faults.pressureStuckBand", \.faults.pressureStuckBand, 0...20),
        .interval("faults.positionStaleAfter", \.faults.positionStaleAfter, 0.001...1),
        .quantity("faults.positionTolerance", \.faults.positionTolerance, 1...1_000),
        .quantity("faults.pressureTwinTolerance", \.faults.pressureTwinTolerance, 10...2_000),
        .plain("faults.pressureTwinRelativeTolerance", \.faults.pressureTwinRelativeTolerance, 0...1),
        .interval("faults.pressureTwinDisagreeFor", \.faults.pressureTwinDisagreeFor, 0.001...5),
        .interval("faults.hostLinkTimeout", \.faults.hostLinkTimeout, 0.01...30),
        // 0.05–0.5: priming's knee is found within a few per cent (the syringe's stored
        // volume and the transducer's noise); an 8G needle configured on an 11G one is +100 %.
        .plain("faults.deadVolumeTolerance", \.faults.deadVolumeTolerance, 0.05...0.5),
        // 0.02–0.3: the load cell's rise over the transducer's is measured within about 1 %
        // over a priming; a 13.14 mm bore configured on a 14.5 mm syringe is 22 % of area.
        .plain("faults.plungerAreaTolerance", \.faults.plungerAreaTolerance, 0.02...0.3),
        // 0.05–2 mm: syringe bores of one nominal size differ by tenths of a millimetre;
        // the next size up differs by millimetres.
        .quantity("faults.syringeBoreTolerance", \.faults.syringeBoreTolerance, 0.05...2),
    ]
}
