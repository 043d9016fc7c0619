import InjectorCore
import InjectorPlant

/// The people and wires around the controller in a lockstep run: the operator at the
/// console and the pedal, the radiologist at the fluoroscope, the host link, a switch
/// stuck by an injected fault, and which sensors the controller has fitted. Each tick
/// it turns the plant's truth and the sensor readings into the controller's inputs.
struct Bench {
    var op: ConsoleOperator
    var observer: FluoroscopyObserver
    let link: HostLinkModel
    let stuck: (Switch, StuckInputFault)?
    let positionSensorFitted: Bool
    /// The barrel clamp's reading, when the controller has one fitted: the bore of the
    /// syringe really in the drive (the plant's), exact and always fresh.
    let syringeBore: Millimeters?
    /// The true syringe pressure at which the driver flags a stall, if one is wired.
    let driverStallPressure: Kilopascals?

    init(_ scenario: Scenario) {
        op = ConsoleOperator(policy: scenario.operatorPolicy, scheduledStart: scenario.scheduledStart)
        observer = FluoroscopyObserver(policy: scenario.observer)
        link = HostLinkModel(plan: scenario.host, scenario: scenario)
        stuck = scenario.stuckInputFault
        positionSensorFitted = scenario.controller.positionSensorFitted
        syringeBore = scenario.controller.syringeSizeSensorFitted ? scenario.plant.syringe.innerDiameter : nil
        driverStallPressure = scenario.driverStallPressure
    }

    /// This tick's inputs: the observer watches the plant, the operator reads the last
    /// screen and may type a command (lost while the link is down).
    @inline(__always)
    mutating func inputs(_ plant: PlantState, _ reading: PlantSensors.Reading, stepPosition: Steps,
                         screen: ScreenReading?, at now: Instant) -> ControllerInputs {
        observer.watch(plant, now: now)
        var switches = SwitchInputs(
            enable: op.holdsPedal(at: now) ? .active : .inactive,
            posteriorQuarterStop: observer.posteriorQuarterButton(at: now),
            leakSeenStop: observer.leakButton(at: now),
            forwardEndOfTravel: plant.atForwardEnd ? .active : .inactive,
            rearEndOfTravel: plant.plungerTravel.rawValue <= 0 ? .active : .inactive)
        switches.apply(stuck, at: now)
        let typed = op.command(at: now, after: screen)
        return ControllerInputs(
            now: now, stepPosition: stepPosition, pressure: reading.pressure,
            plungerPosition: positionSensorFitted ? reading.plungerPosition : nil, pressureTwin: reading.pressureTwin,
            switches: switches, command: link.isUp(at: now) ? typed : nil, hostLastHeard: link.lastHeard(at: now),
            syringeBore: syringeBore.map { SensorSample(value: $0, sampledAt: now) },
            driverFault: driverStallPressure.map { plant.syringePressure >= $0 ? .active : .inactive } ?? .inactive)
    }
}

/// The controller's events of a run, bounded, and the distinct reasons it stopped for.
struct EventLog {
    /// Events kept per run; more are counted, not stored. A nominal procedure raises
    /// about 150 (a state change and a command per release cycle); 512 keeps a long one.
    static let eventCapacity = 512
    /// Distinct stop reasons kept: there are fewer than 16 kinds a run can meet.
    static let stopReasonCapacity = 16

    private(set) var events: [ControllerEvent] = []
    private(set) var stopReasons: [Reason] = []

    init() {
        events.reserveCapacity(Self.eventCapacity)
        stopReasons.reserveCapacity(Self.stopReasonCapacity)
    }

    @inline(__always) mutating func record(_ batch: EventBatch) {
        // Most ticks raise nothing; iterating would copy the batch regardless.
        guard !batch.isEmpty else { return }
        for e in batch {
            if events.count < Self.eventCapacity { events.append(e) }
            if e.kind == .stateChanged, e.state.isStop(from: e.previousState),
               stopReasons.count < Self.stopReasonCapacity, !stopReasons.contains(e.reason) {
                stopReasons.append(e.reason)
            }
        }
    }
}

extension TraceHash {
    /// One controller tick: steps, the pressure read, state and relief, the step rate.
    @inline(__always) mutating func mixTick(steps: Steps, pressure: Kilopascals, _ out: ControllerOutputs) {
        mix(UInt64(bitPattern: steps.count))
        mix(pressure.rawValue)
        mix(UInt64(out.telemetry.state.rawValue) | UInt64(out.telemetry.relief.rawValue) << 8)
        mix(out.stepRate.rawValue)
    }
}
