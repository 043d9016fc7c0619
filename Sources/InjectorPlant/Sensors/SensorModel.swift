import InjectorCore

/// How one sensor departs from the truth.
public struct SensorParameters<Value: Quantity>: Equatable, Sendable {
    /// Standard deviation of white Gaussian noise.
    public var noise: Value
    /// Constant calibration offset.
    public var offset: Value
    /// Quantisation step (one ADC count); zero for none.
    public var resolution: Value
    /// The reading reflects the truth this long ago, and is stamped with that time.
    public var latency: Interval
    public var fault: SensorFault<Value>?

    public init(noise: Value = .zero, offset: Value = .zero, resolution: Value = .zero,
                latency: Interval = .zero, fault: SensorFault<Value>? = nil) {
        precondition(noise.rawValue >= 0 && resolution.rawValue >= 0 && latency >= .zero,
                     "sensor noise, resolution and latency are non-negative")
        self.noise = noise
        self.offset = offset
        self.resolution = resolution
        self.latency = latency
        self.fault = fault
    }
}

extension SensorParameters where Value == Kilopascals {
    /// Syringe-outlet transducer on a 16-bit ADC over 0–7 MPa (ADS1115 class): 0.25 kPa
    /// counts, 2 kPa noise, 2 ms latency (estimates).
    public static var pressureTransducer: SensorParameters<Kilopascals> {
        SensorParameters(noise: Kilopascals(2), resolution: Kilopascals(0.25), latency: .milliseconds(2))
    }
}

extension SensorParameters where Value == Microliters {
    /// Linear potentiometer on the plunger read by a 16-bit ADC: 0.5 µL counts, 1 µL
    /// noise, 2 ms latency (estimates).
    public static var plungerPotentiometer: SensorParameters<Microliters> {
        SensorParameters(noise: Microliters(1), resolution: Microliters(0.5), latency: .milliseconds(2))
    }
}

/// A sensor: turns the plant's truth into the `SensorSample`s the controller reads,
/// with noise, offset, quantisation, latency and an injected fault. It owns its random
/// stream, so adding or removing another sensor does not change its draws.
public struct SensorModel<Value: Quantity>: Sendable {
    public private(set) var parameters: SensorParameters<Value>
    private var rng: Xoshiro256StarStar
    private var history = DelayLine()
    private var last: SensorSample<Value>?
    private var frozen: Value?
    /// 1/resolution when that is exact (a power of two, as the default ADC counts are),
    /// so that quantising multiplies instead of dividing with the same result; else 0.
    private let exactInverseResolution: Double

    public init(_ parameters: SensorParameters<Value>, rng: Xoshiro256StarStar) {
        self.parameters = parameters
        self.rng = rng
        let step = parameters.resolution.rawValue
        let inverse = 1 / step
        exactInverseResolution = step.isNormal && step.significandBitPattern == 0 && inverse.isNormal ? inverse : 0
    }

    /// Injects `fault` from its start on, in place of any other: the fault-injection
    /// matrix starts a fault at a moment only the run itself finds (a time within a
    /// controller state). The random stream and history go on, so the run stays seeded.
    public mutating func inject(_ fault: SensorFault<Value>) {
        parameters.fault = fault
    }

    /// The reading at `now` of a sensor whose true input is now `truth`. Call once per tick.
    @inline(__always) public mutating func sample(truth: Value, at now: Instant) -> SensorSample<Value> {
        history.record(truth.rawValue, at: now)
        let seen = history.value(atOrBefore: now - parameters.latency)
        var value = seen.value + parameters.offset.rawValue
        if parameters.noise.rawValue > 0 { value += parameters.noise.rawValue * rng.gaussian() }
        var reading = SensorSample(value: Value(rawValue: quantised(value)), sampledAt: seen.at)

        if let fault = parameters.fault, fault.isActive(at: now) {
            reading = apply(fault, to: reading, at: now)
        } else {
            frozen = nil
        }
        if reading.status == .valid { last = reading }
        return reading
    }

    private mutating func apply(_ fault: SensorFault<Value>, to reading: SensorSample<Value>,
                                at now: Instant) -> SensorSample<Value> {
        var reading = reading
        switch fault.kind {
        case .stuck:
            if frozen == nil { frozen = last?.value ?? reading.value }
            reading.value = frozen ?? reading.value
        case .drift(let rate):
            reading.value = Value(rawValue: quantised(reading.value.rawValue + rate.rawValue * (now - fault.from).seconds))
        case .dropout:
            reading = last ?? SensorSample(value: .zero, sampledAt: .origin)
            reading.status = .missing
        case .noiseBurst(let sigma):
            reading.value = Value(rawValue: quantised(reading.value.rawValue + sigma.rawValue * rng.gaussian()))
        case .outOfRange(let value):
            reading.value = value
        }
        return reading
    }

    /// The nearest multiple of the resolution (ties away from zero), as
    /// `(value / step).rounded() * step` gives it, without a division or a C library call.
    @inline(__always) private func quantised(_ value: Double) -> Double {
        let step = parameters.resolution.rawValue
        guard step > 0 else { return value }
        let counts = exactInverseResolution != 0 ? value * exactInverseResolution : value / step
        return roundedToNearest(counts) * step
    }
}
