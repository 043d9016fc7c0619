import InjectorCore
import InjectorPlant

extension FaultRun {
    /// One tick, in `LockstepRunner`'s order: plant, sensors, people, controller, motor.
    /// Without power nothing after the plant runs: no reading, no step, ENABLE released.
    mutating func tick(_ now: Instant, period: Interval) {
        plant.advance(to: now, commandedSteps: steps.position, driverEnabled: driver == .enabled)
        let faultOn = obs.onsetAt.map { now >= $0 } ?? false
        if faultOn {
            let x = plant.state.displacedVolume
            let ref = onsetReference ?? x
            onsetReference = ref
            obs.forwardAfterOnset = Swift.max(obs.forwardAfterOnset, x - ref)
        }
        if faultOn, plan.fault == .powerLoss, powered { cutPower(at: now) }
        watchAfterStop(at: now)
        guard powered else { driver = .disabled; return }
        let reading = sensors.read(plant.state)
        var inputs = bench.inputs(plant.state, reading, stepPosition: steps.position, screen: last, at: now)
        applyInputFaults(&inputs, faultOn: faultOn)
        let out = controller.step(inputs)
        observeEvents(at: now)
        LockstepRunner.drive(&steps, out, over: period)
        driver = out.driver
        last = ScreenReading(out.telemetry)
        advanceStateClock(out.telemetry.state, now: now, period: period)
    }

    /// The power goes: the controller's last word is its persisted ledger, and the stop
    /// is the cut itself.
    private mutating func cutPower(at now: Instant) {
        powered = false
        obs.ledgerAtCut = controller.persistentLedger.levelBefore
        obs.cap = controller.budget.cap
        react(at: now, reason: .none, named: false)
    }

    /// The faults that act on the controller's inputs: the e-stop held, the host silent
    /// (heard last before the onset); the paused cells' host pause.
    private mutating func applyInputFaults(_ inputs: inout ControllerInputs, faultOn: Bool) {
        if !faultOn { heardBeforeOnset = inputs.hostLastHeard }
        if plan.state == .paused, !paused, injected >= plan.pauseAfter, last?.state == .injecting {
            inputs.command = .pause
            paused = true
        }
        guard faultOn else { return }
        switch plan.fault {
        case .eStop: inputs.switches.eStop = .active
        case .hostLinkLost:
            inputs.command = nil
            inputs.hostLastHeard = heardBeforeOnset
        default: break
        }
    }

    /// Time in the cell's state; once it passes the run's offset, the fault starts on the next tick.
    private mutating func advanceStateClock(_ state: InjectorState, now: Instant, period: Interval) {
        if state == .injecting { injected = injected + period }
        guard obs.onsetAt == nil, state == plan.state, plan.state != .paused || paused else { return }
        inState = inState + period
        guard inState > plan.offset else { return }
        let onset = now + period
        obs.onsetAt = onset
        obs.onsetState = state
        inject(at: onset)
    }

    /// The plant- and sensor-side faults, from `onset` on.
    private mutating func inject(at onset: Instant) {
        switch plan.fault {
        case .pressureStuck: sensors.pressure.inject(SensorFault(.stuck, from: onset))
        case .pressureDrift:
            sensors.pressure.inject(SensorFault(.drift(perSecond: Kilopascals(plan.magnitude)), from: onset))
        case .pressureDropout: sensors.pressure.inject(SensorFault(.dropout, from: onset))
        case .pressureOutOfRange: sensors.pressure.inject(SensorFault(.outOfRange(Kilopascals(plan.magnitude)), from: onset))
        case .missedSteps: plant.inject(MissedStepFault(from: onset, lostFraction: plan.magnitude))
        case .needleBlocked: plant.blockNeedle(from: onset)
        case .stepLineToggling, .stepLineTogglingNoPositionSensor:
            plant.inject(TimedDriveLineFault(.stepLineToggling(stepsPerSecond: plan.magnitude), from: onset))
        case .directionInverted, .directionInvertedNoPositionSensor:
            plant.inject(TimedDriveLineFault(.directionInverted, from: onset))
        case .eStop, .hostLinkLost, .stuckEnablePedal, .powerLoss: break
        }
    }

    /// The controller's events from the onset on: whether one names the fault, the
    /// first stop (the reaction), and an operator's restart that ends the forward watch.
    private mutating func observeEvents(at now: Instant) {
        let batch = controller.events
        guard !batch.isEmpty, let onset = obs.onsetAt, now >= onset else { return }
        for e in batch {
            let names = plan.fault.namedBy.contains(e.reason) && e.kind != .commandAccepted
                && e.kind != .commandRefused
            if names { obs.named = true }
            if obs.driveFaultAt == nil, e.kind == .faultLatched, e.reason == .positionDisagreement { obs.driveFaultAt = now }
            if obs.reactionAt == nil, e.kind == .stateChanged,
               e.state.isStop(from: e.previousState) || Self.endsPrimingOnAGeometryFinding(e) {
                react(at: now, reason: e.reason, named: names)
            } else if obs.reactionAt != nil, e.kind == .commandAccepted,
                      e.command == .prime || e.command == .start || e.command == .resume {
                restarted = true
            }
        }
    }

    /// Priming halted on a geometry cross-check (issue 9 finding 2): a stop that refuses
    /// `arm`, though its state, primed, is also where a healthy priming ends.
    static func endsPrimingOnAGeometryFinding(_ e: ControllerEvent) -> Bool {
        e.previousState == .priming && e.state == .primed
            && [.primedVolumeMismatch, .plungerAreaMismatch, .syringeSizeMismatch].contains(e.reason)
    }

    /// The stop: forward travel from here on is measured against the plunger now (the
    /// plant has taken the steps of the tick before; this tick's own must not go forward).
    private mutating func react(at now: Instant, reason: Reason, named: Bool) {
        obs.reactionAt = now
        obs.reactionReason = reason
        obs.reactionNamed = named
        obs.pressureAtReaction = plant.state.syringePressure
        stopReference = plant.state.displacedVolume
        if plant.state.syringePressure <= limits.reliefPressure { obs.relievedAt = now }
    }

    /// After the stop: forward travel until a restart, and the first relieved tick.
    private mutating func watchAfterStop(at now: Instant) {
        guard let reference = stopReference else { return }
        let s = plant.state
        if !restarted { obs.forwardAfterStop = Swift.max(obs.forwardAfterStop, s.displacedVolume - reference) }
        if obs.relievedAt == nil, s.syringePressure <= limits.reliefPressure { obs.relievedAt = now }
    }
}
