import Foundation
import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol
import Testing
@testable import InjectorRouter

/// The router over real ptys: a device side played by a firmware session, two clients
/// that both hear it and both command it, and one capture with both directions.
@Suite(.serialized) struct LinkRouterTests {
    static let hash: UInt64 = 0xC0FFEE

    /// A pty pair for the device and one per client; the router runs on its own thread.
    final class Rig: @unchecked Sendable {
        let device: PseudoTerminalLink
        let clientEnds: [PseudoTerminalLink]
        let router: LinkRouter
        let capturePath: String
        let stop = NSLock()
        private var stopped = false
        private let done = DispatchSemaphore(value: 0)

        init(clients: Int, listeners: [UnixSocketListener] = []) throws {
            let (deviceController, deviceEnd) = try PseudoTerminalLink.openPair()
            device = deviceController
            var routerSides: [any ByteLink] = []
            var ends: [PseudoTerminalLink] = []
            for _ in 0..<clients {
                let (controller, end) = try PseudoTerminalLink.openPair()
                routerSides.append(controller)
                ends.append(end)
            }
            clientEnds = ends
            capturePath = NSTemporaryDirectory() + "router-\(UInt32.random(in: 0...UInt32.max)).cap"
            let writer = try CaptureWriter(path: capturePath, device: "test device", baudRate: 0)
            router = LinkRouter(open: { () throws(LinkError) in deviceEnd }, clients: routerSides,
                                listeners: listeners, capture: writer, report: { _ in })
            Thread { [self] in
                try? router.run { stop.withLock { stopped } }
                done.signal()
            }.start()
        }

        func finish() {
            stop.withLock { stopped = true }
            done.wait()
        }
    }

    /// A host on a client pty: its session, its channel, what it heard.
    struct Host {
        var endpoint = HostEndpoint(expectedConfigurationHash: LinkRouterTests.hash)
        let channel: FrameChannel
        var telemetry = 0
        var accepted: [CommandCode] = []
        init(_ link: PseudoTerminalLink) { channel = FrameChannel(link: link) }

        mutating func exchange(at now: Instant) throws {
            var frames: [Frame] = []
            try channel.receive(timeout: .zero) { frames.append($0) }
            for frame in frames { endpoint.receive(frame, at: now) }
            endpoint.poll(at: now)
            while let notice = endpoint.nextNotice() {
                switch notice {
                case .telemetry: telemetry += 1
                case .reply(.accepted(let code), _): accepted.append(code)
                default: break
                }
            }
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            try channel.flush()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func twoClientsBothHearTheFirmwareBothCommandAndTheCaptureHasBothDirections() throws {
        let rig = try Rig(clients: 2)
        let firmwareChannel = FrameChannel(link: rig.device)
        var firmware = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                        configurationHash: Self.hash, tickRate: Hertz(1000))
        var hosts = [Host(rig.clientEnds[0]), Host(rig.clientEnds[1])]
        var applied: [HostCommand] = []
        let start = monotonic()
        var phase = 0
        var doneAt: Instant?
        // Then one more second of telemetry (100 frames at 10 ms) to both.
        while monotonic() - start < .seconds(20), doneAt.map({ monotonic() - $0 < .seconds(1) }) ?? true {
            let now = monotonic()
            // The firmware: answers every command, telemetry every 10 ms.
            var frames: [Frame] = []
            try firmwareChannel.receive(timeout: .zero) { frames.append($0) }
            for frame in frames { firmware.receive(frame, at: now) }
            while let notice = firmware.nextNotice() {
                if case .command(let command) = notice {
                    applied.append(command)
                    firmware.reply(.accepted(command.code), at: now)
                }
            }
            if firmware.isTelemetryDue(at: now) { firmware.sendTelemetry(Self.report(at: now), at: now) }
            firmware.poll(at: now)
            while let frame = firmware.nextOutgoing() { firmwareChannel.queue(frame) }
            try firmwareChannel.flush()
            // The hosts take turns: the firmware has one host session, the last to identify holds it.
            if phase == 0 { hosts[0].endpoint.connect(at: now); phase = 1 }
            if phase == 1, hosts[0].endpoint.isConnected {
                try hosts[0].endpoint.send(.cementMixed, at: now)
                phase = 2
            }
            if phase == 2, hosts[0].accepted == [.cementMixed] { hosts[1].endpoint.connect(at: now); phase = 3 }
            if phase == 3, hosts[1].endpoint.isConnected, hosts[1].endpoint.pendingCommands == 0, hosts[1].accepted.isEmpty {
                try hosts[1].endpoint.send(.queryStatus, at: now)
            }
            if phase == 3, hosts[1].accepted == [.queryStatus] {
                phase = 4
                doneAt = now
            }
            for i in hosts.indices { try hosts[i].exchange(at: now) }
            Thread.sleep(forTimeInterval: 0.001)
        }
        rig.finish()
        #expect(phase == 4)
        #expect(applied == [.cementMixed, .queryStatus])
        #expect(hosts[0].accepted == [.cementMixed] && hosts[1].accepted == [.queryStatus])
        #expect(hosts[0].telemetry > 50 && hosts[1].telemetry > 50, "both hear the telemetry")
        #expect(rig.router.counters.framesToDevice.allSatisfy { $0 > 0 })

        // One capture, both directions, every frame whole: it decodes with no drop at all.
        try Self.expectBothDirectionsWhole(in: rig.capturePath)
        try? FileManager.default.removeItem(atPath: rig.capturePath)
        try? FileManager.default.removeItem(atPath: rig.capturePath + ".notes")
    }

    /// The capture's chunks, decoded per direction: nothing dropped, heartbeats both ways,
    /// both hosts' identifies and commands and their answers, the telemetry.
    static func expectBothDirectionsWhole(in path: String) throws {
        let capture = try CaptureReader.capture(path: path)
        #expect(capture.timed && capture.damage == nil)
        var fromFirmware = StreamDecoder(), toFirmware = StreamDecoder()
        var types: [MessageType: Int] = [:]
        var heartbeats: [CaptureDirection: Int] = [:]
        for chunk in capture.chunks {
            let count = { (d: Frame) in
                types[d.message.type, default: 0] += 1
                if d.message.type == .heartbeat { heartbeats[chunk.direction, default: 0] += 1 }
            }
            let bytes = Array(capture.body[chunk.range])
            if chunk.direction == .fromFirmware { fromFirmware.feed(bytes, count) } else { toFirmware.feed(bytes, count) }
        }
        #expect(fromFirmware.statistics.framesDropped == 0 && toFirmware.statistics.framesDropped == 0)
        #expect(heartbeats[.fromFirmware, default: 0] > 0 && heartbeats[.toFirmware, default: 0] > 0)
        #expect(types[.identifyRequest, default: 0] >= 2 && types[.identifyResponse, default: 0] >= 2)
        #expect(types[.command] == 2 && types[.ack] == 2)
        #expect(types[.telemetry, default: 0] > 100)
    }

    /// Two clients writing at once, each in one-byte dribbles, with garbage between:
    /// the device sees every frame whole and no garbage.
    @Test(.timeLimit(.minutes(1)))
    func framesOfTwoClientsNeverInterleaveOnTheDevice() throws {
        let rig = try Rig(clients: 2)
        let perClient = 200
        let writers = (0..<2).map { client in
            Thread {
                for i in 0..<perClient {
                    let frame = Frame(.heartbeat(Heartbeat(time: Instant(nanoseconds: Int64(client * 1_000_000 + i)),
                                                           framesDropped: 0)), sequence: SequenceNumber(UInt16(i)))
                    var bytes = FrameCodec.wireBytes(frame)
                    if i % 10 == 0 { bytes = [0x55, 0x13, 0x00] + bytes }   // a garbage frame first
                    for byte in bytes { try? rig.clientEnds[client].write([byte]) }
                }
            }
        }
        writers.forEach { $0.start() }
        let channel = FrameChannel(link: rig.device)
        var seen = [0, 0]
        let start = monotonic()
        while seen.reduce(0, +) < 2 * perClient, monotonic() - start < .seconds(20) {
            try channel.receive(timeout: .milliseconds(10)) { frame in
                if case .heartbeat(let beat) = frame.message { seen[Int(beat.time.nanoseconds / 1_000_000)] += 1 }
            }
        }
        rig.finish()
        #expect(seen == [perClient, perClient])
        #expect(channel.statistics.framesDropped == 0, "no half frame, no garbage reached the device")
        #expect(rig.router.clientStatistics(0).framesDropped == 20)
        try? FileManager.default.removeItem(atPath: rig.capturePath)
        try? FileManager.default.removeItem(atPath: rig.capturePath + ".notes")
    }

    /// Socket clients come and go: two peers of a `--out unix:` listener both hear the
    /// device and both reach it; one hangs up and the other is still served.
    @Test(.timeLimit(.minutes(1)))
    func socketPeersComeAndGo() throws {
        let path = NSTemporaryDirectory() + "router-\(UInt32.random(in: 0...UInt32.max)).sock"
        let rig = try Rig(clients: 0, listeners: [try UnixSocketListener(path: path)])
        let device = rig.device
        let peers = [try UnixSocketLink.connect(path: path), try UnixSocketLink.connect(path: path)]
        Thread.sleep(forTimeInterval: 0.1)
        let beat = { (n: Int) in FrameCodec.wireBytes(Frame(.heartbeat(Heartbeat(time: Instant(nanoseconds: Int64(n)),
                                                                                    framesDropped: 0)), sequence: SequenceNumber(0))) }
        try device.write(beat(7))
        for (i, peer) in peers.enumerated() { try peer.write(beat(100 + i)) }
        let fromDevice = FrameChannel(link: device)
        var reached: Set<Int64> = []
        let start = monotonic()
        while reached.count < 2, monotonic() - start < .seconds(5) {
            try fromDevice.receive(timeout: .milliseconds(10)) { if case .heartbeat(let h) = $0.message { reached.insert(h.time.nanoseconds) } }
        }
        #expect(reached == [100, 101], "both peers reach the device")
        var heard = [0, 0]
        for (i, peer) in peers.enumerated() {
            let channel = FrameChannel(link: peer)
            while heard[i] == 0, monotonic() - start < .seconds(5) {
                try channel.receive(timeout: .milliseconds(10)) { if $0.message == beat7Message { heard[i] += 1 } }
            }
        }
        #expect(heard == [1, 1], "both peers hear the device")
        peers[0].close()
        Thread.sleep(forTimeInterval: 0.1)
        try peers[1].write(beat(200))
        var after = false
        while !after, monotonic() - start < .seconds(5) {
            try fromDevice.receive(timeout: .milliseconds(10)) { if case .heartbeat(let h) = $0.message { after = h.time.nanoseconds == 200 } }
        }
        #expect(after, "the remaining peer is still served")
        rig.finish()
        #expect(rig.router.counters.framesToDevice == [1, 2])
        try? FileManager.default.removeItem(atPath: rig.capturePath)
        try? FileManager.default.removeItem(atPath: rig.capturePath + ".notes")
    }

    static func report(at now: Instant) -> TelemetryReport {
        TelemetryReport(time: now, state: .idle, relief: .none, stateReason: .none, driver: .disabled,
                        alarm: .off, switches: SwitchInputs(), hazards: [], stepPosition: .zero,
                        pressure: Kilopascals(0), delivered: .zero, committed: .zero, cap: Microliters(3000),
                        plungerPosition: nil, commandedFlow: MicrolitersPerSecond(0), stepRate: StepsPerSecond(0),
                        timeSinceMixing: nil, hostSilence: nil, releaseCycles: 0, eventsDropped: 0)
    }
}

let beat7Message = Message.heartbeat(Heartbeat(time: Instant(nanoseconds: 7), framesDropped: 0))

func monotonic() -> Instant {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
}
