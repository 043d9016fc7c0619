import InjectorCore

// The simulation I/O (docs/protocol.md, "SimSensors", "SimActuators", "Sharing a link")
// has two ends, one per side, as the host session has FirmwareEndpoint and HostEndpoint.
// Each numbers the frames it sends on the simulation's own frame counter and puts 0 in
// their `ack`: simulation frames acknowledge nothing, so they share a link with a host
// session without either side coordinating with it. Neither end resends anything: a
// newer sample replaces a lost one.

/// The firmware's port to the simulator standing in for its hardware: the latest
/// SimSensors in, the SimActuators of the last tick out.
///
/// A class, because two parts of the firmware hold it: its loop hands it the simulation
/// frames the links received and sends what it has to send, and the simulated IO reads
/// the sensors from it and tells it what the outputs did.
public final class SimulatorPort {
    public struct Counters: Equatable, Sendable {
        public var sensorsReceived: UInt64 = 0
        /// Simulation frames other than SimSensors (a SimActuators echoed back).
        public var unexpectedMessages: UInt64 = 0
        public var actuatorReportsSent: UInt64 = 0
    }

    /// The newest SimSensors, and when they arrived (`receive`'s `now`).
    public private(set) var latest: (sensors: SimulatedSensors, arrivedAt: Instant)?
    public private(set) var counters = Counters()
    private var frameSequence = SequenceNumber(0)
    private var report: SimulatedActuators?

    public init() {}

    /// Handles one simulation frame.
    public func receive(_ frame: Frame, at now: Instant) {
        guard case .simSensors(let sensors) = frame.message else {
            counters.unexpectedMessages &+= 1
            return
        }
        latest = (sensors, now)
        counters.sensorsReceived &+= 1
    }

    /// What the outputs did; replaces a report not sent yet (only the newest counts).
    public func send(_ actuators: SimulatedActuators) { report = actuators }

    /// The frame to send, if a report is waiting.
    public func nextOutgoing() -> Frame? {
        guard let report else { return nil }
        self.report = nil
        defer { frameSequence = frameSequence.next }
        counters.actuatorReportsSent &+= 1
        return Frame(.simActuators(report), sequence: frameSequence)
    }
}

/// The simulator's port to the firmware it serves as hardware: SimSensors out,
/// SimActuators in.
public struct FirmwarePort: Sendable {
    public struct Counters: Equatable, Sendable {
        public var actuatorsReceived: UInt64 = 0
        /// Simulation frames other than SimActuators (a SimSensors echoed back).
        public var unexpectedMessages: UInt64 = 0
    }

    public private(set) var counters = Counters()
    private var frameSequence = SequenceNumber(0)

    public init() {}

    /// The frame that carries `sensors`, numbered.
    public mutating func frame(for sensors: SimulatedSensors) -> Frame {
        defer { frameSequence = frameSequence.next }
        return Frame(.simSensors(sensors), sequence: frameSequence)
    }

    /// The SimActuators a simulation frame carries, or `nil` (counted) for any other.
    public mutating func receive(_ frame: Frame) -> SimulatedActuators? {
        guard case .simActuators(let actuators) = frame.message else {
            counters.unexpectedMessages &+= 1
            return nil
        }
        counters.actuatorsReceived &+= 1
        return actuators
    }
}
