import InjectorCore
import InjectorConsole
import InjectorProtocol

/// A firmware for tests, in simulated time: the real controller (`InjectionController`)
/// and the real firmware session (`FirmwareEndpoint`), a perfect step generator and a
/// pressure that reads a constant. It talks in wire bytes, so the console under test
/// encodes and decodes exactly what it would over a serial line.
struct BenchFirmware: ~Copyable {
    var controller: InjectionController
    var endpoint: FirmwareEndpoint
    var steps: StepGenerator
    var decoder = StreamDecoder()
    var switches = SwitchInputs(bits: 0)
    var pressure = Kilopascals(150)
    var commandsSeen: [HostCommand] = []
    private var pendingCommand: HostCommand?
    let period: Interval

    init(_ configuration: InjectorConfiguration) {
        let validated = try! configuration.validated()
        controller = InjectionController(configuration: validated)
        endpoint = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 2, patch: 3),
                                    configurationHash: ConfigurationFingerprint.hash(configuration),
                                    tickRate: configuration.tickRate)
        steps = StepGenerator(maxStepRate: configuration.drive.maxStepRate, tickRate: configuration.tickRate)
        period = configuration.tickRate.period
    }

    /// What the controller would answer to `command` on the next tick, tried on a copy:
    /// the firmware itself is left as it was.
    func trial(_ command: HostCommand, at now: Instant) -> CommandReply? {
        var copy = controller
        let inputs = ControllerInputs(now: now, stepPosition: steps.position,
                                      pressure: SensorSample(value: pressure, sampledAt: now),
                                      switches: switches, command: command, hostLastHeard: now)
        return copy.step(inputs).reply
    }

    /// One control tick at `now`: takes what the host wrote, returns what the firmware writes.
    mutating func tick(at now: Instant, hostBytes: [UInt8]) -> [UInt8] {
        var frames: [Frame] = []
        decoder.feed(hostBytes) { frames.append($0) }
        for frame in frames { endpoint.receive(frame, at: now) }
        while let notice = endpoint.nextNotice() {
            if case .command(let command) = notice {
                commandsSeen.append(command)
                pendingCommand = command
            }
        }
        let inputs = ControllerInputs(now: now, stepPosition: steps.position,
                                      pressure: SensorSample(value: pressure, sampledAt: now),
                                      switches: switches, command: pendingCommand,
                                      hostLastHeard: endpoint.hostLastHeard)
        pendingCommand = nil
        let out = controller.step(inputs)
        if let reply = out.reply { endpoint.reply(reply, at: now) }
        _ = steps.advance(rate: out.stepRate, over: period, driver: out.driver)
        for event in controller.events { _ = endpoint.raise(event) }
        if endpoint.isTelemetryDue(at: now) { endpoint.sendTelemetry(TelemetryReport(snapshot: out.telemetry), at: now) }
        endpoint.poll(at: now)
        var bytes: [UInt8] = []
        while let frame = endpoint.nextOutgoing() { FrameCodec.encode(frame, appendingTo: &bytes) }
        return bytes
    }
}

/// A console session and a bench firmware joined by wire bytes, a tick at a time.
struct Bench: ~Copyable {
    var console: ConsoleSessionBox
    var firmware: BenchFirmware
    var now = Instant(nanoseconds: 1_000_000_000)
    var consoleDecoder = StreamDecoder()
    /// Cut the link: nothing passes either way.
    var cut = false

    init(console configuration: InjectorConfiguration, firmware firmwareConfiguration: InjectorConfiguration) {
        console = ConsoleSessionBox(ConsoleSession(configuration: configuration))
        firmware = BenchFirmware(firmwareConfiguration)
        console.session.linkOpened("bench", at: now)
    }

    mutating func run(_ interval: Interval) {
        let end = now + interval
        while now < end { tick() }
    }

    mutating func tick() {
        now = now + firmware.period
        var toFirmware: [UInt8] = []
        console.session.poll(at: now)
        while let frame = console.session.nextOutgoing() { FrameCodec.encode(frame, appendingTo: &toFirmware) }
        let toConsole = firmware.tick(at: now, hostBytes: cut ? [] : toFirmware)
        guard !cut else { return }
        var frames: [Frame] = []
        consoleDecoder.feed(toConsole) { frames.append($0) }
        for frame in frames { console.session.receive(frame, at: now) }
    }

    /// Runs until `done` holds or `limit` passes; returns whether it held.
    mutating func run(upTo limit: Interval, until done: (ConsoleSession) -> Bool) -> Bool {
        let end = now + limit
        while now < end {
            tick()
            if done(console.session) { return true }
        }
        return false
    }
}

/// Holds the session so that a ~Copyable bench can hand it out by reference.
final class ConsoleSessionBox {
    var session: ConsoleSession
    init(_ session: ConsoleSession) { self.session = session }
}

/// A configuration whose cement clock is short, so a test reaches injecting quickly.
func fastConfiguration() -> InjectorConfiguration {
    var c = InjectorConfiguration()
    c.cement = CementSpec(workingPhaseStart: .seconds(1), workingPhaseEnd: .seconds(600),
                          settingTime: .seconds(900), workingTimeWarning: .seconds(30))
    c.needle.deadVolume = Microliters(50)
    c.faults.consistencyMinimumPressure = Kilopascals(100)
    return c
}
