import InjectorCore
import InjectorPlant

/// The radiologist at the fluoroscopy screen: sees the front pass the posterior
/// quarter, or a leak grow past what shows, and after a reaction delay presses the
/// matching stop button for a moment. Each event is acted on once.
struct FluoroscopyObserver {
    let policy: ObserverPolicy
    let delay: Interval
    private(set) var posteriorQuarterSeenAt: Instant?
    private(set) var leakSeenAt: Instant?

    init(policy: ObserverPolicy, delay: Interval? = nil) {
        self.policy = policy
        self.delay = delay ?? policy.reactionDelay
    }

    @inline(__always) mutating func watch(_ s: PlantState, now: Instant) {
        guard policy.enabled else { return }
        if posteriorQuarterSeenAt == nil, s.frontPosition >= CementFrontGeometry.posteriorQuarter {
            posteriorQuarterSeenAt = now
        }
        if leakSeenAt == nil {
            let v = policy.leakVisibleAbove
            let l = s.leaks
            if l.vein.leaked > v || l.epidural.leaked > v || l.needleTract.leaked > v || l.disc.leaked > v {
                leakSeenAt = now
            }
        }
    }

    private func pressed(_ seen: Instant?, at now: Instant) -> Activation {
        guard let seen else { return .inactive }
        let down = seen + delay
        return now >= down && now < down + policy.pressDuration ? .active : .inactive
    }

    func posteriorQuarterButton(at now: Instant) -> Activation { pressed(posteriorQuarterSeenAt, at: now) }
    func leakButton(at now: Instant) -> Activation { pressed(leakSeenAt, at: now) }
}

/// The host's heartbeats: heard at every multiple of the period, except while lost.
struct HostLinkModel {
    let period: Int64
    let lostAt: Instant?
    let restoredAt: Instant?

    init(plan: HostLinkPlan, scenario: Scenario) {
        period = Swift.max(1, plan.heartbeatPeriod.nanoseconds)
        lostAt = plan.lostAfterStart.map { scenario.afterStart($0) }
        restoredAt = plan.restoredAfterStart.map { scenario.afterStart($0) }
    }

    @inline(__always) func isUp(at now: Instant) -> Bool {
        guard let lost = lostAt, now >= lost else { return true }
        return restoredAt.map { now >= $0 } ?? false
    }

    /// When the controller last heard the host (a heartbeat at or before `now`).
    @inline(__always) func lastHeard(at now: Instant) -> Instant? {
        let beat = Instant(nanoseconds: (now.nanoseconds / period) * period)
        if isUp(at: now) { return beat }
        guard let lost = lostAt else { return beat }
        let before = Instant(nanoseconds: ((lost.nanoseconds - 1) / period) * period)
        return before.nanoseconds >= 0 ? before : nil
    }
}

extension Scenario {
    /// The plant with this scenario's injected plant-side faults (sensor faults, missed steps).
    func plantAndSensors(seed: UInt64) -> (VertebroplastyPlant, PlantSensors) {
        var p = plant
        p.cementAgeAtStart = .zero
        if let m = faults.missedSteps {
            p.drive.missedSteps = MissedStepFault(from: afterStart(m.from), lostFraction: m.kind)
        }
        var pressure = SensorParameters<Kilopascals>.pressureTransducer
        if let f = faults.pressure {
            pressure.fault = SensorFault(f.kind, from: afterStart(f.from), until: f.until.map { afterStart($0) })
        }
        var position = SensorParameters<Microliters>.plungerPotentiometer
        if let f = faults.position {
            position.fault = SensorFault(f.kind, from: afterStart(f.from), until: f.until.map { afterStart($0) })
        }
        // The plunger load cell only when the controller has a pressure twin fitted.
        var twin: SensorParameters<Kilopascals>?
        if controller.pressureTwinFitted {
            twin = .plungerLoadCell
            if let f = faults.pressureTwin {
                twin?.fault = SensorFault(f.kind, from: afterStart(f.from), until: f.until.map { afterStart($0) })
            }
        }
        // The load cell's force is turned into pressure with the configured area, not the true one.
        let areaRatio = p.driveGeometry.plungerAreaSquareMillimeters / configuredGeometry.plungerAreaSquareMillimeters
        return (VertebroplastyPlant(parameters: p, start: .origin),
                PlantSensors(pressure: pressure, plungerPosition: position, pressureTwin: twin,
                             areaRatio: areaRatio, seed: seed))
    }

    /// When the first injected fault begins, if any.
    var firstFaultAt: Instant? {
        var times: [Interval] = []
        if let f = faults.pressure { times.append(f.from) }
        if let f = faults.pressureTwin { times.append(f.from) }
        if let f = faults.position { times.append(f.from) }
        if let f = faults.missedSteps { times.append(f.from) }
        if let f = faults.stuckInput { times.append(f.from) }
        if let lost = host.lostAfterStart { times.append(lost) }
        return times.min().map { afterStart($0) }
    }

    var stuckInputFault: (Switch, StuckInputFault)? {
        faults.stuckInput.map {
            ($0.kind.name, StuckInputFault(level: $0.kind.level, from: afterStart($0.from),
                                           until: $0.until.map { afterStart($0) }))
        }
    }
}

extension SwitchInputs {
    @inline(__always) mutating func apply(_ fault: (Switch, StuckInputFault)?, at now: Instant) {
        guard let (name, f) = fault else { return }
        self[name] = f.apply(to: self[name], at: now)
    }
}
