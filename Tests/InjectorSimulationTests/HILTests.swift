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

    /// A firmware made of the real controller and the protocol's FirmwareEndpoint on
    /// the same link: `--drive-procedure` identifies it (adopting its configuration
    /// hash), mixes and primes, and the plant moves under the controller's steps.
    @Test(.timeLimit(.minutes(1)))
    func drivenProcedurePrimesAControllerOverTheSharedLink() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        let (controllerSide, device) = try PseudoTerminalLink.openPair()
        // Begin at the moment of priming: the pedal is down, priming may start at once.
        let server = ServerThread(scenario, link: controllerSide, options: HILOptions(
            lead: scenario.operatorPolicy.primeLead, duration: .seconds(2), driveProcedure: true))

        let validated = try scenario.controller.validated()
        var core = InjectionController(configuration: validated)
        var endpoint = FirmwareEndpoint(
            firmwareVersion: FirmwareVersion(major: 9, minor: 9, patch: 9), configurationHash: 0xC0FFEE,
            tickRate: scenario.controller.tickRate,
            timing: LinkTiming(telemetryPeriod: .milliseconds(10)))
        let channel = FrameChannel(link: device)
        var sensors: SimulatedSensors?
        var position = 0.0
        var states: [InjectorState] = []
        let start = Self.monotonic()
        while !server.isDone, Self.monotonic() - start < .seconds(5) {
            let now = Self.monotonic()
            try channel.receive(timeout: .zero) { endpoint.receive($0, at: now) }
            var command: HostCommand?
            while let notice = endpoint.nextNotice() {
                switch notice {
                case .sensors(let s): sensors = s
                case .command(let c): command = c
                default: break
                }
            }
            if let s = sensors {
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
                endpoint.sendActuators(SimulatedActuators(time: now, stepPosition: Steps(Int64(position)),
                                                          stepRate: out.stepRate, driver: out.driver, alarm: out.alarm))
            }
            endpoint.poll(at: now)
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            try channel.flush(timeout: .milliseconds(10))
            usleep(1000)
        }
        let (summary, lines) = server.wait()
        print(summary.text)
        print("fake firmware states: \(states)")
        for line in lines { print("  log: \(line)") }
        #expect(summary.identity?.configurationHash == 0xC0FFEE, "\(lines.prefix(8))")
        #expect(lines.contains { $0.contains("adopted") })
        // cementMixed once (mixing is not repeated), then prime.
        #expect(summary.commandsSent == 2 && summary.commandsAccepted == 2, "\(lines)")
        #expect(lines.filter { $0.contains("sending cementMixed") }.count == 1)
        // Mixing is dated by the plant's own cement age (it began long before the session),
        // so the firmware's working-time clock agrees with the plant's.
        #expect(lines.contains { $0.contains("sending cementMixedAgo") })
        let firmwareAge = try #require(core.mixedAt.map { Self.monotonic() - $0 })
        let plantAgeAtBegin = summary.plantStart - .origin
        #expect(firmwareAge >= plantAgeAtBegin && firmwareAge <= plantAgeAtBegin + .seconds(10),
                "firmware says \(firmwareAge), plant began at \(plantAgeAtBegin)")
        #expect(states.contains(.priming), "\(states)")
        #expect(summary.displaced.rawValue > 50, "priming moved the plunger: \(summary.displaced)")
        #expect(summary.firmware?.state == .priming || summary.firmware?.state == .primed)
        #expect(summary.decoder.framesDropped == 0 && channel.statistics.framesDropped == 0)
        #expect(endpoint.counters.unexpectedMessages == 0)
    }
}
