#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorFirmware
import InjectorHardware
import InjectorLinks
import InjectorProtocol
import Testing

/// systemd's Type=notify protocol and the watchdog fed only from healthy ticks (issue 10, "Watchdogs").
@Suite(.serialized) struct ServiceWatchdogTests {
    /// A datagram socket standing in for systemd's notification socket.
    final class NotifySocket {
        let path: String
        let fd: Int32
        init(_ dir: TemporaryDirectory) {
            path = dir.path + "/notify"
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var a = sockaddr_un()
            a.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &a.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
            let rc = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            precondition(rc == 0, "bind failed")
        }
        deinit { close(fd) }
        /// Every datagram waiting, in order.
        func drain() -> [String] {
            var out: [String] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return out }
                out.append(String(decoding: buffer[0..<n], as: UTF8.self))
            }
        }
    }

    /// A reader that never reads fills the queue; the sender goes on without waiting.
    @Test func aFullSocketNeverBlocksTheSender() throws {
        let dir = TemporaryDirectory()
        defer { dir.destroy() }
        let systemd = NotifySocket(dir)
        let notifier = try #require(ServiceNotifier(socketPath: systemd.path, watchdogMicroseconds: nil))
        var sent = 0
        for _ in 0..<1000 where notifier.notify("WATCHDOG=1") { sent += 1 }
        #expect(sent > 0 && sent < 1000 && notifier.sendFailures == UInt64(1000 - sent))
        #expect(systemd.drain().count == sent)
    }

    @Test func withoutNotifySocketThereIsNothingToNotify() {
        #expect(ServiceNotifier(socketPath: nil, watchdogMicroseconds: 1_000_000) == nil)
        #expect(ServiceNotifier(socketPath: "relative/path", watchdogMicroseconds: nil) == nil)
    }

    @Test func aFeedIsSentAtMostEveryQuarterInterval() {
        var feed = WatchdogFeed(interval: .milliseconds(100))
        var sent = 0
        var now = Instant(nanoseconds: 0)
        for _ in 0..<100 {
            now = now + .milliseconds(1)
            if feed.healthyTick(at: now) { sent += 1 }
        }
        #expect(sent == 4)  // at 1, 26, 51 and 76 ms
    }

    /// A board loop on a fake clock: READY=1 first, WATCHDOG=1 while ticks are healthy,
    /// none once its outputs fail, STOPPING=1 at the end.
    @Test func onlyHealthyTicksFeedTheWatchdog() throws {
        let dir = TemporaryDirectory()
        defer { dir.destroy() }
        let systemd = NotifySocket(dir)
        let notifier = try #require(ServiceNotifier(socketPath: systemd.path, watchdogMicroseconds: 20_000))
        #expect(notifier.watchdogInterval == .milliseconds(20))
        dir.write("iio:device0/in_voltage0_raw", "2700\n")
        dir.write("iio:device0/in_voltage0_scale", "0.1875\n")
        let fake = FakeGPIO()
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        let hardware = try BoardHardware.open(board, calls: fake.calls, iioRoot: dir.path, backgroundSampling: false)
        fake.state.withLock { $0.inputs = [5: .low, 6: .high, 13: .high, 19: .high, 26: .high, 20: .high, 21: .high] }
        let loop = FirmwareLoop(configuration: try shippedConfiguration(),
                                io: BoardIO(hardware: hardware, maxStepsPerTick: 30),
                                links: TrafficLinks(host: nil, simulation: nil),
                                firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: FirmwareLoopTests.quiet)
        var runner = FirmwareRunner(timer: TickTimer(period: .milliseconds(1), clock: FakeClock()), notifier: notifier)
        // Ten runs of 10 ticks, read in between: the socket's queue holds only 10 datagrams.
        var healthy: [String] = []
        for _ in 0..<10 {
            #expect(runner.run(loop, maxTicks: 10) == .tickLimit)
            healthy += systemd.drain()
        }
        #expect(healthy.first == "READY=1" && healthy.last == "STOPPING=1")
        #expect(healthy.filter { $0 == "WATCHDOG=1" }.count == 20)  // every 5 ms of 100 ms
        #expect(runner.unhealthyTicks == 0 && notifier.sendFailures == 0)

        // ENABLE writes fail: each tick's outputs fail, so no tick is healthy.
        fake.state.withLock { $0.failingSets = [22] }
        _ = runner.run(loop, maxTicks: 2)
        let failing = systemd.drain()
        #expect(!failing.contains("WATCHDOG=1"))
        #expect(runner.unhealthyTicks >= 2)
        loop.shutDown(at: Instant(nanoseconds: 10_000_000_000))
    }
}
