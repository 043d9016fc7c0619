import InjectorCore
import InjectorLinks
import InjectorPlant
import InjectorProtocol

/// Which configuration hash the driven host requires in the firmware's IdentifyResponse.
public enum ConfigurationCheck: Equatable, Sendable {
    /// The hash of the scenario's controller configuration, the one the plant was
    /// built for (`ConfigurationFingerprint`): a firmware that reports another is refused
    /// and the session ends, with both hashes in the message.
    case scenario
    /// This hash (`--config-hash`, as `injector-firmware config-hash` prints it).
    case hash(UInt64)
    /// Whatever the firmware reports (`--adopt-firmware-configuration`): a mismatch is
    /// logged with both hashes and the firmware commanded anyway.
    case adoptFirmware
}

/// How a served session runs.
public struct HILOptions: Sendable {
    /// The session begins this long before the scenario's scheduled start (plant time
    /// `startAge − lead`: the cement is already that old). `nil`: the operator's prime
    /// lead plus 2 s, so the whole priming phase is served.
    public var lead: Interval?
    /// Stop after this much wall-clock time; `nil`: until stopped (or, driving, until
    /// the procedure is over and the scenario's tail has run).
    public var duration: Interval?
    /// No SimActuators for this long: reported as a silent firmware; the plant holds.
    public var staleAfter: Interval
    /// Send SimSensors every n-th plant tick (a slow serial port cannot carry 1 kHz).
    public var sensorEvery: Int
    /// Run a scripted operator console over the protocol (HostEndpoint): mix, prime,
    /// arm, start, finish and answer pauses by the scenario's operator policy.
    public var driveProcedure: Bool
    /// Which configuration the driven host requires the firmware to run.
    public var configuration: ConfigurationCheck
    /// Replaces the scenario's seed (sensor noise).
    public var seed: UInt64?

    public init(lead: Interval? = nil, duration: Interval? = nil, staleAfter: Interval = .milliseconds(100),
                sensorEvery: Int = 1, driveProcedure: Bool = false, configuration: ConfigurationCheck = .scenario,
                seed: UInt64? = nil) {
        precondition(sensorEvery >= 1, "sensorEvery must be at least 1")
        precondition(staleAfter.nanoseconds > 0, "staleAfter must be positive")
        self.lead = lead
        self.duration = duration
        self.staleAfter = staleAfter
        self.sensorEvery = sensorEvery
        self.driveProcedure = driveProcedure
        self.configuration = configuration
        self.seed = seed
    }
}

/// `injector-sim serve`: the plant as the firmware's hardware, in real time.
///
/// Every tick of the scenario's controller rate (1 kHz), paced against absolute
/// deadlines: read what the firmware sent (SimActuators; on a shared link also its
/// host traffic), advance the plant to the tick's time with the latest step
/// position, read the sensors, let the fluoroscopy observer look, assemble the
/// switches (operator pedal, observer's stop buttons, end switches, a stuck-input
/// fault) and send SimSensors. Optionally a scripted host drives the procedure over
/// the same link or a second one. The plant holds (the last step position) while the
/// firmware is silent, and the silence is reported.
///
/// The simulation I/O goes through a `FirmwarePort` and the driven host's session
/// through a `HostEndpoint`; each numbers its own frames, and `TrafficLinks` splits a
/// shared link between them, so nothing here touches a sequence number or an ack.
///
/// One thread; link I/O never waits (timeouts of zero), so a peer that stops reading
/// costs frames, not the plant's timing.
public final class HILServer: @unchecked Sendable {
    /// Steps a SimActuators' count may move beyond what the reported rates allow
    /// before it is taken for a restarted firmware (which counts from 0 again) and
    /// rebased. Two ticks of the largest burst the firmware's step generator issues
    /// (1.5 × 20 000 steps/s at 1 kHz = 30 steps a tick), rounded up: a report late by a
    /// tick is never a restart, while a restart mid-procedure jumps by thousands.
    static let stepJumpAllowance = 64.0
    /// Read errors in a row after which a link counts as failed: 100 ms of a link that
    /// errs on every read at 1 kHz, long past a transient (a USB-UART's hiccup).
    static let readErrorsBeforeFailure = 100
    /// Link errors logged one by one; the rest are only counted in the summary.
    static let linkErrorsLogged: UInt64 = 5

    public let scenario: Scenario
    public let options: HILOptions
    private let simChannel: FrameChannel
    /// A separate link for the driven host; `nil`: the host shares the sim link.
    private let hostChannel: FrameChannel?
    private let links: TrafficLinks
    private let log: @Sendable (String) -> Void
    /// The configuration hash the driven host requires (`options.configuration`).
    private let expectedHash: UInt64

    private var summary: HILSummary
    private var firmware = FirmwarePort()
    private var host: HostEndpoint?
    private var script: ProcedureScript

    private var latest: SimulatedActuators?
    private var latestAt: Instant?
    private var stepOffset: Int64 = 0
    private var commanded = Steps.zero
    /// No SimActuators for the stale timeout (after the firmware had been heard).
    private var silent = false
    private var announcedWaiting = false
    private var linkFailure: String?
    private var consecutiveReadErrors = 0
    private var lastFirmwareState: InjectorState?
    private var hostStarted = false
    private var finishedAt: Instant?

    /// `simLink` carries SimSensors/SimActuators (and the host protocol when
    /// `hostLink` is `nil`); `log` receives one line per notable happening.
    public init(scenario: Scenario, simLink: any ByteLink, hostLink: (any ByteLink)? = nil,
                options: HILOptions = HILOptions(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.scenario = scenario
        self.options = options
        let simChannel = FrameChannel(link: simLink)
        let hostChannel = hostLink.map { FrameChannel(link: $0) }
        self.simChannel = simChannel
        self.hostChannel = hostChannel
        links = TrafficLinks(host: hostChannel ?? simChannel, simulation: simChannel)
        self.log = log
        script = ProcedureScript(policy: scenario.operatorPolicy, scheduledStart: scenario.scheduledStart)
        summary = HILSummary(scenario: scenario.name, link: simLink.name, hostLink: hostLink?.name,
                             ending: .stopRequested, duration: .zero, plantStart: .origin, plantEnd: .origin,
                             ticks: 0, lateTicks: 0, skippedTicks: 0, worstLateness: .zero)
        switch options.configuration {
        case .scenario, .adoptFirmware: expectedHash = ConfigurationFingerprint.hash(scenario.controller)
        case .hash(let required): expectedHash = required
        }
        if options.driveProcedure { host = HostEndpoint(expectedConfigurationHash: expectedHash) }
    }

    /// Plant time of the first tick.
    public var begin: Instant {
        let lead = options.lead ?? scenario.operatorPolicy.primeLead + .seconds(2)
        let t = scenario.scheduledStart - lead
        return t < .origin ? .origin : t
    }

    /// Serves until `shouldStop` returns true (checked every tick), the duration is
    /// up, the driven procedure is over, the firmware is refused, or a link fails;
    /// returns the summary.
    public func run(shouldStop: () -> Bool) -> HILSummary {
        let period = scenario.controller.tickRate.period
        var served = ServedPlant(scenario, seed: options.seed ?? scenario.seed)
        let begin = self.begin
        summary.plantStart = begin
        let where_ = hostChannel.map { " on \($0.link.name)" } ?? " on the same link"
        let driving = options.driveProcedure ? "; driving the procedure" + where_ : ""
        log("serving \(scenario.name): plant from \(begin) (cement \(fixed((begin - .origin).seconds)) s old), scheduled start at \(scenario.scheduledStart), tick \(period)\(driving)")

        var pacer = TickPacer(period: period)
        var now = begin
        var index: Int64 = 0
        while true {
            if let ending = ending(at: now, elapsed: pacer.elapsed, shouldStop: shouldStop) {
                summary.ending = ending
                break
            }
            serveTick(&served, at: now, index: index)
            summary.ticks += 1
            index = pacer.waitForNextTick(interrupted: shouldStop)
            now = begin + period * index
        }
        finishSummary(served.plant.state, pacer: pacer, at: now)
        return summary
    }

    /// Why the session ends before the tick at `now`, or `nil` to serve it.
    private func ending(at now: Instant, elapsed: Interval, shouldStop: () -> Bool) -> HILEnding? {
        if shouldStop() { return .stopRequested }
        if let failure = linkFailure { return .linkFailed(failure) }
        if let refusal = summary.refusal { return .firmwareRefused(refusal) }
        if let d = options.duration, elapsed >= d { return .durationReached }
        if now > scenario.scheduledStart + scenario.maxDuration { return .scenarioTimeUp }
        if let f = finishedAt, now >= f + scenario.tail { return .procedureFinished }
        return nil
    }

    /// One tick: take what the firmware sent, advance the plant with its step position,
    /// send SimSensors (every `sensorEvery`-th tick), drive the procedure, write.
    private func serveTick(_ served: inout ServedPlant, at now: Instant, index: Int64) {
        receive(at: now)
        drainHostNotices(at: now)
        watchSilence(at: now)
        let sensors = served.sample(at: now, commanded: commanded,
                                    pedal: script.holdsPedal(at: now) ? .active : .inactive)
        if index % Int64(options.sensorEvery) == 0 { queue(firmware.frame(for: sensors)) }
        if latest?.driver == .enabled { summary.driverEnabledTicks += 1 }
        drive(at: now)
        noteProcedureOver(at: now)
        flush(at: now)
    }

    private func finishSummary(_ truth: PlantState, pacer: TickPacer, at now: Instant) {
        summary.duration = pacer.elapsed
        summary.plantEnd = truth.time
        summary.lateTicks = pacer.lateTicks
        summary.skippedTicks = pacer.skippedTicks
        summary.worstLateness = pacer.worstLateness
        summary.decoder = simChannel.statistics
        summary.hostDecoder = hostChannel?.statistics
        summary.misrouted = links.misrouted
        if silent, let at = latestAt {
            summary.staleAtEnd = true
            summary.longestSilence = Swift.max(summary.longestSilence, now - at)
        }
        summary.stepPosition = commanded
        summary.peakPressure = truth.peakSyringePressure
        summary.finalPressure = truth.syringePressure
        summary.displaced = truth.displacedVolume
        summary.leaked = truth.leaks.map(\.leaked)
        summary.intoBody = truth.deliveredToBody
        summary.delivered = truth.deliveredToBody + summary.leakedTotal
        summary.front = truth.frontPosition
        summary.posteriorQuarterReachedAt = truth.posteriorQuarterReachedAt
    }

    // MARK: Receiving

    /// Simulation frames to the firmware port, host frames to the driven host (or, not
    /// driving, the firmware's telemetry to the log): split by `TrafficLinks`.
    private func receive(at now: Instant) {
        let bytes = links.receive(host: { frame in
            summary.framesIn.add(frame.message.type)
            connectHostOnFirstFrame(at: now)
            if host != nil {
                host?.receive(frame, at: now)
            } else if case .telemetry(let report) = frame.message {
                noteTelemetry(report)
            }
        }, simulation: { frame in
            summary.framesIn.add(frame.message.type)
            connectHostOnFirstFrame(at: now)
            if let actuators = firmware.receive(frame) { apply(actuators, at: now) }
        }, failed: { error, _ in linkError(error, reading: true) })
        if bytes > 0 { consecutiveReadErrors = 0 }
    }

    private func apply(_ a: SimulatedActuators, at now: Instant) {
        if let previous = latest, let at = latestAt {
            // A step count that jumps further than the reported rates allow (a firmware
            // restarted counts from 0 again) is rebased: the plunger stays where it is.
            let dt = Swift.max((now - at).seconds, 0.001)
            let bound = 2 * Swift.max(abs(previous.stepRate.rawValue), abs(a.stepRate.rawValue)) * dt
                + Self.stepJumpAllowance
            let jump = a.stepPosition.count - previous.stepPosition.count
            if Double(abs(jump)) > bound {
                stepOffset += previous.stepPosition.count - a.stepPosition.count
                summary.stepRebases += 1
                log("\(now): step count jumped by \(jump) in \(fixed(dt * 1000)) ms (firmware restarted?): rebased, the plunger stays at \(commanded.count) steps")
            }
        } else {
            log("\(now): first SimActuators: step position \(a.stepPosition.count), driver \(a.driver)")
            summary.firstActuatorsAt = now
        }
        if silent, let at = latestAt {
            let gap = now - at
            log("\(now): SimActuators again after \(fixed(gap.milliseconds)) ms of silence")
            summary.longestSilence = Swift.max(summary.longestSilence, gap)
        }
        silent = false
        latest = a
        latestAt = now
        summary.actuatorsReceived += 1
        commanded = Steps(a.stepPosition.count &+ stepOffset)
        if abs(a.stepRate.rawValue) > abs(summary.peakStepRate.rawValue) { summary.peakStepRate = a.stepRate }
    }

    /// Reports a firmware that stopped sending SimActuators (once per silence); the
    /// plant keeps the last step position meanwhile.
    private func watchSilence(at now: Instant) {
        guard !silent else { return }
        if let at = latestAt {
            if now - at >= options.staleAfter {
                silent = true
                summary.staleEpisodes += 1
                log("\(now): firmware silent: no SimActuators for \(fixed((now - at).milliseconds)) ms; the plant holds at \(commanded.count) steps")
            }
        } else if !announcedWaiting, now - summary.plantStart >= options.staleAfter {
            announcedWaiting = true
            log("waiting for the firmware on \(simChannel.link.name): no SimActuators yet")
        }
    }

    private func noteTelemetry(_ report: TelemetryReport) {
        if report.state != lastFirmwareState {
            log("firmware state \(lastFirmwareState.map { "\($0) → " } ?? "")\(report.state)"
                + (report.stateReason == .none ? "" : " (\(report.stateReason))")
                + ", delivered \(fixed(report.delivered.rawValue)) µL")
            lastFirmwareState = report.state
        }
        summary.firmware = report
    }

    // MARK: The driven host

    private func drainHostNotices(at now: Instant) {
        guard var h = host else { return }
        defer { host = h }
        while let notice = h.nextNotice() {
            switch notice {
            case .identified(let identity):
                summary.identity = identity
                log("\(now): firmware identified: version \(identity.firmwareVersion), configuration 0x\(String(identity.configurationHash, radix: 16)), tick \(fixed(Double(identity.tickRateMilliHz) / 1000)) Hz")
            case .refused(let mismatch):
                if case .configurationHash(let reported, _) = mismatch, options.configuration == .adoptFirmware {
                    log("\(now): firmware runs configuration 0x\(String(reported, radix: 16)), the scenario's is 0x\(String(expectedHash, radix: 16)); adopted the firmware's (--adopt-firmware-configuration)")
                    h = HostEndpoint(expectedConfigurationHash: reported, timing: h.timing)
                    h.connect(at: now)
                } else {
                    log("\(now): not commanding the firmware: \(mismatch)")
                    summary.refusal = mismatch
                }
            case .reply(let reply, _):
                switch reply {
                case .accepted(let code):
                    summary.commandsAccepted += 1
                    script.accepted(code)
                    log("\(now): \(code) accepted")
                case .refused(let code, let refusal):
                    summary.commandsRefused += 1
                    log("\(now): \(code) refused: \(refusal)")
                }
            case .commandFailed(let command, let failure):
                summary.commandsFailed += 1
                log("\(now): \(command.code) failed: \(failure)")
            case .telemetry(let report):
                noteTelemetry(report)
            case .status(let status, _):
                log("\(now): status: \(status.state), committed \(status.committed) of cap \(status.cap)")
            case .event(let event, _):
                summary.eventsReceived += 1
                log("\(now): event \(event)")
            case .linkLost:
                log("\(now): host link lost (no frame from the firmware for \(h.timing.linkTimeout)); identifying again")
            }
        }
    }

    /// The host identifies once the firmware has been heard (on either link: it opens
    /// both before its first tick): IdentifyRequests sent into a pty nobody reads yet
    /// would all be answered at once later.
    private func connectHostOnFirstFrame(at now: Instant) {
        guard !hostStarted, host != nil else { return }
        hostStarted = true
        host?.connect(at: now)
    }

    /// The scripted operator types at most one command, and only when the last one
    /// has been answered.
    private func drive(at now: Instant) {
        guard var h = host else { return }
        defer { host = h }
        if h.isConnected, h.pendingCommands == 0, let command = script.next(at: now, after: summary.firmware) {
            do throws(HostEndpoint.SendError) {
                try h.send(command, at: now)
                summary.commandsSent += 1
                log("\(now): sending \(command)")
            } catch {
                log("\(now): \(command) not sent: \(error)")
            }
        }
        h.noteFramesDropped(links.host?.statistics.framesDropped ?? 0)
        h.poll(at: now)
    }

    /// The driven procedure is over once the operator has nothing more to do (the
    /// scripted console's rule, `OperatorProcedure.isFinished`); the tail runs on.
    private func noteProcedureOver(at now: Instant) {
        guard options.driveProcedure, finishedAt == nil, let t = summary.firmware, host?.isConnected == true,
              now >= scenario.scheduledStart, script.isFinished(t) else { return }
        finishedAt = now
        log("procedure over: firmware \(t.state) (\(t.stateReason)); serving the \(scenario.tail) tail")
    }

    // MARK: Sending

    private func queue(_ frame: Frame) {
        if links.queue(frame) { summary.framesOut.add(frame.message.type) } else { summary.writesNotTaken += 1 }
    }

    private func flush(at now: Instant) {
        if var h = host {
            while let frame = h.nextOutgoing() { queue(frame) }
            host = h
        }
        links.flush { error, _ in
            if error.kind == .writeTimedOut {
                // The peer is not reading (a firmware not started yet, or stuck): this
                // tick's frames are dropped, the plant goes on.
                summary.writesNotTaken += 1
            } else {
                linkError(error, reading: false)
            }
        }
    }

    private func linkError(_ error: LinkError, reading: Bool) {
        if reading { summary.readErrors += 1; consecutiveReadErrors += 1 } else { summary.writeErrors += 1 }
        switch error.kind {
        case .disconnected, .closed, .notFound:
            linkFailure = error.description
        default:
            if consecutiveReadErrors >= Self.readErrorsBeforeFailure {
                linkFailure = "\(consecutiveReadErrors) read errors in a row, the last: \(error)"
            }
            if summary.readErrors + summary.writeErrors <= Self.linkErrorsLogged { log("link: \(error)") }
        }
    }
}

/// The plant and what looks at it: its sensors, the fluoroscopy observer, the end
/// switches and a stuck-input fault, as the firmware's inputs would show them.
private struct ServedPlant {
    var plant: VertebroplastyPlant
    var sensors: PlantSensors
    var observer: FluoroscopyObserver
    let stuck: (Switch, StuckInputFault)?
    let plungerFitted: Bool

    init(_ scenario: Scenario, seed: UInt64) {
        (plant, sensors) = scenario.plantAndSensors(seed: seed)
        observer = FluoroscopyObserver(policy: scenario.observer)
        stuck = scenario.stuckInputFault
        plungerFitted = scenario.controller.positionSensorFitted
    }

    /// Advances the plant to `now` at the firmware's step position and reads what its
    /// sensors and switches show, with the operator's pedal at `pedal`.
    mutating func sample(at now: Instant, commanded: Steps, pedal: Activation) -> SimulatedSensors {
        plant.advance(to: now, commandedSteps: commanded)
        let truth = plant.state
        let reading = sensors.read(truth)
        observer.watch(truth, now: now)
        var switches = SwitchInputs(
            enable: pedal,
            posteriorQuarterStop: observer.posteriorQuarterButton(at: now),
            leakSeenStop: observer.leakButton(at: now),
            forwardEndOfTravel: truth.atForwardEnd ? .active : .inactive,
            rearEndOfTravel: truth.plungerTravel.rawValue <= 0 ? .active : .inactive)
        switches.apply(stuck, at: now)
        return SimulatedSensors(
            sampleTime: now, pressure: reading.pressure.value, pressureStatus: reading.pressure.status,
            plungerPosition: plungerFitted ? reading.plungerPosition.value : nil,
            plungerStatus: reading.plungerPosition.status, pressureTwin: reading.pressureTwin?.value,
            pressureTwinStatus: reading.pressureTwin?.status ?? .missing, switches: switches)
    }
}
