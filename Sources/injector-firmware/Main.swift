#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorConfigFile
import InjectorCore
import InjectorFirmware
import InjectorHardware
import InjectorLinks
import InjectorProtocol
import InjectorToolSupport
import Logging

/// The version this build reports in its IdentifyResponse and `--version`: the one in `ToolVersion`.
let firmwareVersion = FirmwareVersion(major: ToolVersion.major, minor: ToolVersion.minor, patch: ToolVersion.patch)

@main
struct Firmware: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-firmware",
        abstract: "The injector's firmware: the controller at its tick rate, on a board or against a simulator.",
        version: ToolVersion.text,
        subcommands: [Run.self, Validate.self, ConfigHash.self, LoopLatency.self, StepTimingCommand.self, Chips.self, Inputs.self,
                      Selftest.self,
                      NewSession.self],
        defaultSubcommand: Run.self)
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the controller (board: --board; hardware in the loop: --sim-link).")

    @Option(help: "Injector configuration (YAML), e.g. hardware/configs/lumbar-10ml-11g.yaml.")
    var config: String
    @Option(help: "Board file (hardware/boards/*.yaml): drive real GPIO lines and ADCs.")
    var board: String?
    @Option(help: "Simulator link (pty path, serial port, unix:/path, or 'pty' to create one): SimSensors in, SimActuators out.")
    var simLink: String?
    @Option(help: "Host link for the protocol (same forms). Without it, the sim link carries the host protocol too.")
    var hostLink: String?
    @Option(help: "Baud rate for real serial ports.") var baud = 115_200
    @Option(help: "Telemetry period in ms (1 ms sends every tick at 1 kHz; 115200 baud carries about 150 frames/s).")
    var telemetryMs = 10.0
    @Option(help: "SCHED_FIFO priority (1–99); 0 keeps the default scheduler.") var priority: Int32 = 80
    @Option(help: "Step thread SCHED_FIFO priority (1–99, above --priority); 0: no step thread, each tick's steps go out as a burst at its start.")
    var stepPriority: Int32 = 85
    @Option(help: "Step thread busy spin before each due time, in µs (0–1000).") var stepSpinUs: Int64 = 20
    @Flag(help: "Do not lock memory (mlockall).") var noMlock = false
    @Flag(help: "Do not hold /dev/cpu_dma_latency at 0 µs (lets the CPUs enter deep idle states).")
    var noCpuLatency = false
    @Option(help: "Stop after this many seconds (for tests and measurements).") var seconds: Double?
    @Option(help: "Log level: \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).") var logLevel = "info"
    @Option(help: "The volume ledger file (what this level and session hold, kept across restarts). Required with --board; without it a simulator run keeps the ledger in memory only.")
    var ledger: String?

    func validate() throws {
        if (board == nil) == (simLink == nil) {
            throw ValidationError("give exactly one of --board (real hardware) or --sim-link (hardware in the loop)")
        }
        if board != nil && hostLink == nil {
            throw ValidationError("--board needs --host-link for the host protocol")
        }
        guard telemetryMs >= 0.1 && telemetryMs <= 10_000 else { throw ValidationError("--telemetry-ms: 0.1 – 10000") }
        guard priority >= 0 && priority <= 99 else { throw ValidationError("--priority: 0 – 99") }
        guard (0...99).contains(stepPriority) else { throw ValidationError("--step-priority: 0 – 99, got \(stepPriority)") }
        guard (0...1000).contains(stepSpinUs) else { throw ValidationError("--step-spin-us: 0 – 1000, got \(stepSpinUs)") }
        _ = try parsedLogLevel(logLevel)
        if let ledger, let problem = OutputPath.problem(writing: ledger, option: "--ledger") {
            throw ExitCode(failure(.outputFailed, problem))
        }
    }

    func run() throws {
        let level = try parsedLogLevel(logLevel)
        // Off the control thread: the tick only queues its lines (LogQueue).
        let logQueue = LogQueue { line in _ = line.withCString { Glibc.write(2, $0, strlen($0)) } }
        defer { logQueue.close() }
        LoggingSystem.bootstrap { label in
            var handler = MillisecondLogHandler(label: label) { line in logQueue.enqueue(line) }
            handler.logLevel = level
            return handler
        }
        let log = Logger(label: "injector.firmware")

        let validated: ValidatedConfiguration
        do { validated = try ConfigurationFile.load(path: config) } catch {
            log.critical("configuration \(config): \(error)")
            throw ExitCode(2)
        }
        let c = validated.configuration
        let hash = ConfigurationFingerprint.hash(c)
        log.notice("injector-firmware \(firmwareVersion): configuration \(config), hash 0x\(String(hash, radix: 16)), tick \(c.tickRate)")
        installSignalHandlers()
        // The ledger before any line is touched: a board run without one never starts.
        let (restored, store) = try openLedger(board: board != nil, log)

        let maxSteps = StepGenerator.maxStepsPerTick(maxStepRate: c.drive.maxStepRate, tickRate: c.tickRate)
        let io: any InjectorIO
        var simulator: SimulatorPort?
        var hostChannel: FrameChannel?
        var simChannel: FrameChannel?
        if let board {
            io = try openBoard(board, c, maxStepsPerTick: maxSteps, log)
        } else {
            let port = SimulatorPort()
            io = SimulatedIO(port: port, clock: .firmware, maxStepsPerTick: maxSteps)
            simulator = port
            simChannel = FrameChannel(link: try open(simLink!, "sim", log))
        }
        if let hostLink, hostLink != simLink {
            hostChannel = FrameChannel(link: try open(hostLink, "host", log))
        } else {
            hostChannel = simChannel   // one link for the simulator and the host
        }

        let loop = FirmwareLoop(configuration: validated, io: io,
                                links: TrafficLinks(host: hostChannel, simulation: simChannel), simulator: simulator,
                                firmwareVersion: firmwareVersion, telemetryPeriod: .milliseconds(telemetryMs), logger: log,
                                ledger: restored, ledgerStore: store)
        store?.start()
        let latencyRequest = applyRealTime(log)
        defer { latencyRequest?.release() }
        if let step = (io as? BoardIO)?.startStepThread() {
            if step.succeeded { log.info("real-time: \(step)") } else { log.warning("real-time: \(step)") }
        }
        // Under systemd's Type=notify: READY=1 once running, WATCHDOG=1 from healthy ticks.
        let notifier = ServiceNotifier()
        if let n = notifier {
            log.notice("systemd notify socket \(n.socketPath), watchdog \(n.watchdogInterval.map { "\($0.seconds) s" } ?? "off")")
        }
        var runner = FirmwareRunner(timer: TickTimer(period: c.tickRate.period, clock: SystemClock()), notifier: notifier)
        let maxTicks = seconds.map { UInt64(max(0, $0) * c.tickRate.rawValue) }
        log.notice("running; SIGINT or SIGTERM stops the motor and exits")
        let ending = runner.run(loop, maxTicks: maxTicks)
        loop.shutDown(at: SystemClock().now())
        let k = loop.counters
        log.notice("stopped (\(ending)): driver disabled. \(k.ticks) ticks, \(k.commandsApplied) commands, \(k.eventsRaised) events, \(k.telemetrySent) telemetry, \(runner.timer.overruns) overruns, \(runner.watchdogFeeds) watchdog feeds, \(runner.unhealthyTicks) unhealthy ticks; wake-up latency \(runner.latency.summary); CPU: \(runner.cpu.perTick(runner.ticksRun)); log: \(logQueue.written) lines written, \(logQueue.dropped) dropped")
        if let hardware = (io as? BoardIO)?.hardware { logBoardSummary(hardware, log) }
        if case .fault = ending { throw ExitCode(4) }
    }

    /// The sensor threads and the charge pump, at shutdown.
    private func logBoardSummary(_ hardware: BoardHardware, _ log: Logger) {
        for sampler in hardware.deviceSamplers {
            let scheduling = sampler.scheduling.withLock { $0 }
            log.notice("sensors on \(sampler.device): \(sampler.channelCount) channels in one thread, a round every \(sampler.interval), \(scheduling)")
        }
        if let pump = hardware.chargePump {
            log.notice("charge pump: \(pump.edges) edges (one per healthy tick), \(pump.failures) failed toggles")
        }
    }

    /// mlockall, SCHED_FIFO, timer slack and the CPU latency request, each logged; the
    /// request holds until it is released or the process exits.
    private func applyRealTime(_ log: Logger) -> CPULatencyRequest? {
        let rt = RealTimeSetup.apply(RealTimeSetup.Options(
            lockMemory: !noMlock, fifoPriority: priority == 0 ? nil : priority, timerSlackNanoseconds: 1))
        let (latencyRequest, latencyStep) = noCpuLatency ? (nil, nil) : CPULatencyRequest.hold()
        for step in rt + [latencyStep].compactMap({ $0 }) {
            if step.succeeded { log.info("real-time: \(step)") } else { log.warning("real-time: \(step)") }
        }
        return latencyRequest
    }

    /// The board file, checked against the configuration, and its lines and sensors opened.
    private func openBoard(_ board: String, _ c: InjectorConfiguration, maxStepsPerTick: Int,
                           _ log: Logger) throws -> any InjectorIO {
        let boardConfiguration: BoardConfiguration
        do { boardConfiguration = try BoardConfigurationFile.load(path: board) } catch {
            log.critical("\(error)")
            throw ExitCode(2)
        }
        let fit = SensorFit(c, board: boardConfiguration)
        for w in fit.warnings { log.warning("\(config) and \(board): \(w)") }
        guard fit.errors.isEmpty else {
            for e in fit.errors { log.critical("\(config) and \(board): \(e)") }
            throw ExitCode(2)
        }
        log.notice("board \(boardConfiguration.name): libgpiod \(GPIOCalls.libraryVersion)")
        let hardware: BoardHardware
        // The sensor threads run below the loop's priority (none when the loop has none).
        let samplerPriority = priority == 0 ? nil : max(1, min(priority - 10, DeviceSampler.defaultPriority))
        do { hardware = try BoardHardware.open(boardConfiguration, samplerPriority: samplerPriority) } catch {
            log.critical("\(error)")
            throw ExitCode(3)
        }
        log.notice("board lines on \(hardware.chip.name) [\(hardware.chip.label)]; \(hardware.nameCheck)")
        let stepThread = stepPriority == 0 ? nil : StepThread.Options(priority: stepPriority, spin: .microseconds(stepSpinUs))
        return BoardIO(hardware: hardware, maxStepsPerTick: maxStepsPerTick, stepThread: stepThread)
    }

    /// The persisted ledger (a board run must have one), written back at once so a
    /// read-only or missing directory is found before anything moves.
    private func openLedger(board: Bool, _ log: Logger) throws -> (VolumeLedger, LedgerStore?) {
        guard let ledger else {
            if board {
                log.critical("a board run needs --ledger PATH: the volume delivered in a level and a session must survive a restart")
                throw ExitCode(2)
            }
            log.warning("volume ledger kept in memory only (no --ledger): a restart forgets it")
            return (VolumeLedger(), nil)
        }
        let store = LedgerStore(path: ledger)
        let loaded: (ledger: VolumeLedger, isNew: Bool)
        do { loaded = try store.load() } catch {
            log.critical("\(error)")
            throw ExitCode(2)
        }
        store.writeNow(loaded.ledger)
        if let error = store.lastError {
            log.critical("volume ledger \(ledger): \(error)")
            throw ExitCode(2)
        }
        let l = loaded.ledger
        log.notice("volume ledger \(ledger): \(loaded.isNew ? "new session" : "resumed"): level \(l.levelIndex)\(l.levelPrimed ? " (primed)" : ""), \(l.levelBefore) in this level, \(l.sessionBefore) in the session")
        return (l, store)
    }

    private func open(_ spec: String, _ role: String, _ log: Logger) throws -> any ByteLink {
        do {
            let link = try openLink(spec, baudRate: baud)
            if let pty = link as? PseudoTerminalLink, spec == "pty" {
                log.notice("\(role) link: created \(pty.devicePath); open it from the other side")
                print("\(role)-link \(pty.devicePath)")
                fflush(nil)
            } else {
                log.notice("\(role) link: \(link.name)")
            }
            return link
        } catch {
            log.critical("\(role) link: \(error)")
            throw ExitCode(3)
        }
    }
}

/// SIGINT and SIGTERM set `stopRequest`; the loop sees it within one tick, stops the
/// motor and releases the lines. A second signal while stopping is ignored.
func installSignalHandlers() {
    for signal in [SIGINT, SIGTERM] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in stopRequest.store(sig, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        if sigaction(signal, &action, nil) != 0 {
            perror("sigaction")
        }
    }
}

struct ConfigHash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-hash", abstract: "Print the configuration hash a host should expect.")
    @Option(help: "Injector configuration (YAML).") var config: String
    @Flag(help: "Print the canonical text that is hashed.") var canonical = false
    func run() throws {
        let validated: ValidatedConfiguration
        do { validated = try ConfigurationFile.load(path: config) } catch {
            print("error: \(error)")
            throw ExitCode(2)
        }
        if canonical { print(ConfigurationFingerprint.canonicalText(validated.configuration), terminator: "") }
        print("0x" + String(ConfigurationFingerprint.hash(validated.configuration), radix: 16))
    }
}

struct LoopLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop-latency",
        abstract: "Measure the real-time loop's wake-up latency (no controller, no I/O).")
    @Option(help: "Tick rate in Hz.") var rate = 1000.0
    @Option(help: "Duration in seconds.") var seconds = 5.0
    @Option(help: "SCHED_FIFO priority; 0 keeps the default scheduler.") var priority: Int32 = 0
    @Flag(help: "Lock memory.") var mlock = false
    @Option(help: "Timer slack in ns; 0 keeps the default.") var slack: UInt = 0
    @Flag(help: "Do not hold /dev/cpu_dma_latency at 0 µs (cyclictest holds it unless told otherwise).")
    var noCpuLatency = false

    func run() throws {
        let steps = RealTimeSetup.apply(RealTimeSetup.Options(
            lockMemory: mlock, fifoPriority: priority == 0 ? nil : priority,
            timerSlackNanoseconds: slack == 0 ? nil : slack))
        let (latencyRequest, latencyStep) = noCpuLatency ? (nil, nil) : CPULatencyRequest.hold()
        defer { latencyRequest?.release() }
        for step in steps + [latencyStep].compactMap({ $0 }) { print("setup: \(step)") }
        var timer = TickTimer(period: Hertz(rate).period, clock: SystemClock())
        var histogram = LatencyHistogram()
        let ticks = Int(rate * seconds)
        for _ in 0..<ticks { histogram.record(timer.waitForNextTick().latency) }
        print("\(ticks) ticks at \(rate) Hz: wake-up latency \(histogram.summary); overruns \(timer.overruns), missed deadlines \(timer.missedDeadlines)")
    }
}

/// A new patient: the old ledger is archived beside itself and an empty one written.
/// Run on the device itself (a local action): nothing on the serial link can do this.
struct NewSession: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-session",
        abstract: "Start a new session (patient): archive the volume ledger and begin an empty one.")
    @Option(help: "The volume ledger file.") var ledger: String
    func run() throws {
        let store = LedgerStore(path: ledger)
        if let old = try? store.load(allowMissing: true), !old.isNew {
            let archive = "\(ledger).\(time(nil))"
            guard rename(ledger, archive) == 0 else {
                throw ExitCode(failure(.outputFailed, "cannot archive \(ledger): \(String(cString: strerror(errno)))"))
            }
            print("archived \(ledger) as \(archive): level \(old.ledger.levelIndex), \(old.ledger.sessionBefore) in that session")
        } else if access(ledger, F_OK) == 0 {
            let archive = "\(ledger).unreadable.\(time(nil))"
            guard rename(ledger, archive) == 0 else {
                throw ExitCode(failure(.outputFailed, "cannot archive \(ledger): \(String(cString: strerror(errno)))"))
            }
            print("archived an unreadable \(ledger) as \(archive)")
        }
        if let problem = OutputPath.problem(writing: ledger, option: "--ledger") {
            throw ExitCode(failure(.outputFailed, problem))
        }
        store.writeNow(VolumeLedger())
        if let error = store.lastError { throw ExitCode(failure(.outputFailed, "\(error)")) }
        print("new session: \(ledger) holds an empty ledger")
    }
}

/// A `--log-level` value, or a usage error that lists the allowed ones.
func parsedLogLevel(_ text: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: text) else {
        throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")); got '\(text)'")
    }
    return level
}
