import InjectorCore
import InjectorLinks
import InjectorPlant
import InjectorProtocol

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
    /// The configuration hash the driven host requires; `nil`: adopt the firmware's
    /// (reported in the log) instead of refusing to command it.
    public var expectedConfigurationHash: UInt64?
    /// Replaces the scenario's seed (sensor noise).
    public var seed: UInt64?

    public init(lead: Interval? = nil, duration: Interval? = nil, staleAfter: Interval = .milliseconds(100),
                sensorEvery: Int = 1, driveProcedure: Bool = false, expectedConfigurationHash: UInt64? = nil,
                seed: UInt64? = nil) {
        precondition(sensorEvery >= 1, "sensorEvery must be at least 1")
        precondition(staleAfter.nanoseconds > 0, "staleAfter must be positive")
        self.lead = lead
        self.duration = duration
        self.staleAfter = staleAfter
        self.sensorEvery = sensorEvery
        self.driveProcedure = driveProcedure
        self.expectedConfigurationHash = expectedConfigurationHash
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
/// One thread; link I/O never waits (timeouts of zero), so a peer that stops reading
/// costs frames, not the plant's timing.
public final class HILServer: @unchecked Sendable {
    public let scenario: Scenario
    public let options: HILOptions
    private let simChannel: FrameChannel
    /// A separate link for the driven host; `nil`: the host shares the sim link.
    private let hostChannel: FrameChannel?
    private let log: @Sendable (String) -> Void

    private var summary: HILSummary
    private var host: HostEndpoint?
    private var script: ProcedureScript
    private var ownSequence = SequenceNumber(0)
    /// The host's cumulative event acknowledgement, copied into SimSensors sent outside
    /// the host endpoint on a shared link, so they never acknowledge an unseen event.
    private var eventAck = SequenceNumber(0)
    private var firstEventSeen: SequenceNumber?

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

    /// `simLink` carries SimSensors/SimActuators (and the host protocol when
    /// `hostLink` is `nil`); `log` receives one line per notable happening.
    public init(scenario: Scenario, simLink: any ByteLink, hostLink: (any ByteLink)? = nil,
                options: HILOptions = HILOptions(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.scenario = scenario
        self.options = options
        self.simChannel = FrameChannel(link: simLink)
        self.hostChannel = hostLink.map { FrameChannel(link: $0) }
        self.log = log
        script = ProcedureScript(policy: scenario.operatorPolicy, scheduledStart: scenario.scheduledStart)
        summary = HILSummary(scenario: scenario.name, link: simLink.name, hostLink: hostLink?.name,
                             ending: .stopRequested, duration: .zero, plantStart: .origin, plantEnd: .origin,
                             ticks: 0, lateTicks: 0, skippedTicks: 0, worstLateness: .zero)
        if options.driveProcedure {
            host = HostEndpoint(expectedConfigurationHash: options.expectedConfigurationHash ?? 0)
        }
    }

    /// Plant time of the first tick.
    public var begin: Instant {
        let lead = options.lead ?? scenario.operatorPolicy.primeLead + .seconds(2)
        let t = scenario.scheduledStart - lead
        return t < .origin ? .origin : t
    }

    /// Serves until `shouldStop` returns true (checked every tick), the duration is
    /// up, the driven procedure is over, or a link fails; returns the summary.
    public func run(shouldStop: () -> Bool) -> HILSummary {
        let period = scenario.controller.tickRate.period
        var (plant, sensors) = scenario.plantAndSensors(seed: options.seed ?? scenario.seed)
        var observer = FluoroscopyObserver(policy: scenario.observer)
        let stuck = scenario.stuckInputFault
        let fitted = scenario.controller.positionSensorFitted
        let begin = self.begin
        let end = scenario.scheduledStart + scenario.maxDuration
        var finishedAt: Instant?
        summary.plantStart = begin
        let where_ = hostChannel.map { " on \($0.link.name)" } ?? " on the same link"
        let driving = options.driveProcedure ? "; driving the procedure" + where_ : ""
        log("serving \(scenario.name): plant from \(begin) (cement \(fixed((begin - .origin).seconds)) s old), scheduled start at \(scenario.scheduledStart), tick \(period)\(driving)")

        var pacer = TickPacer(period: period)
        var now = begin
        var index: Int64 = 0
        while true {
            if shouldStop() { summary.ending = .stopRequested; break }
            if let failure = linkFailure { summary.ending = .linkFailed(failure); break }
            if let d = options.duration, pacer.elapsed >= d { summary.ending = .durationReached; break }
            if now > end { summary.ending = .scenarioTimeUp; break }
            if let f = finishedAt, now >= f + scenario.tail { summary.ending = .procedureFinished; break }

            receive(at: now)
            drainHostNotices(at: now)
            watchSilence(at: now)

            plant.advance(to: now, commandedSteps: commanded)
            let truth = plant.state
            let reading = sensors.read(truth)
            observer.watch(truth, now: now)
            var switches = SwitchInputs(
                enable: script.holdsPedal(at: now) ? .active : .inactive,
                posteriorQuarterStop: observer.posteriorQuarterButton(at: now),
                leakSeenStop: observer.leakButton(at: now),
                forwardEndOfTravel: truth.atForwardEnd ? .active : .inactive,
                rearEndOfTravel: truth.plungerTravel.rawValue <= 0 ? .active : .inactive)
            switches.apply(stuck, at: now)
            if index % Int64(options.sensorEvery) == 0 {
                send(SimulatedSensors(
                    sampleTime: now, pressure: reading.pressure.value, pressureStatus: reading.pressure.status,
                    plungerPosition: fitted ? reading.plungerPosition.value : nil,
                    plungerStatus: reading.plungerPosition.status, pressureTwin: reading.pressureTwin?.value,
                    pressureTwinStatus: reading.pressureTwin?.status ?? .missing, switches: switches))
            }
            if latest?.driver == .enabled { summary.driverEnabledTicks += 1 }

            drive(at: now)
            if options.driveProcedure, finishedAt == nil, let t = summary.firmware, host?.isConnected == true,
               now >= scenario.scheduledStart, script.isFinished(t) {
                finishedAt = now
                log("procedure over: firmware \(t.state) (\(t.stateReason)); serving the \(scenario.tail) tail")
            }
            flush(at: now)

            summary.ticks += 1
            index = pacer.waitForNextTick(interrupted: shouldStop)
            now = begin + period * index
        }

        let truth = plant.state
        summary.duration = pacer.elapsed
        summary.plantEnd = truth.time
        summary.lateTicks = pacer.lateTicks
        summary.skippedTicks = pacer.skippedTicks
        summary.worstLateness = pacer.worstLateness
        summary.decoder = simChannel.statistics
        summary.hostDecoder = hostChannel?.statistics
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
        return summary
    }

    // MARK: Receiving

    private func receive(at now: Instant) {
        read(simChannel, at: now) { frame in handleSimFrame(frame, at: now) }
        if let hostChannel {
            read(hostChannel, at: now) { frame in
                summary.framesIn.add(frame.message.type)
                connectHostOnFirstFrame(at: now)
                host?.receive(frame, at: now)
            }
        }
    }

    /// At most 8 reads of 4 KiB a tick, none waiting.
    private func read(_ channel: FrameChannel, at now: Instant, _ deliver: (Frame) -> Void) {
        for _ in 0..<8 {
            do throws(LinkError) {
                if try channel.receive(timeout: .zero, deliver) == 0 { break }
                consecutiveReadErrors = 0
            } catch {
                linkError(error, reading: true)
                break
            }
        }
    }

    private func handleSimFrame(_ frame: Frame, at now: Instant) {
        summary.framesIn.add(frame.message.type)
        if hostChannel == nil { connectHostOnFirstFrame(at: now) }
        if case .simActuators(let a) = frame.message {
            apply(a, at: now)
        } else if host != nil && hostChannel == nil {
            host?.receive(frame, at: now)
        } else if case .telemetry(let report) = frame.message {
            noteTelemetry(report)
        } else if case .event = frame.message, firstEventSeen == nil {
            firstEventSeen = frame.sequence
        }
    }

    private func apply(_ a: SimulatedActuators, at now: Instant) {
        if let previous = latest, let at = latestAt {
            // A step count that jumps further than the reported rates allow (a firmware
            // restarted counts from 0 again) is rebased: the plunger stays where it is.
            let dt = Swift.max((now - at).seconds, 0.001)
            let bound = 2 * Swift.max(abs(previous.stepRate.rawValue), abs(a.stepRate.rawValue)) * dt + 64
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
                if case .configurationHash(let firmware, _) = mismatch, options.expectedConfigurationHash == nil {
                    log("\(now): firmware runs configuration 0x\(String(firmware, radix: 16)); adopted (pass --config-hash to require one)")
                    h = HostEndpoint(expectedConfigurationHash: firmware, timing: h.timing)
                    h.connect(at: now)
                } else {
                    log("\(now): not commanding the firmware: \(mismatch)")
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
            case .event(let event, _):
                summary.eventsReceived += 1
                log("\(now): event \(event)")
            case .actuators(let a):
                apply(a, at: now)
            case .linkLost:
                log("\(now): host link lost (no frame from the firmware for \(h.timing.linkTimeout)); identifying again")
            }
        }
    }

    /// The host identifies once the firmware has been heard: IdentifyRequests sent
    /// into a pty nobody reads yet would all be answered at once later.
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
        h.noteFramesDropped((hostChannel ?? simChannel).statistics.framesDropped)
        h.poll(at: now)
    }

    // MARK: Sending

    private func send(_ sensors: SimulatedSensors) {
        if hostChannel == nil, var h = host, h.isConnected {
            h.sendSensors(sensors)
            host = h
            return
        }
        // On a shared link every frame acknowledges events: never one not received.
        let ack = hostChannel != nil ? SequenceNumber(0)
            : host != nil ? eventAck : (firstEventSeen?.previous ?? SequenceNumber(0))
        queue(Frame(.simSensors(sensors), sequence: ownSequence, acknowledgement: ack), on: simChannel)
        ownSequence = ownSequence.next
    }

    private func queue(_ frame: Frame, on channel: FrameChannel) {
        if channel.queue(frame) { summary.framesOut.add(frame.message.type) } else { summary.writesNotTaken += 1 }
    }

    private func flush(at now: Instant) {
        if var h = host {
            let channel = hostChannel ?? simChannel
            while let frame = h.nextOutgoing() {
                if !frame.message.type.isReliable {
                    // Keep one frame counter on a shared link, and the host's event ack.
                    if hostChannel == nil { ownSequence = frame.sequence.next }
                    if frame.message.type != .identifyRequest { eventAck = frame.acknowledgement }
                }
                queue(frame, on: channel)
            }
            host = h
        }
        write(simChannel)
        if let hostChannel { write(hostChannel) }
    }

    private func write(_ channel: FrameChannel) {
        do throws(LinkError) {
            try channel.flush(timeout: .zero)
        } catch where error.kind == .writeTimedOut {
            // The peer is not reading (a firmware not started yet, or stuck): this
            // tick's frames are dropped, the plant goes on.
            summary.writesNotTaken += 1
        } catch {
            linkError(error, reading: false)
        }
    }

    private func linkError(_ error: LinkError, reading: Bool) {
        if reading { summary.readErrors += 1; consecutiveReadErrors += 1 } else { summary.writeErrors += 1 }
        switch error.kind {
        case .disconnected, .closed, .notFound:
            linkFailure = error.description
        default:
            if consecutiveReadErrors >= 100 { linkFailure = "100 read errors in a row, the last: \(error)" }
            if summary.readErrors + summary.writeErrors <= 5 { log("link: \(error)") }
        }
    }
}
