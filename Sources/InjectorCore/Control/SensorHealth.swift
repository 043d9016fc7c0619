/// Turns raw samples into either a trusted reading or a fault reason.
///
/// A stale, out-of-range or erroring sensor is a fault, never a reading: the last
/// valid value is kept for relief decisions but the fault stands until the sensor
/// recovers and the fault is reset.
public struct SensorHealth: Equatable, Sendable {
    public private(set) var pressure: Kilopascals = .zero
    public private(set) var pressureProblem: Reason = .pressureStale
    public private(set) var positionProblem: Reason = .none
    private var lastValidPressureAt: Instant?
    /// The last raw pressure value and when it last changed, to catch a frozen sensor.
    private var lastRawPressure: Double = .nan
    public private(set) var pressureUnchangedSince: Instant = .origin
    private var lastValidPositionAt: Instant?
    /// Plunger reading minus step-count volume, captured from the first valid reading.
    private var positionOffset: Microliters?
    public private(set) var positionFromSensor: Microliters = Microliters(rawValue: .nan)
    let pressureSpec: PressureSpec
    let faults: FaultSpec
    let positionFitted: Bool

    public init(configuration: InjectorConfiguration) {
        pressureSpec = configuration.pressure
        faults = configuration.faults
        positionFitted = configuration.positionSensorFitted
    }

    public var isHealthy: Bool { pressureProblem == .none && positionProblem == .none }
    /// The first problem found, pressure before position.
    public var problem: Reason { pressureProblem != .none ? pressureProblem : positionProblem }

    public mutating func observe(now: Instant, pressure sample: SensorSample<Kilopascals>,
                                 position: SensorSample<Microliters>?, stepVolume: Microliters) {
        pressureProblem = checkPressure(now: now, sample)
        positionProblem = positionFitted ? checkPosition(now: now, position, stepVolume: stepVolume) : .none
    }

    private mutating func checkPressure(now: Instant, _ s: SensorSample<Kilopascals>) -> Reason {
        switch s.status {
        case .error:
            return .pressureSensorError
        case .valid:
            guard s.value.isFinite, s.value >= pressureSpec.sensorMinimum, s.value <= pressureSpec.sensorMaximum else {
                return .pressureOutOfRange
            }
            if s.value.rawValue != lastRawPressure {
                lastRawPressure = s.value.rawValue
                pressureUnchangedSince = now
            }
            if s.sampledAt <= now, lastValidPressureAt.map({ s.sampledAt >= $0 }) ?? true {
                pressure = s.value
                lastValidPressureAt = s.sampledAt
            }
        case .missing:
            break
        }
        guard let last = lastValidPressureAt, now - last <= faults.pressureStaleAfter else { return .pressureStale }
        return .none
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
            if (positionFromSensor - stepVolume).magnitude > faults.positionTolerance { return .positionDisagreement }
        case .valid:
            return .positionSensorError
        case .missing:
            break
        }
        guard let last = lastValidPositionAt, now - last <= faults.positionStaleAfter else { return .positionStale }
        return .none
    }
}
