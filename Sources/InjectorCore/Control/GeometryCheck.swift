/// One geometry cross-check that disagreed (issue 9 finding 2): which check, what the
/// device measured and what it is configured with, in the check's unit (µL for the
/// dead volume, mm for a bore).
public struct GeometryFinding: Equatable, Sendable {
    public var reason: Reason
    public var measured: Double
    public var configured: Double

    public init(reason: Reason, measured: Double, configured: Double) {
        self.reason = reason
        self.measured = measured
        self.configured = configured
    }
}

/// Sees cement reach the needle tip while priming, from the pressure alone. While the
/// needle fills, its resistance grows with the filled length, so at a steady priming
/// flow the reading rises in proportion to the volume pushed (about 1 kPa/µL for paste
/// in an 11G needle); once the needle is full only the body's far smaller resistance
/// and the cement's thickening add to it (under 0.1 kPa/µL): the rise per µL falls by
/// an order of magnitude. The watch marks the reading every quarter `window` of volume
/// and declares the tip reached when the rise over the last window is below half the
/// mean rise per µL since priming began; the tip volume is where the fill line through
/// the oldest mark meets the present level, less what the syringe stores at that level
/// (pushed, but not yet in the needle). The stored volume is counted at the middle of
/// the configured compliance bounds, so it is off by at most half their span × the
/// pressure (0.02 µL/kPa × 0.9 MPa = 18 µL, 2 % of an 11G needle). Nothing allocated.
public struct NeedleFillWatch: Equatable, Sendable {
    /// Volume per slope window: the tip is seen about half a window after cement reaches
    /// it, so short; but at ~1 kPa/µL the window still spans an 80 kPa rise, 40 times
    /// the transducer's 2 kPa noise.
    public static let window = Microliters(80)
    static let marksPerWindow = 4
    /// A full needle's rise per µL is under this share of the filling one's.
    static let plateauShare = 0.5
    /// Below this rise since the start the fill line is too faint to judge (very liquid
    /// cement): no verdict, rather than a guess.
    static let minimumRise = Kilopascals(100)
    /// …and the last window's rise must fall short of the fill line by at least this: 7
    /// times the noise of a difference of two readings (2 kPa each). An 8G needle fills at
    /// ~0.2 kPa/µL, 18 kPa a window, so its noise alone would halve a window's rise
    /// (the tip is then never seen: no verdict, which only matters for an 8G needle
    /// configured as a smaller one, the direction that under-delivers).
    static let minimumShortfall = Kilopascals(20)

    /// Volume stored per kPa in syringe and cement, for the tip volume.
    let compliance: MicrolitersPerKilopascal
    private var startReading = Double.nan
    /// Readings and primed volumes at the last five marks, oldest first.
    private var p0 = 0.0, p1 = 0.0, p2 = 0.0, p3 = 0.0, p4 = 0.0
    private var v0 = 0.0, v1 = 0.0, v2 = 0.0, v3 = 0.0, v4 = 0.0
    private var filled = 0
    /// The volume primed when the tip was reached, once seen.
    public private(set) var tipReachedAt: Microliters?

    public init(compliance: MicrolitersPerKilopascal) { self.compliance = compliance }

    /// The watch for `configuration`'s syringe: its compliance at the middle of its bounds.
    public init(_ configuration: InjectorConfiguration) {
        let s = configuration.syringe
        self.init(compliance: MicrolitersPerKilopascal((s.compliance.rawValue + s.maximumCompliance.rawValue) / 2))
    }

    /// One priming tick: `primed` since priming began (by the configured geometry) and
    /// the pressure reading. Returns `true` on the tick the tip is first seen.
    public mutating func observe(primed: Microliters, reading: Kilopascals) -> Bool {
        guard tipReachedAt == nil, reading.rawValue.isFinite else { return false }
        let v = primed.rawValue, p = reading.rawValue
        if startReading.isNaN { startReading = p }
        let segment = Self.window.rawValue / Double(Self.marksPerWindow)
        if filled == 0 || v - v4 >= segment {
            (p0, p1, p2, p3, p4) = (p1, p2, p3, p4, p)
            (v0, v1, v2, v3, v4) = (v1, v2, v3, v4, v)
            filled = Swift.min(filled + 1, Self.marksPerWindow + 1)
        }
        guard filled > Self.marksPerWindow, v0 > 0, p0 - startReading >= Self.minimumRise.rawValue else { return false }
        let fillSlope = (p0 - startReading) / v0
        let recentSlope = (p - p0) / (v - v0)
        let shortfall = (fillSlope - recentSlope) * (v - v0)
        guard recentSlope < fillSlope * Self.plateauShare, shortfall >= Self.minimumShortfall.rawValue else {
            return false
        }
        let stored = compliance.rawValue * Swift.max(0, p)
        tipReachedAt = Microliters(Swift.max(0, v0 + Swift.max(0, p - p0) / fillSlope - stored))
        return true
    }
}

/// The plunger area the load cell implies. The cell weighs force, which the firmware
/// turns into pressure with the configured area; while the plunger pushes, its reading
/// is (pressure + seal friction) × true area ÷ configured area. The slope of the cell's
/// reading against the transducer's, fitted by least squares over the priming once the
/// flow is steady, is that area ratio: the friction, constant while pushing, and the
/// cell's lag behind a pressure rising at a steady rate (12.5 ms and its 80 Hz hold: a
/// few kPa) only shift the line. Five sums, nothing allocated.
public struct PlungerAreaWatch: Equatable, Sendable {
    /// Samples count from here: the plunger has reached the priming flow (150 µL/s at
    /// 300 µL/s² takes 37.5 µL) and the fill rises at a steady rate.
    static let fitFrom = Microliters(100)
    /// Below this span of the transducer the slope is too noisy to judge: no verdict.
    static let minimumSpan = Kilopascals(200)

    /// The first sample, subtracted from every other so the sums stay small.
    private var p0 = Double.nan, t0 = Double.nan
    private var n = 0.0, sp = 0.0, st = 0.0, spp = 0.0, spt = 0.0
    private var highest = -Double.infinity

    public init() {}

    public mutating func observe(primed: Microliters, pressure: Kilopascals, twin: Kilopascals) {
        guard pressure.rawValue.isFinite, twin.rawValue.isFinite, primed >= Self.fitFrom else { return }
        if p0.isNaN { (p0, t0) = (pressure.rawValue, twin.rawValue) }
        let p = pressure.rawValue - p0, t = twin.rawValue - t0
        n += 1
        sp += p
        st += t
        spp += p * p
        spt += p * t
        highest = Swift.max(highest, p)
    }

    /// True area ÷ configured area, or `nil` if the pressure did not rise enough to tell.
    public var areaRatio: Double? {
        // On raw values: with nothing observed `highest` is −∞ and fails the comparison.
        guard highest >= Self.minimumSpan.rawValue else { return nil }
        return (n * spt - sp * st) / (n * spp - sp * sp)
    }
}

extension InjectionController {
    /// At the end of priming: the volume at which cement reached the tip against
    /// `needle.deadVolume`, and the load cell's plunger area against the configured one.
    /// A tip not seen before the configured volume gives no verdict (the needle may be
    /// larger than configured, which under-delivers, or the rise too faint to read).
    mutating func judgePriming(at now: Instant) {
        let faults = configuration.faults
        let configured = configuration.needle.deadVolume
        if let measured = fillWatch.tipReachedAt,
           Swift.abs((measured - configured).rawValue) > faults.deadVolumeTolerance * configured.rawValue {
            noteGeometryFinding(.primedVolumeMismatch, measured: measured.rawValue, configured: configured.rawValue,
                                at: now)
        }
        if configuration.pressureTwinFitted, let ratio = areaWatch.areaRatio,
           !(Swift.abs(ratio - 1) <= faults.plungerAreaTolerance) {
            let bore = configuration.syringe.innerDiameter.rawValue
            // The bore whose area the ratio implies; NaN for a ratio ≤ 0 (a twin that fell).
            noteGeometryFinding(.plungerAreaMismatch, measured: bore * Swift.max(0, ratio).squareRoot(),
                                configured: bore, at: now)
        }
    }

    /// The barrel clamp's reading against `syringe.innerDiameter`, when a clamp is
    /// fitted: a missing, erroring or different reading is a finding.
    mutating func checkSyringeSize(_ input: ControllerInputs) {
        guard configuration.syringeSizeSensorFitted else { return }
        let configured = configuration.syringe.innerDiameter
        let measured = input.syringeBore.flatMap { $0.status == .valid ? $0.value : nil } ?? Millimeters(.nan)
        guard !(Swift.abs((measured - configured).rawValue) <= configuration.faults.syringeBoreTolerance.rawValue)
        else { return }
        noteGeometryFinding(.syringeSizeMismatch, measured: measured.rawValue, configured: configured.rawValue,
                            at: input.now)
    }

    /// Records the first finding and names both numbers in the log: a hazard event with
    /// the measured value, then one with the configured value.
    private mutating func noteGeometryFinding(_ reason: Reason, measured: Double, configured: Double,
                                              at now: Instant) {
        if geometryFinding == nil {
            geometryFinding = GeometryFinding(reason: reason, measured: measured, configured: configured)
        }
        raise(.hazardDetected, reason: reason, value: measured, at: now)
        raise(.geometryConfigured, reason: reason, value: configured, at: now)
    }
}
