import InjectorCore
import InjectorHardware
import InjectorLinks
import InjectorProtocol
import Logging

/// Counters for the log and the shutdown summary.
public struct FirmwareCounters: Equatable, Sendable {
    public var ticks: UInt64 = 0
    /// Ticks skipped because the IO had no inputs yet.
    public var ticksWithoutInputs: UInt64 = 0
    public var commandsApplied: UInt64 = 0
    public var eventsRaised: UInt64 = 0
    public var telemetrySent: UInt64 = 0
    public var outputFailures: UInt64 = 0
    public var consecutiveOutputFailures: UInt64 = 0
    public var hostReadErrors: UInt64 = 0
    public var hostWriteErrors: UInt64 = 0
    public var simReadErrors: UInt64 = 0
    public var simWriteErrors: UInt64 = 0
}

/// One firmware tick, with no clock and no thread of its own: the runner (or a test)
/// calls `tick(at:)` with the tick's time.
///
/// Per tick: read what the host (and the simulator) sent; hand at most one command to
/// the controller; read switches and sensors; step the controller; answer the
/// command; drive ENABLE, STEP/DIR and the buzzer; queue events, telemetry and the
/// heartbeat; write everything in one call per link. Link I/O never waits (timeouts
/// of zero): a host that stops reading costs frames, never the loop's timing.
///
/// The links carry two kinds of traffic, split by `TrafficLinks`: the host session
/// (`endpoint`) and, in hardware in the loop, the simulation I/O (`simulator`, the port
/// the simulated IO reads its sensors from and reports its outputs to).
public final class FirmwareLoop {
    public private(set) var controller: InjectionController
    public private(set) var endpoint: FirmwareEndpoint
    public let io: any InjectorIO
    public let links: TrafficLinks
    /// The simulated hardware's port; `nil` on a board.
    public let simulator: SimulatorPort?
    public let tickPeriod: Interval
    /// How often the firmware sends a Heartbeat: ten a second keeps a quiet link's
    /// silence (between telemetry at a slow `--telemetry-ms`) far below any link timeout.
    public static let heartbeatPeriod = Interval.milliseconds(100)
    /// The shortest host-link timeout the loop uses, whatever the configuration says:
    /// two heartbeat periods, so one late heartbeat of a live host never declares its
    /// link lost (`LinkTiming` requires the timeout to exceed the period).
    public static let minimumLinkTimeout = Interval.milliseconds(200)
    /// Consecutive output failures after which the loop asks to stop (`mustStop`).
    public let outputFailureLimit: UInt64
    public private(set) var counters = FirmwareCounters()
    public private(set) var lastOutputs: ControllerOutputs?
    /// Set when the loop cannot go on safely (outputs keep failing); the runner stops.
    public private(set) var mustStop: String?
    private var logger: Logger
    /// Where the volume ledger is persisted; `nil` keeps it in memory only (tests, HIL).
    public let ledgerStore: LedgerStore?
    private var ledgerPublished: VolumeLedger?
    /// The ledger's margin while cement moves: the fastest flow over one write interval.
    private let ledgerMargin: Microliters
    private var pendingCommand: HostCommand?
    private var lastLinkErrorLog: Instant?

    /// `simulator` is the port of a `SimulatedIO` (the same object), fed from `links`.
    public init(configuration: ValidatedConfiguration, io: any InjectorIO, links: TrafficLinks,
                simulator: SimulatorPort? = nil, firmwareVersion: FirmwareVersion, telemetryPeriod: Interval,
                logger: Logger = Logger(label: "injector.firmware"), outputFailureLimit: UInt64 = 3,
                ledger: VolumeLedger = VolumeLedger(), ledgerStore: LedgerStore? = nil) {
        let c = configuration.configuration
        controller = InjectionController(configuration: configuration, ledger: ledger)
        self.ledgerStore = ledgerStore
        ledgerMargin = Microliters(c.rates.maxInjectionFlow.rawValue * LedgerStore.writeInterval.seconds)
        let timing = LinkTiming(heartbeatPeriod: Self.heartbeatPeriod,
                                linkTimeout: max(c.faults.hostLinkTimeout, Self.minimumLinkTimeout),
                                telemetryPeriod: telemetryPeriod)
        endpoint = FirmwareEndpoint(firmwareVersion: firmwareVersion,
                                    configurationHash: ConfigurationFingerprint.hash(c),
                                    tickRate: c.tickRate, timing: timing)
        self.io = io
        self.links = links
        self.simulator = simulator
        self.tickPeriod = c.tickRate.period
        self.logger = logger
        self.outputFailureLimit = outputFailureLimit
    }

    /// Runs one tick at `now`.
    public func tick(at now: Instant) {
        counters.ticks &+= 1
        receive(at: now)
        drainNotices(at: now)

        guard let sensed = io.readInputs(at: now) else {
            // No inputs yet (simulator not started): hold still, keep serving the link.
            // A command waits in `pendingCommand` for the first tick with inputs.
            counters.ticksWithoutInputs &+= 1
            endpoint.poll(at: now)
            flush(at: now)
            return
        }
        let command = pendingCommand
        pendingCommand = nil
        let inputs = ControllerInputs(now: now, stepPosition: io.stepPosition, pressure: sensed.pressure,
                                      plungerPosition: sensed.plungerPosition, pressureTwin: sensed.pressureTwin,
                                      switches: sensed.switches,
                                      command: command, hostLastHeard: endpoint.hostLastHeard,
                                      driverFault: sensed.driverFault)
        let out = controller.step(inputs)
        lastOutputs = out
        if let reply = out.reply {
            endpoint.reply(reply, at: now)
            if reply == .accepted(.queryStatus) { endpoint.sendStatus(StatusReport(snapshot: out.telemetry), at: now) }
            counters.commandsApplied &+= 1
            logger.info("command \(reply.command): \(replyText(reply))")
        } else if command != nil {
            // The controller answers every command it is given; a missing reply would
            // leave the host resending, so say so loudly.
            logger.error("controller gave no reply to \(String(describing: command))")
        }

        let actuation = io.apply(out, at: now, tick: tickPeriod)
        if let failure = actuation.failure {
            counters.outputFailures &+= 1
            counters.consecutiveOutputFailures &+= 1
            logger.critical("output failed: \(failure)")
            if counters.consecutiveOutputFailures >= outputFailureLimit {
                mustStop = "outputs failed \(counters.consecutiveOutputFailures) ticks in a row: \(failure)"
            }
        } else {
            counters.consecutiveOutputFailures = 0
        }

        publishLedger()
        for event in controller.events {
            counters.eventsRaised &+= 1
            endpoint.raise(event)
            log(event)
        }
        if endpoint.isTelemetryDue(at: now) {
            endpoint.sendTelemetry(TelemetryReport(snapshot: out.telemetry), at: now)
            counters.telemetrySent &+= 1
        }
        if let host = links.host { endpoint.noteFramesDropped(host.statistics.framesDropped) }
        endpoint.poll(at: now)
        flush(at: now)
    }

    /// Hands the ledger to its store when it changed: with a margin while cement moves.
    private func publishLedger() {
        guard let ledgerStore else { return }
        var ledger = controller.persistentLedger
        if controller.state == .injecting || controller.state == .releasing { ledger = ledger.adding(ledgerMargin) }
        guard ledger != ledgerPublished else { return }
        ledgerPublished = ledger
        ledgerStore.publish(ledger)
    }

    /// Stops motion for good: the IO disables the driver and releases its lines; a
    /// simulator gets a last SimActuators with the driver disabled.
    public func shutDown(at now: Instant) {
        io.safeStop(at: now)
        flush(at: now)
        // Motion has stopped: the exact ledger, without the moving margin, and synchronously.
        if let ledgerStore {
            ledgerStore.stop()
            ledgerStore.writeNow(controller.persistentLedger)
        }
    }

    // MARK: Links

    /// Host frames to the endpoint, simulation frames to the simulator's port.
    private func receive(at now: Instant) {
        links.receive(host: { endpoint.receive($0, at: now) }, simulation: { simulator?.receive($0, at: now) },
                      failed: { error, role in
                          if role == .simulation { counters.simReadErrors &+= 1 } else { counters.hostReadErrors &+= 1 }
                          logLinkError(error, at: now)
                      })
    }

    private func drainNotices(at now: Instant) {
        // Bounded by the endpoint's inbox (FirmwareEndpoint.Inbox).
        while let notice = endpoint.nextNotice() {
            switch notice {
            case .sessionStarted:
                logger.notice("host identified: new session")
            case .command(let command):
                if pendingCommand == nil { pendingCommand = command }
                else { logger.error("second command in one tick dropped: \(command)") }
            case .hostLinkLost:
                logger.warning("host link lost (no valid frame for \(endpoint.timing.linkTimeout))")
            case .hostLinkRestored:
                logger.notice("host link restored")
            }
        }
    }

    /// Everything queued, onto the link of its traffic; frames for a link that is not
    /// there (a board run without a host) are dropped.
    private func flush(at now: Instant) {
        while let frame = endpoint.nextOutgoing() { links.queue(frame) }
        if let frame = simulator?.nextOutgoing() { links.queue(frame) }
        links.flush { error, role in
            if role == .simulation { counters.simWriteErrors &+= 1 } else { counters.hostWriteErrors &+= 1 }
            logLinkError(error, at: now)
        }
    }

    /// At most one link error a second in the log; all are counted.
    private func logLinkError(_ error: LinkError, at now: Instant) {
        if let last = lastLinkErrorLog, now - last < .seconds(1) { return }
        lastLinkErrorLog = now
        logger.warning("link: \(error)")
    }

    private func log(_ event: ControllerEvent) {
        switch event.kind {
        case .faultLatched, .hazardDetected: logger.error("event: \(event)")
        case .warning, .limitReached, .commandRefused: logger.warning("event: \(event)")
        default: logger.notice("event: \(event)")
        }
    }

    private func replyText(_ reply: CommandReply) -> String {
        switch reply {
        case .accepted: "accepted"
        case .refused(_, let refusal): "refused (\(refusal))"
        }
    }
}
