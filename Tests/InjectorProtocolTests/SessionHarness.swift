import InjectorCore
import InjectorProtocol

/// A firmware and a host endpoint joined by a simulated wire: frames go through the
/// real encoder and stream decoder; `dropToHost` / `dropToFirmware` decide per frame
/// whether the wire loses it. Time advances in 1 ms ticks; nothing reads a clock.
struct SessionHarness {
    static let hash: UInt64 = 0xFEED_0000_0000_0001
    var firmware = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                    configurationHash: hash, tickRate: Hertz(1000))
    var host = HostEndpoint(expectedConfigurationHash: hash)
    var now = Instant(nanoseconds: 1_000_000_000)
    var dropToHost: (Frame) -> Bool = { _ in false }
    var dropToFirmware: (Frame) -> Bool = { _ in false }
    /// Whether the firmware answers commands (false simulates a stuck controller).
    var firmwareAnswers = true
    var applied: [HostCommand] = []
    var firmwareNotices: [FirmwareEndpoint.Notice] = []
    var hostNotices: [HostEndpoint.Notice] = []
    var framesToFirmware: [Frame] = []
    var framesToHost: [Frame] = []

    init() {}

    init(firmware: FirmwareEndpoint, host: HostEndpoint) {
        self.firmware = firmware
        self.host = host
    }

    mutating func connect() {
        host.connect(at: now)
        run(milliseconds: 5)
    }

    mutating func run(milliseconds: Int) {
        for _ in 0..<milliseconds { tick() }
    }

    mutating func tick() {
        now = now + .milliseconds(1)
        firmware.poll(at: now)
        host.poll(at: now)
        deliver()
    }

    /// Moves every queued frame across the wire in both directions until both are quiet.
    mutating func deliver() {
        var moved = true
        while moved {
            moved = false
            while let frame = firmware.nextOutgoing() {
                moved = true
                framesToHost.append(frame)
                for received in transmit(frame, drop: dropToHost) { host.receive(received, at: now) }
            }
            while let notice = host.nextNotice() { hostNotices.append(notice) }
            while let frame = host.nextOutgoing() {
                moved = true
                framesToFirmware.append(frame)
                for received in transmit(frame, drop: dropToFirmware) { firmware.receive(received, at: now) }
            }
            while let notice = firmware.nextNotice() {
                firmwareNotices.append(notice)
                if case .command(let command) = notice, firmwareAnswers {
                    applied.append(command)
                    let reply: CommandReply = command == .start
                        ? .refused(.start, .enableNotHeld) : .accepted(command.code)
                    firmware.reply(reply, at: now)
                    moved = true
                }
            }
        }
    }

    func transmit(_ frame: Frame, drop: (Frame) -> Bool) -> [Frame] {
        if drop(frame) { return [] }
        var decoder = StreamDecoder()
        var out: [Frame] = []
        decoder.feed(FrameCodec.wireBytes(frame)) { out.append($0) }
        return out
    }

    var replies: [CommandReply] {
        hostNotices.compactMap { if case .reply(let r, _) = $0 { r } else { nil } }
    }

    var events: [ControllerEvent] {
        hostNotices.compactMap { if case .event(let e, _) = $0 { e } else { nil } }
    }
}
