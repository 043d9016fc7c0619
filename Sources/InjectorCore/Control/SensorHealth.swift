/// Turns raw samples into either a trusted reading or a fault reason.
///
/// A stale, out-of-range or erroring sensor is a fault, never a reading: the last
/// valid value is kept for relief decisions but the fault stands until the sensor
/// recovers and the fault is reset. A sensor that disagrees with its twin is a fault
/// too: the plunger sensor with the step count, and the pressure transducer, when a
/// second pressure measurement is fitted, with that one. The transducer stays the
/// reading the controller acts on; the twin only checks it, so a transducer drifting
/// low, which no range or staleness check can see, stops the injection.
public struct SensorHealth: Equatable, Sendable {
    /// The transducer's last valid reading.
    public var pressure: Kilopascals { transducer.value }
    public private(set) var pressureProblem: Reason = .pressureStale
    public private(set) var positionProblem: Reason = .none
    private var transducer = PressureChannel(value: .zero)
    /// When the transducer's raw value last left its stuck band, to catch a stuck sensor.
    public var pressureUnchangedSince: Instant { transducer.unchangedSince }
    private var lastValidPositionAt: Instant?
    /// Plunger reading minus step-count volume, captured from the first valid reading.
    private var positionOffset: Microliters?
    public private(set) var positionFromSensor: Microliters = Microliters(rawValue: .nan)
    /// The furthest the steps have ever put the plunger: a plunger beyond it moved on its own.
    private var peakStepVolume: Microliters = Microliters(rawValue: -.infinity)
    /// Past the furthest step by this share of `faults.positionTolerance` (10 µL shipped),
    /// the plunger moved forward on its own: a STEP line toggling, a DIR inverted during
    /// a back-off (fault-injection matrix, H11 and H12). Unambiguous, unlike a lag, so a
    /// quarter of the tolerance will do: the offset fixed from the first reading and the
    /// sensor's noise (1 µL SD) are a few µL, and a lag only ever reads behind.
    public static let overtravelShare = 0.25
    /// Over each span of commanded motion of this share of `faults.positionTolerance`
    /// (10 µL shipped), the plunger must have moved the way the steps did: a DIR inverted
    /// mid-procedure turns a back-off into a push (H12). 10 µL is about seven times the
    /// noise of a difference of two readings (1 µL SD each), so a healthy drive never
    /// reads as having moved the other way.
    public static let directionSpanShare = 0.25
    private var directionStepsFrom: Microliters = Microliters(rawValue: .nan)
    private var directionSensorFrom: Microliters = .zero
    public private(set) var twinProblem: Reason = .none
    /// The twin's last valid reading (NaN until one arrives or when none is fitted).
    public var pressureTwin: Kilopascals { twin.value }
    private var twin = PressureChannel(value: Kilopascals(rawValue: .nan))
    /// Since when the transducer and its twin have been further apart than allowed.
    private var disagreeingSince: Instant?
    /// The transducer and its twin are further apart than allowed now (not yet for long
    /// enough to be a fault): neither reading is one to end a relief on.
    @inline(__always) public var pressuresDisagreeNow: Bool { disagreeingSince != nil }
    let pressureSpec: PressureSpec
    let faults: FaultSpec
    let positionFitted: Bool
    let twinFitted: Bool

    public init(configuration: InjectorConfiguration) {
        pressureSpec = configuration.pressure
        faults = configuration.faults
        positionFitted = configuration.positionSensorFitted
        twinFitted = configuration.pressureTwinFitted
    }

    @inline(__always) public var isHealthy: Bool { problem == .none }
    /// The first problem found: pressure, then its twin, then position. Inlined: the
    /// controller asks every tick, and an out-of-line getter copies the whole struct.
    @inline(__always) public var problem: Reason {
        pressureProblem != .none ? pressureProblem : twinProblem != .none ? twinProblem : positionProblem
    }

    public mutating func observe(now: Instant, pressure sample: SensorSample<Kilopascals>,
                                 twin: SensorSample<Kilopascals>? = nil,
                                 position: SensorSample<Microliters>?, stepVolume: Microliters) {
        pressureProblem = checkPressure(now: now, sample)
        twinProblem = twinFitted ? checkTwin(now: now, twin) : .none
        positionProblem = positionFitted ? checkPosition(now: now, position, stepVolume: stepVolume) : .none
    }

    /// Whether, over the span of commanded motion that just ended, the plunger moved
    /// the other way. Starts a new span each time one ends.
    private mutating func movedAgainstTheSteps(_ stepVolume: Microliters) -> Bool {
        guard directionStepsFrom.isFinite else {
            directionStepsFrom = stepVolume
            directionSensorFrom = positionFromSensor
            return false
        }
        let commanded = stepVolume - directionStepsFrom
        guard commanded.magnitude >= faults.positionTolerance * Self.directionSpanShare else { return false }
        let moved = positionFromSensor - directionSensorFrom
        directionStepsFrom = stepVolume
        directionSensorFrom = positionFromSensor
        return moved.rawValue * commanded.rawValue < 0
    }

    private mutating func checkPressure(now: Instant, _ s: SensorSample<Kilopascals>) -> Reason {
        switch transducer.observe(s, now: now, spec: pressureSpec, staleAfter: faults.pressureStaleAfter,
                                   stuckBand: faults.pressureStuckBand) {
        case .error: return .pressureSensorError
        case .outOfRange: return .pressureOutOfRange
        case .stale: return .pressureStale
        case .live: return .none
        }
    }

    private mutating func checkTwin(now: Instant, _ sample: SensorSample<Kilopascals>?) -> Reason {
        guard let s = sample else { return .pressureTwinSensorError }
        switch twin.observe(s, now: now, spec: pressureSpec, staleAfter: faults.pressureStaleAfter) {
        case .error, .outOfRange: return .pressureTwinSensorError
        case .stale: return .pressureTwinStale
        case .live: break
        }
        // A transducer with a problem of its own is reported as that; compare two live readings only.
        guard pressureProblem == .none else {
            disagreeingSince = nil
            return .none
        }
        let allowed = Swift.max(faults.pressureTwinTolerance,
                                Swift.max(pressure, pressureTwin) * faults.pressureTwinRelativeTolerance)
        guard (pressure - pressureTwin).magnitude > allowed else {
            disagreeingSince = nil
            return .none
        }
        let since = disagreeingSince ?? now
        disagreeingSince = since
        return now - since >= faults.pressureTwinDisagreeFor ? .pressureDisagreement : .none
    }

    private mutating func checkPosition(now: Instant, _ sample: SensorSample<Microliters>?,
                                        stepVolume: Microliters) -> Reason {
        guard let s = sample else { return .positionSensorError }
        switch s.status {
        case .error:
            return .positionSensorError
        case .valid where s.value.isFinite && s.sampledAt <= now:
            lastValidPositionAt = s.sampledAt
            let offset = positionOffset ?? (s.value - stepVolume)
            positionOffset = offset
            positionFromSensor = s.value - offset
            peakStepVolume = Swift.max(peakStepVolume, stepVolume)
            if (positionFromSensor - stepVolume).magnitude > faults.positionTolerance { return .positionDisagreement }
            if positionFromSensor - peakStepVolume > faults.positionTolerance * Self.overtravelShare
                || movedAgainstTheSteps(stepVolume) {
                return .positionDisagreement
            }
        case .valid:
            return .positionSensorError
        case .missing:
            break
        }
        guard let last = lastValidPositionAt, now - last <= faults.positionStaleAfter else { return .positionStale }
        return .none
    }
}

/// One pressure measurement's trusted reading: a sample replaces it only if it is
/// valid, finite, inside the sensor's range and not older than the one it replaces.
struct PressureChannel: Equatable, Sendable {
    enum Verdict { case live, error, outOfRange, stale }

    private(set) var value: Kilopascals
    private(set) var lastValidAt: Instant?
    /// The raw value in range that the stuck band is centred on, and since when every
    /// raw value has stayed within the band of it, to catch a stuck sensor.
    private(set) var lastRaw: Double = .nan
    private(set) var unchangedSince: Instant = .origin

    init(value: Kilopascals) { self.value = value }

    mutating func observe(_ s: SensorSample<Kilopascals>, now: Instant, spec: PressureSpec,
                          staleAfter: Interval, stuckBand: Kilopascals = .zero) -> Verdict {
        switch s.status {
        case .error:
            return .error
        case .valid:
            guard s.value.isFinite, s.value >= spec.sensorMinimum, s.value <= spec.sensorMaximum else { return .outOfRange }
            // NaN at first: the first reading always starts a band. A band of 0 is the bit.
            if !((s.value.rawValue - lastRaw).magnitude <= stuckBand.rawValue) {
                lastRaw = s.value.rawValue
                unchangedSince = now
            }
            if s.sampledAt <= now, lastValidAt.map({ s.sampledAt >= $0 }) ?? true {
                value = s.value
                lastValidAt = s.sampledAt
            }
        case .missing:
            break
        }
        guard let last = lastValidAt, now - last <= staleAfter else { return .stale }
        return .live
    }
}
