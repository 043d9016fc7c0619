import InjectorCore

/// The sensors the controller reads from the plant: syringe pressure, an independent
/// plunger position and, when fitted, a plunger load cell as the pressure's twin, each
/// with its own random stream derived from one seed. `areaRatio` is the
/// true plunger area over the configured one (see `PlungerLoadCell.areaRatio`); it
/// scales the potentiometer's volume too.
public struct PlantSensors: Sendable {
    public var pressure: SensorModel<Kilopascals>
    public var plungerPosition: SensorModel<Microliters>
    /// `nil` unless the controller has a pressure twin fitted.
    public var pressureTwin: PlungerLoadCell?
    /// The potentiometer measures travel, which the firmware turns into volume with the
    /// configured area: true displaced volume × this (configured area ÷ true area).
    public let positionScale: Double

    public init(pressure: SensorParameters<Kilopascals> = .pressureTransducer,
                plungerPosition: SensorParameters<Microliters> = .plungerPotentiometer,
                pressureTwin: SensorParameters<Kilopascals>? = nil, areaRatio: Double = 1,
                seed: UInt64) {
        var root = Xoshiro256StarStar(seed: seed)
        self.pressure = SensorModel(pressure, rng: root.fork())
        self.plungerPosition = SensorModel(plungerPosition, rng: root.fork())
        self.positionScale = 1 / areaRatio
        self.pressureTwin = pressureTwin.map { PlungerLoadCell($0, areaRatio: areaRatio, seed: seed) }
    }

    /// What one read of every sensor returns.
    public typealias Reading = (pressure: SensorSample<Kilopascals>, plungerPosition: SensorSample<Microliters>,
                                pressureTwin: SensorSample<Kilopascals>?)

    /// Every reading for the plant's state at its time. Inlined, so that a caller passing
    /// `plant.state` hands over three numbers rather than a copy of the whole state, and
    /// a run without a twin pays one `nil` test for it.
    @inlinable public mutating func read(_ state: PlantState) -> Reading {
        let (p, x) = read(syringePressure: state.syringePressure, displacedVolume: state.displacedVolume, at: state.time)
        return (p, x, pressureTwin?.read(syringePressure: state.syringePressure,
                                         displacedVolume: state.displacedVolume, at: state.time))
    }

    /// The transducer's and the plunger potentiometer's readings for a true syringe
    /// pressure and displaced volume at `time`.
    public mutating func read(syringePressure: Kilopascals, displacedVolume: Microliters,
                              at time: Instant) -> (pressure: SensorSample<Kilopascals>,
                                                    plungerPosition: SensorSample<Microliters>) {
        (pressure.sample(truth: syringePressure, at: time),
         plungerPosition.sample(truth: displacedVolume * positionScale, at: time))
    }
}
