import InjectorCore
import InjectorProtocol

/// The operator console's session core: pure state driven by inputs (frames, the
/// clock, the operator's requests), so both faces (web dashboard, terminal) and the
/// tests use the same logic without a browser, a terminal or a thread.
///
/// It identifies the firmware and refuses to command one that runs another
/// configuration than the file it was given (`HostEndpoint`), heartbeats, keeps the
/// latest telemetry, a thinned plot history and an event list, and puts every command
/// through `CommandAvailability` and, where it moves cement or changes the plan, a
/// confirmation that says what will happen (resume names the pause reason it
/// acknowledges).
public struct ConsoleSession: Sendable {
    public enum LinkStatus: Equatable, Sendable {
        /// Not opened yet, or reopening after the device went away.
        case closed(String)
        case identifying
        case connected(FirmwareIdentity)
        /// The firmware runs another configuration or protocol: nothing is sent.
        case refused(IdentityMismatch)
        /// The firmware went silent (or the device vanished) after it had been heard.
        case lost(String)
    }

    /// A command waiting for the operator's yes.
    public struct Confirmation: Equatable, Sendable {
        public var action: ConsoleAction
        public var command: HostCommand
        public var prompt: String
    }

    public let configuration: InjectorConfiguration
    public let expectedHash: UInt64
    public private(set) var link = LinkStatus.closed("not opened yet")
    public private(set) var telemetry: TelemetryReport?
    public private(set) var status: StatusReport?
    public private(set) var history = TelemetryHistory()
    public private(set) var log = ConsoleLog()
    public internal(set) var pending: Confirmation?
    var host: HostEndpoint
    private var began: Instant?

    public init(configuration: InjectorConfiguration, timing: LinkTiming = LinkTiming()) {
        self.configuration = configuration
        expectedHash = ConfigurationFingerprint.hash(configuration)
        host = HostEndpoint(expectedConfigurationHash: expectedHash, timing: timing)
    }

    public var isConnected: Bool { if case .connected = link { true } else { false } }
    public var hostCounters: HostEndpoint.Counters { host.counters }

    // MARK: The link

    /// The device is open: identify.
    public mutating func linkOpened(_ name: String, at now: Instant) {
        if began == nil { began = now }
        note("link \(name) open; identifying", .info, at: now)
        link = .identifying
        host.connect(at: now)
    }

    /// The device could not be opened: shown as such, unless a lost link is on the
    /// screen already (that stays until the firmware is identified again).
    public mutating func openFailed(_ why: String, at now: Instant) {
        if case .lost = link { return }
        if link != .closed(why) { note("cannot open the link: \(why)", .warning, at: now) }
        link = .closed(why)
    }

    /// The device could not be read or written (unplugged, the firmware's pty closed).
    public mutating func linkFailed(_ why: String, at now: Instant) {
        if case .closed = link { return }
        note("LINK LOST: \(why)", .alarm, at: now)
        link = .lost(why)
        pending = nil
        // Identifying again when the device comes back; queued commands fail now.
        host = HostEndpoint(expectedConfigurationHash: expectedHash, timing: host.timing)
    }

    public mutating func receive(_ frame: Frame, at now: Instant) {
        host.receive(frame, at: now)
        drainNotices(at: now)
    }

    /// Heartbeats, retransmissions, identify retries, the link timeout.
    public mutating func poll(at now: Instant) {
        host.poll(at: now)
        drainNotices(at: now)
    }

    public mutating func noteFramesDropped(_ count: UInt64) { host.noteFramesDropped(count) }
    public mutating func nextOutgoing() -> Frame? { host.nextOutgoing() }

    private mutating func drainNotices(at now: Instant) {
        while let notice = host.nextNotice() { handle(notice, at: now) }
    }

    private mutating func handle(_ notice: HostEndpoint.Notice, at now: Instant) {
        switch notice {
        case .identified(let identity):
            link = .connected(identity)
            note("identified firmware \(identity.firmwareVersion), configuration \(ConsoleFormat.hex(identity.configurationHash)) matches", .info, at: now)
        case .refused(let mismatch):
            link = .refused(mismatch)
            note("REFUSED: \(mismatch); no command will be sent", .alarm, at: now)
        case .reply(let reply, _):
            switch reply {
            case .accepted(let code): note("\(code) accepted", .info, at: now)
            case .refused(let code, let refusal): note("\(code) REFUSED: \(refusal)", .warning, at: now)
            }
        case .commandFailed(let command, let failure):
            note("\(command.code) not delivered: \(failure)", .warning, at: now)
        case .telemetry(let report):
            noteAlarmsChanged(from: telemetry, to: report, at: now)
            telemetry = report
            history.add(report)
        case .status(let report, _):
            status = report
            note("status: \(report.state), cap \(report.cap), committed \(report.committed), delivered \(report.delivered), level \(report.levelCommitted), session \(report.sessionCommitted)", .info, at: now)
        case .event(let event, _):
            let (text, severity) = ConsoleLog.describe(event)
            note(text, severity, at: now)
        case .linkLost:
            link = .lost("no frame from the firmware for \(host.timing.linkTimeout)")
            pending = nil
            note("LINK LOST: firmware silent for \(host.timing.linkTimeout); identifying again", .alarm, at: now)
        }
    }

    /// The e-stop switch is a hardware input: it shows in the list the moment it changes.
    private mutating func noteAlarmsChanged(from old: TelemetryReport?, to new: TelemetryReport, at now: Instant) {
        let was = old?.switches[.eStop].isActive ?? false
        let isActive = new.switches[.eStop].isActive
        if isActive && !was { note("E-STOP pressed", .alarm, at: now) }
        if !isActive && was { note("e-stop released", .info, at: now) }
    }

    mutating func note(_ text: String, _ severity: ConsoleEntry.Severity, at now: Instant) {
        let t = began.map { (now - $0).seconds } ?? 0
        log.add(text, severity, at: t)
    }
}
