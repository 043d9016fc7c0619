import InjectorCore

/// An independent plunger-position sensor (linear potentiometer on an ADC, or a
/// quadrature encoder), as displaced volume from syringe zero. Same contract as
/// `PressureSensor`: failures are samples with status `.error`.
public protocol PositionSensor: AnyObject, Sendable {
    func sample(at now: Instant) -> SensorSample<Microliters>
}
