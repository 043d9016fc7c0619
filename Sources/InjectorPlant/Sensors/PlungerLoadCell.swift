import InjectorCore

/// A load cell under the plunger, read as pressure (force over the plunger's area):
/// the outlet transducer's twin. It feels the syringe pressure plus the seal's
/// friction, which opposes the plunger's motion (reads high while pushing, low while
/// backing off, and nothing extra once the plunger has rested `restAfter`), with the
/// noise, resolution, latency and injected faults of any `SensorModel`. The cell weighs
/// a force; the firmware turns it into pressure with the plunger area it is configured
/// with, so a wrong configured bore scales the reading by `areaRatio` (true area ÷
/// configured area) while the outlet transducer reads the pressure itself.
public struct PlungerLoadCell: Sendable {
    /// Seal friction over the plunger area.
    public let friction: Kilopascals
    /// The plunger counts as at rest after this long without a step.
    public let restAfter: Interval
    /// The true plunger area over the configured one: 1 when the configured bore is right.
    public let areaRatio: Double
    private var sensor: SensorModel<Kilopascals>
    private var lastDisplaced: Microliters?
    private var lastMoved = Instant.origin
    private var direction = 0.0

    /// `seed` is the run's seed: the load cell draws from its own stream, so fitting it
    /// leaves the transducer's and the potentiometer's draws as they were.
    public init(_ parameters: SensorParameters<Kilopascals> = .plungerLoadCell,
                friction: Kilopascals = Kilopascals(30), restAfter: Interval = .milliseconds(50),
                areaRatio: Double = 1, seed: UInt64) {
        precondition(friction.rawValue >= 0, "friction is a magnitude")
        precondition(areaRatio > 0 && areaRatio.isFinite, "an area ratio is positive")
        self.friction = friction
        self.restAfter = restAfter
        self.areaRatio = areaRatio
        // "LOADCELL" in ASCII, so that this stream is not the sensors' root stream.
        var root = Xoshiro256StarStar(seed: seed ^ 0x4C4F_4144_4345_4C4C)
        sensor = SensorModel(parameters, rng: root.fork())
    }

    public var parameters: SensorParameters<Kilopascals> { sensor.parameters }

    /// The reading for the plant's state at its time. Call once per tick. Inlined, so
    /// that a caller passing `plant.state` hands over three numbers, not the whole state.
    @inlinable public mutating func read(_ state: PlantState) -> SensorSample<Kilopascals> {
        read(syringePressure: state.syringePressure, displacedVolume: state.displacedVolume, at: state.time)
    }

    /// The reading for a true syringe pressure and plunger displacement at `time`.
    public mutating func read(syringePressure: Kilopascals, displacedVolume: Microliters,
                              at time: Instant) -> SensorSample<Kilopascals> {
        if let last = lastDisplaced, displacedVolume != last {
            direction = displacedVolume > last ? 1 : -1
            lastMoved = time
        } else if time - lastMoved > restAfter {
            direction = 0
        }
        lastDisplaced = displacedVolume
        return sensor.sample(truth: (syringePressure + friction * direction) * areaRatio, at: time)
    }
}

extension SensorParameters where Value == Kilopascals {
    /// A 50 kg load cell behind an HX711 at 80 samples/s, over a 14.5 mm plunger
    /// (165 mm²): 0.5 N of noise is 3 kPa, 0.1 kPa counts, 12.5 ms latency (estimates).
    public static var plungerLoadCell: SensorParameters<Kilopascals> {
        SensorParameters(noise: Kilopascals(3), resolution: Kilopascals(0.1), latency: .microseconds(12_500))
    }
}
