import InjectorCore

/// The sensors the controller reads from the plant: syringe pressure and an independent
/// plunger position, each with its own random stream forked from one seed.
public struct PlantSensors: Sendable {
    public var pressure: SensorModel<Kilopascals>
    public var plungerPosition: SensorModel<Microliters>

    public init(pressure: SensorParameters<Kilopascals> = .pressureTransducer,
                plungerPosition: SensorParameters<Microliters> = .plungerPotentiometer,
                seed: UInt64) {
        var root = Xoshiro256StarStar(seed: seed)
        self.pressure = SensorModel(pressure, rng: root.fork())
        self.plungerPosition = SensorModel(plungerPosition, rng: root.fork())
    }

    /// Both readings for the plant's state at its time. Inlined, so that a caller passing
    /// `plant.state` hands over three numbers rather than a copy of the whole state.
    @inlinable public mutating func read(_ state: PlantState) -> (pressure: SensorSample<Kilopascals>,
                                                                   plungerPosition: SensorSample<Microliters>) {
        read(syringePressure: state.syringePressure, displacedVolume: state.displacedVolume, at: state.time)
    }

    /// Both readings for a true syringe pressure and displaced volume at `time`.
    public mutating func read(syringePressure: Kilopascals, displacedVolume: Microliters,
                              at time: Instant) -> (pressure: SensorSample<Kilopascals>,
                                                    plungerPosition: SensorSample<Microliters>) {
        (pressure.sample(truth: syringePressure, at: time), plungerPosition.sample(truth: displacedVolume, at: time))
    }
}
