import InjectorCore

/// A sensor on an IIO ADC channel, calibrated linearly from millivolts to `Value`
/// (kPa for a pressure transducer, µL for a plunger potentiometer). A failed read, an
/// unreadable value, or a raw count outside `rawLimits` (the ADC's rails: a saturated
/// or open input) is a sample with status `.error` that keeps the last good value.
public final class IIOSensor<Value: Quantity>: @unchecked Sendable {
    public let channel: IIOChannel
    public let calibration: LinearCalibration
    /// Counts outside this range are saturation, not a reading.
    public let rawLimits: ClosedRange<Int>
    public private(set) var readFailures: UInt64 = 0
    private var last = Value.zero

    public init(channel: IIOChannel, calibration: LinearCalibration, rawLimits: ClosedRange<Int>) {
        self.channel = channel
        self.calibration = calibration
        self.rawLimits = rawLimits
    }

    public func sample(at now: Instant) -> SensorSample<Value> {
        do throws(HardwareError) {
            let raw = try channel.readRaw()
            guard rawLimits.contains(raw) else {
                readFailures &+= 1
                return SensorSample(value: last, sampledAt: now, status: .error)
            }
            last = Value(rawValue: calibration.value(millivolts: (Double(raw) + channel.offset) * channel.scale))
            return SensorSample(value: last, sampledAt: now, status: .valid)
        } catch {
            readFailures &+= 1
            return SensorSample(value: last, sampledAt: now, status: .error)
        }
    }
}

/// A pressure transducer on an IIO ADC channel, calibrated to kPa.
public typealias IIOPressureSensor = IIOSensor<Kilopascals>
/// A linear potentiometer on the plunger, calibrated to displaced volume (µL).
public typealias IIOPositionSensor = IIOSensor<Microliters>

extension IIOSensor: PressureSensor where Value == Kilopascals {}
extension IIOSensor: PositionSensor where Value == Microliters {}
