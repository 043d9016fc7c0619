import InjectorCore

extension DeviceSampler {
    /// Below the control loop's SCHED_FIFO 80 and the step thread's, above everything
    /// ordinary: a busy machine cannot starve the sensors, the sensors cannot delay a tick.
    public static let defaultPriority: Int32 = 70
}

/// A board's ADC channels, opened and (when sampling in the background) grouped by
/// device: one `DeviceSampler` per IIO device, its channels read in the order pressure,
/// pressure twin, position.
struct BoardSensors {
    var pressure: any PressureSensor
    var twin: (any PressureSensor)?
    var position: (any PositionSensor)?
    var samplers: [DeviceSampler] = []
}

extension BoardHardware {
    static func openSensors(_ board: BoardConfiguration, iioRoot: String, background: Bool,
                            priority: Int32?) throws(HardwareError) -> BoardSensors {
        var samplers: [String: DeviceSampler] = [:]
        var order: [String] = []
        func channel(_ spec: ADCChannelSpec) throws(HardwareError) -> (IIOChannel, String) {
            let device = try IIODeviceName.resolve(spec.device, root: iioRoot)
            return (try IIOChannel(root: iioRoot, device: device, channel: spec.channel, scaleOverride: spec.scale), device)
        }
        func sampler(_ device: String, _ interval: Interval) -> DeviceSampler {
            if let existing = samplers[device] { return existing }
            order.append(device)
            let created = DeviceSampler(device: device, interval: interval)
            samplers[device] = created
            return created
        }
        func pressureSensor(_ spec: ADCChannelSpec) throws(HardwareError) -> any PressureSensor {
            let (ch, device) = try channel(spec)
            let sensor = IIOPressureSensor(channel: ch, calibration: spec.calibration, rawLimits: spec.rawLimits)
            guard background else { return sensor }
            return SampledPressureSensor(sampler(device, spec.sampleInterval).add(interval: spec.sampleInterval) {
                sensor.sample(at: $0)
            })
        }
        let pressure = try pressureSensor(board.pressure)
        let twin = try board.pressureTwin.map { (spec) throws(HardwareError) in try pressureSensor(spec) }
        var position: (any PositionSensor)?
        if let spec = board.position {
            let (ch, device) = try channel(spec)
            let sensor = IIOPositionSensor(channel: ch, calibration: spec.calibration, rawLimits: spec.rawLimits)
            position = background
                ? SampledPositionSensor(sampler(device, spec.sampleInterval).add(interval: spec.sampleInterval) {
                    sensor.sample(at: $0)
                })
                : sensor
        }
        let started = order.map { samplers[$0]! }
        for s in started { s.start(priority: priority) }
        return BoardSensors(pressure: pressure, twin: twin, position: position, samplers: started)
    }
}
