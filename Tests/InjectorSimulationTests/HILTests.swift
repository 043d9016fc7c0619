import Foundation
import InjectorCore
import InjectorLinks
import InjectorProtocol
import Synchronization
import Testing
@testable import InjectorSimulation

/// `injector-sim serve` against fake firmwares over a real openpty pair, in real time.
@Suite(.serialized) struct HILTests {
    /// Runs the server on its own thread over the pty's controller side; returns the
    /// summary and the log once it has ended.
    final class ServerThread: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        let lines = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        private let result = Mutex<HILSummary?>(nil)

        init(_ scenario: Scenario, link: any ByteLink, options: HILOptions) {
            let server = HILServer(scenario: scenario, simLink: link, options: options) { [weak self] line in
                self?.lines.withLock { $0.append(line) }
            }
            Thread { [self] in
                let summary = server.run { self.stop.load(ordering: .relaxed) }
                result.withLock { $0 = summary }
                done.signal()
            }.start()
        }

        var isDone: Bool { result.withLock { $0 != nil } }
        func wait() -> (HILSummary, [String]) {
            done.wait()
            return (result.withLock { $0! }, lines.withLock { $0 })
        }
    }

    static func monotonic() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// A fake firmware in a few lines: every SimSensors is answered with SimActuators
    /// whose step position runs at 4 000 steps/s, except for a 300 ms silence.
    @Test(.timeLimit(.minutes(1)))
    func fakeFirmwarePushesThePlungerAndItsSilenceIsReported() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let (controller, device) = try PseudoTerminalLink.openPair()
        let server = ServerThread(scenario, link: controller,
                                  options: HILOptions(duration: .seconds(1.6), staleAfter: .milliseconds(100)))

        // Room for a backlog after a stall (the shared machine runs other suites meanwhile).
        let channel = FrameChannel(link: device, writeCapacity: 512)
        let start = Self.monotonic()
        let silence = (Interval.seconds(0.7), Interval.seconds(1.0))
        var sequence = SequenceNumber(0)
        var answered = 0, sensorsSeen = 0, otherFrames = 0
        var firstPressure: Kilopascals?, lastPressure = Kilopascals(0), pressureBeforeSilence = Kilopascals(0)
        var lastPosition = Steps.zero
        while !server.isDone, Self.monotonic() - start < .seconds(5) {
            let now = Self.monotonic()
            let t = now - start
            try channel.receive(timeout: .milliseconds(1)) { frame in
                guard case .simSensors(let s) = frame.message else { otherFrames += 1; return }
                sensorsSeen += 1
                if firstPressure == nil { firstPressure = s.pressure }
                lastPressure = s.pressure
                if t < silence.0 { pressureBeforeSilence = s.pressure }
                guard t < silence.0 || t >= silence.1 else { return }
                lastPosition = Steps(Int64(4000 * t.seconds))
                channel.queue(Frame(.simActuators(SimulatedActuators(
                    time: now, stepPosition: lastPosition, stepRate: StepsPerSecond(4000), driver: .enabled, alarm: .off)),
                    sequence: sequence))
                sequence = sequence.next
                answered += 1
            }
            try channel.flush(timeout: .milliseconds(10))
        }
        let (summary, lines) = server.wait()
        print(summary.text)
        print("fake firmware: \(sensorsSeen) SimSensors, \(answered) answered, decoder \(channel.statistics)")

        #expect(summary.ending == .durationReached)
        #expect(summary.duration >= .seconds(1.6) && summary.duration < .seconds(2.5))
        // Real time at 1 kHz: 1 600 ticks, run or skipped after a stall of the shared machine.
        let ticks = summary.ticks + summary.skippedTicks
        #expect(ticks > 1500 && ticks < 1700, "\(summary.ticks) ticks + \(summary.skippedTicks) skipped")
        // Frames both ways, none corrupted, none lost.
        #expect(summary.framesOut[.simSensors] == UInt64(summary.ticks))
        #expect(sensorsSeen > summary.ticks / 2 && otherFrames == 0)
        #expect(answered > 500 && summary.framesIn[.simActuators] > 500)
        // The last answers may arrive after the server stopped reading; none more.
        #expect(summary.framesIn[.simActuators] <= UInt64(answered))
        #expect(summary.actuatorsReceived == summary.framesIn[.simActuators])
        #expect(summary.decoder.framesDropped == 0 && summary.decoder.sequenceGaps == 0)
        #expect(channel.statistics.framesDropped == 0 && channel.statistics.sequenceGaps == 0)
        // The plant followed the steps (~4 000 steps/s for 1.3 s of answers ≈ 270 µL
        // displaced); the pressure rose, and the firmware saw it rise through SimSensors.
        #expect(summary.stepPosition <= lastPosition && summary.stepPosition.count > 4000,
                "\(summary.stepPosition) of \(lastPosition)")
        #expect(summary.displaced.rawValue > 200, "displaced \(summary.displaced)")
        #expect(summary.peakPressure.rawValue > 50, "peak \(summary.peakPressure)")
        #expect(lastPressure.rawValue > (firstPressure?.rawValue ?? 0) + 30,
                "pressure over the wire \(String(describing: firstPressure)) → \(lastPressure)")
        #expect(pressureBeforeSilence.rawValue > (firstPressure?.rawValue ?? 0))
        // The 300 ms silence: reported once, as long as it was; the firmware came back.
        // (A starved fake firmware on a busy machine is silent more often: a real silence.)
        #expect(summary.staleEpisodes >= 1 && summary.staleEpisodes <= 3)
        #expect(summary.longestSilence >= .milliseconds(280) && summary.longestSilence <= .milliseconds(600),
                "longest silence \(summary.longestSilence)")
        #expect(!summary.staleAtEnd)
        #expect(lines.contains { $0.contains("firmware silent") }, "\(lines)")
        #expect(lines.contains { $0.contains("SimActuators again") })
    }

    /// A firmware that never answers: the plant holds still, the silence is reported,
    /// and SIGINT's path (the stop flag) ends the session with a summary.
    @Test(.timeLimit(.minutes(1)))
    func silentFirmwareHoldsThePlantAndStopEndsCleanly() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let (controller, device) = try PseudoTerminalLink.openPair()
        let server = ServerThread(scenario, link: controller, options: HILOptions(staleAfter: .milliseconds(50)))
        let channel = FrameChannel(link: device)
        let start = Self.monotonic()
        var sensors = 0
        while Self.monotonic() - start < .seconds(0.5) {
            try channel.receive(timeout: .milliseconds(1)) { if case .simSensors = $0.message { sensors += 1 } }
        }
        server.stop.store(true, ordering: .relaxed)
        let (summary, lines) = server.wait()
        #expect(summary.ending == .stopRequested)
        #expect(sensors > 300)
        #expect(summary.actuatorsReceived == 0 && summary.firstActuatorsAt == nil)
        #expect(summary.displaced == .zero && summary.stepPosition == .zero)
        #expect(lines.contains { $0.contains("no SimActuators yet") })
        #expect(summary.text.contains("never heard from the firmware"))
    }

    /// A firmware made of the real controller, the protocol's FirmwareEndpoint and a
    /// SimulatorPort on one pty, split as the firmware splits it (`TrafficLinks`); runs
    /// until the server ends (or 5 s) and returns what it saw.
    struct FakeFirmware {
        var core: InjectionController
        var endpoint: FirmwareEndpoint
        let port = SimulatorPort()
        var states: [InjectorState] = []
        var links: TrafficLinks

        init(_ scenario: Scenario, link: any ByteLink, configurationHash: UInt64) throws {
            core = InjectionController(configuration: try scenario.controller.validated())
            endpoint = FirmwareEndpoint(
                firmwareVersion: FirmwareVersion(major: 9, minor: 9, patch: 9), configurationHash: configurationHash,
                tickRate: scenario.controller.tickRate, timing: LinkTiming(telemetryPeriod: .milliseconds(10)))
            links = TrafficLinks(shared: FrameChannel(link: link))
        }

        mutating func run(until server: ServerThread) {
            var position = 0.0
            let start = HILTests.monotonic()
            while !server.isDone, HILTests.monotonic() - start < .seconds(5) {
                let now = HILTests.monotonic()
                links.receive(host: { endpoint.receive($0, at: now) }, simulation: { port.receive($0, at: now) },
                              failed: { error, _ in Issue.record("read: \(error)") })
                var command: HostCommand?
                while let notice = endpoint.nextNotice() { if case .command(let c) = notice { command = c } }
                if let (s, _) = port.latest {
                    let out = core.step(ControllerInputs(
                        now: now, stepPosition: Steps(Int64(position)), pressure: SensorSample(
                            value: s.pressure, sampledAt: now, status: s.pressureStatus),
                        plungerPosition: nil, switches: s.switches, command: command, hostLastHeard: endpoint.hostLastHeard))
                    if let reply = out.reply { endpoint.reply(reply, at: now) }
                    for e in core.events { _ = endpoint.raise(e) }
                    if endpoint.isTelemetryDue(at: now) {
                        endpoint.sendTelemetry(TelemetryReport(snapshot: out.telemetry), at: now)
                    }
                    if states.last != out.telemetry.state { states.append(out.telemetry.state) }
                    position += out.driver == .enabled ? out.stepRate.rawValue * 0.001 : 0
                    port.send(SimulatedActuators(time: now, stepPosition: Steps(Int64(position)),
                                                 stepRate: out.stepRate, driver: out.driver, alarm: out.alarm))
                }
                endpoint.poll(at: now)
                while let frame = endpoint.nextOutgoing() { links.queue(frame) }
                if let frame = port.nextOutgoing() { links.queue(frame) }
                links.flush { error, _ in Issue.record("write: \(error)") }
                usleep(1000)
            }
        }
    }

    /// Serves 01-nominal from the moment of priming (the pedal is down, priming may
    /// start at once) to a fake firmware reporting `hash`, driving the procedure.
    func driveFakeFirmware(reporting hash: UInt64?, check: ConfigurationCheck)
        throws -> (HILSummary, [String], FakeFirmware) {
        let scenario = try loadScenario("01-nominal.yaml")
        let (controllerSide, device) = try PseudoTerminalLink.openPair()
        let server = ServerThread(scenario, link: controllerSide, options: HILOptions(
            lead: scenario.operatorPolicy.primeLead, duration: .seconds(2), driveProcedure: true, configuration: check))
        var firmware = try FakeFirmware(scenario, link: device,
                                        configurationHash: hash ?? ConfigurationFingerprint.hash(scenario.controller))
        firmware.run(until: server)
        let (summary, lines) = server.wait()
        print(summary.text)
        print("fake firmware states: \(firmware.states)")
        for line in lines { print("  log: \(line)") }
        return (summary, lines, firmware)
    }

    /// `--drive-procedure` against a firmware running the scenario's configuration:
    /// identified (no adoption needed), mixed and primed; the plant moves under the
    /// controller's steps; neither side's session saw a simulation frame.
    @Test(.timeLimit(.minutes(1)))
    func drivenProcedurePrimesAControllerOverTheSharedLink() throws {
        let (summary, lines, firmware) = try driveFakeFirmware(reporting: nil, check: .scenario)
        let scenario = try loadScenario("01-nominal.yaml")
        #expect(summary.identity?.configurationHash == ConfigurationFingerprint.hash(scenario.controller))
        #expect(!lines.contains { $0.contains("adopted") })
        // cementMixed once (mixing is not repeated), then prime.
        #expect(summary.commandsSent == 2 && summary.commandsAccepted == 2, "\(lines)")
        #expect(lines.filter { $0.contains("sending cementMixed") }.count == 1)
        // Mixing is dated by the plant's own cement age (it began long before the session),
        // so the firmware's working-time clock agrees with the plant's.
        #expect(lines.contains { $0.contains("sending cementMixedAgo") })
        let firmwareAge = try #require(firmware.core.mixedAt.map { Self.monotonic() - $0 })
        let plantAgeAtBegin = summary.plantStart - .origin
        #expect(firmwareAge >= plantAgeAtBegin && firmwareAge <= plantAgeAtBegin + .seconds(10),
                "firmware says \(firmwareAge), plant began at \(plantAgeAtBegin)")
        #expect(firmware.states.contains(.priming), "\(firmware.states)")
        #expect(summary.displaced.rawValue > 50, "priming moved the plunger: \(summary.displaced)")
        #expect(summary.firmware?.state == .priming || summary.firmware?.state == .primed)
        #expect(summary.decoder.framesDropped == 0 && firmware.links.host?.statistics.framesDropped == 0)
        // The shared link split by type on both sides: each session saw host frames only,
        // each port simulation frames only, and each side's two counters left no gap.
        #expect(firmware.endpoint.counters.unexpectedMessages == 0 && firmware.port.counters.unexpectedMessages == 0)
        #expect(firmware.port.counters.sensorsReceived > 1000)
        #expect(summary.misrouted == TrafficLinks.Misrouted() && firmware.links.misrouted == TrafficLinks.Misrouted())
        #expect(summary.decoder.sequenceGaps == 0 && firmware.links.host?.statistics.sequenceGaps == 0)
    }

    /// A firmware that reports another configuration hash than the scenario's is
    /// refused: not one command, the session ends, both hashes in the message.
    @Test(.timeLimit(.minutes(1)))
    func aFirmwareRunningAnotherConfigurationIsRefused() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let expected = ConfigurationFingerprint.hash(scenario.controller)
        let (summary, lines, firmware) = try driveFakeFirmware(reporting: 0xC0FFEE, check: .scenario)
        let mismatch = IdentityMismatch.configurationHash(firmware: 0xC0FFEE, expected: expected)
        #expect(summary.ending == .firmwareRefused(mismatch))
        #expect(summary.refusal == mismatch && summary.identity == nil)
        #expect(summary.commandsSent == 0 && firmware.core.state == .idle)
        let message = "\(summary.ending)"
        #expect(message.contains("0xc0ffee") && message.contains("0x" + String(expected, radix: 16)), "\(message)")
        #expect(lines.contains { $0.contains("not commanding the firmware") && $0.contains("0xc0ffee") })
        #expect(summary.text.contains("refused:"))
        #expect(summary.duration < .seconds(1.5), "ended at the refusal, not at the 2 s limit")
    }

    /// `--adopt-firmware-configuration`: the same firmware is commanded, and the log
    /// says which hash was adopted in place of which.
    @Test(.timeLimit(.minutes(1)))
    func adoptingTheFirmwaresConfigurationIsExplicit() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let expected = ConfigurationFingerprint.hash(scenario.controller)
        let (summary, lines, _) = try driveFakeFirmware(reporting: 0xC0FFEE, check: .adoptFirmware)
        #expect(summary.ending == .durationReached)
        #expect(summary.identity?.configurationHash == 0xC0FFEE)
        #expect(lines.contains { $0.contains("adopted") && $0.contains("0xc0ffee")
                                 && $0.contains("0x" + String(expected, radix: 16)) }, "\(lines)")
        #expect(summary.commandsSent == 2 && summary.commandsAccepted == 2, "\(lines)")
    }
}
