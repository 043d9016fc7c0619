import InjectorCore

/// A syringe pressure sensor (a transducer on an ADC, or a load cell under the plunger).
///
/// Contract: `sample(at:)` never throws and never blocks for long; a failure is a
/// sample with status `.error` (or `.missing`), which the controller's sensor-health
/// check turns into a fault. `sampledAt` is when the value was taken, which may be
/// earlier than `now` (a background sampler), so staleness can be judged.
public protocol PressureSensor: AnyObject, Sendable {
    func sample(at now: Instant) -> SensorSample<Kilopascals>
}
