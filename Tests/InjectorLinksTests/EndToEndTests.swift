import Foundation
import InjectorCore
import InjectorLinks
import InjectorProtocol
import Testing

/// A firmware loop and a host loop on two threads, talking over a real pty pair
/// (openpty): handshake, commands with acknowledgements, 1 kHz telemetry for 10 s,
/// then a cable cut that the firmware must notice within the link timeout.
@Suite struct EndToEndTests {
    static let hash: UInt64 = 0x5EED_CAFE
    static let telemetryFrames = 10_000

    final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var stop = false
        var cutAt: Instant?
        var firmwareLostAt: Instant?
        var telemetrySent = 0
        var commandsApplied = 0
        var firmwareStats = ReceiveStatistics()
        var linkErrors: [String] = []
        func with<T>(_ body: (Shared) -> T) -> T { lock.withLock { body(self) } }
    }

    static func monotonicNow() -> Instant {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    static func sleep(until deadline: Instant) {
        var ts = timespec(tv_sec: Int(deadline.nanoseconds / 1_000_000_000),
                          tv_nsec: Int(deadline.nanoseconds % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    static func report(_ index: Int, at now: Instant) -> TelemetryReport {
        // The index rides in the step position so the host can check for gaps and order.
        TelemetryReport(time: now, state: .injecting, relief: .none, stateReason: .none, driver: .enabled,
                        alarm: .off, switches: SwitchInputs(enable: .active), hazards: [],
                        stepPosition: Steps(Int64(index)), pressure: Kilopascals(1700),
                        delivered: Microliters(Double(index) / 10), committed: Microliters(Double(index) / 10),
                        cap: Microliters(3000), plungerPosition: nil, commandedFlow: MicrolitersPerSecond(66.667),
                        stepRate: StepsPerSecond(2812.5), timeSinceMixing: .seconds(240), hostSilence: .zero,
                        releaseCycles: 0, eventsDropped: 0)
    }

    /// The firmware side: a 1 ms loop on absolute deadlines.
    static func firmwareLoop(_ link: PseudoTerminalLink, _ shared: Shared) {
        let channel = FrameChannel(link: link)
        var endpoint = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                        configurationHash: hash, tickRate: Hertz(1000))
        var sent = 0
        var applied = 0
        var deadline = monotonicNow()
        while !shared.with({ $0.stop }) {
            let now = monotonicNow()
            do {
                while try channel.receive(timeout: .zero, { endpoint.receive($0, at: now) }) > 0 {}
            } catch {
                shared.with { $0.linkErrors.append("firmware read: \(error)") }
            }
            while let notice = endpoint.nextNotice() {
                switch notice {
                case .command(let command):
                    applied += 1
                    endpoint.reply(.accepted(command.code), at: now)
                case .hostLinkLost:
                    shared.with { if $0.firmwareLostAt == nil { $0.firmwareLostAt = now } }
                default:
                    break
                }
            }
            if endpoint.isHostLinkUp && sent < telemetryFrames {
                endpoint.sendTelemetry(report(sent, at: now), at: now)
                sent += 1
            }
            endpoint.poll(at: now)
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            do {
                try channel.flush(timeout: .milliseconds(2))
            } catch {
                shared.with { $0.linkErrors.append("firmware write: \(error)") }
            }
            let stats = channel.statistics
            shared.with {
                $0.telemetrySent = sent
                $0.commandsApplied = applied
                $0.firmwareStats = stats
            }
            deadline = deadline + .milliseconds(1)
            sleep(until: deadline)
        }
    }

    struct HostResult {
        var identified = false
        var telemetry = 0
        var outOfOrder = 0
        var commandsSent = 0
        var replies = 0
        var failures = 0
        var stats = ReceiveStatistics()
        var elapsed = Interval.zero
    }

    /// The host side: reads with a 1 ms timeout, sends a command every 100 ms.
    static func hostLoop(_ link: PseudoTerminalLink, _ shared: Shared) -> HostResult {
        let channel = FrameChannel(link: link)
        var endpoint = HostEndpoint(expectedConfigurationHash: hash)
        var result = HostResult()
        let start = monotonicNow()
        endpoint.connect(at: start)
        var nextCommand = start
        let commands: [HostCommand] = [.queryStatus, .cementMixed, .setRate(MicrolitersPerSecond(50)), .pause]
        while result.telemetry < telemetryFrames, monotonicNow() - start < .seconds(30) {
            let now = monotonicNow()
            do {
                try channel.receive(timeout: .milliseconds(1)) { endpoint.receive($0, at: now) }
            } catch {
                shared.with { $0.linkErrors.append("host read: \(error)") }
            }
            endpoint.poll(at: now)
            while let notice = endpoint.nextNotice() {
                switch notice {
                case .identified: result.identified = true
                case .telemetry(let report):
                    if report.stepPosition.count != Int64(result.telemetry) { result.outOfOrder += 1 }
                    result.telemetry += 1
                case .reply: result.replies += 1
                case .commandFailed, .linkLost, .refused: result.failures += 1
                default: break
                }
            }
            if endpoint.isConnected, now >= nextCommand {
                nextCommand = now + .milliseconds(100)
                if (try? endpoint.send(commands[result.commandsSent % commands.count], at: now)) != nil {
                    result.commandsSent += 1
                }
            }
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            do {
                try channel.flush()
            } catch {
                shared.with { $0.linkErrors.append("host write: \(error)") }
            }
        }
        result.elapsed = monotonicNow() - start
        // Let the last command's answer arrive, then cut the cable: stop all I/O.
        let settle = monotonicNow()
        while endpoint.pendingCommands > 0, monotonicNow() - settle < .milliseconds(200) {
            let now = monotonicNow()
            try? channel.receive(timeout: .milliseconds(1)) { endpoint.receive($0, at: now) }
            endpoint.poll(at: now)
            while case .some(let notice) = endpoint.nextNotice() { if case .reply = notice { result.replies += 1 } }
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            try? channel.flush()
        }
        result.stats = channel.statistics
        shared.with { $0.cutAt = monotonicNow() }
        return result
    }

    @Test(.timeLimit(.minutes(1)))
    func handshakeCommandsAndTenSecondsOfKilohertzTelemetryOverAPty() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        let shared = Shared()
        let firmwareDone = DispatchSemaphore(value: 0)
        Thread {
            Self.firmwareLoop(device, shared)
            firmwareDone.signal()
        }.start()
        let host = Self.hostLoop(controller, shared)
        // Wait for the firmware to notice the silence, at most 2 s.
        let waitStart = Date()
        while shared.with({ $0.firmwareLostAt }) == nil && Date().timeIntervalSince(waitStart) < 2 { usleep(1000) }
        shared.with { $0.stop = true }
        firmwareDone.wait()

        let (sent, applied, firmwareStats, cutAt, lostAt, errors) = shared.with {
            ($0.telemetrySent, $0.commandsApplied, $0.firmwareStats, $0.cutAt, $0.firmwareLostAt, $0.linkErrors)
        }
        let detection = zip(cutAt, lostAt).map { $1 - $0 }
        let detected: String = detection.map { "\($0)" } ?? "never"
        var summary = "end-to-end over \(device.devicePath): telemetry sent \(sent), received \(host.telemetry)"
        summary += " in \(host.elapsed) (out of order \(host.outOfOrder), host decoder dropped"
        summary += " \(host.stats.framesDropped), gaps \(host.stats.sequenceGaps)); commands sent \(host.commandsSent),"
        summary += " applied \(applied), answered \(host.replies), failed \(host.failures);"
        summary += " firmware decoder dropped \(firmwareStats.framesDropped); link cut detected after \(detected)"
        print(summary)
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        #expect(host.identified)
        #expect(sent == Self.telemetryFrames)
        #expect(host.telemetry == Self.telemetryFrames, "zero telemetry loss")
        #expect(host.outOfOrder == 0)
        #expect(host.stats.framesDropped == 0 && host.stats.sequenceGaps == 0)
        #expect(host.elapsed >= Interval.seconds(9.9), "paced at 1 kHz, not faster")
        #expect(host.commandsSent >= 90)
        #expect(applied == host.commandsSent && host.replies == host.commandsSent && host.failures == 0)
        #expect(firmwareStats.framesDropped == 0)
        let timeout = LinkTiming().linkTimeout
        #expect(detection.map { $0 <= timeout + .milliseconds(5) } == true, "cut detected within the link timeout")
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
