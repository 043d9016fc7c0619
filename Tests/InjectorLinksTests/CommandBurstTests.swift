import Foundation
import InjectorCore
import InjectorLinks
import InjectorProtocol
import Testing

/// A host that ignores the one-outstanding rule writes 2 000 commands back to back
/// into a real pty pair; the firmware, taking one command per 1 ms tick as
/// `FirmwareLoop` does, must answer each exactly once (docs/protocol.md, "Command").
@Suite struct CommandBurstTests {
    static let burst = 2000
    /// Commands written per flush: the host reads answers between chunks, so that
    /// neither side's writes wait on a full pty buffer.
    static let chunk = 50

    final class Stop: @unchecked Sendable {
        let lock = NSLock()
        var value = false
        var counters: FirmwareEndpoint.Counters?
    }

    static func firmware(_ link: PseudoTerminalLink, _ stop: Stop) {
        let channel = FrameChannel(link: link)
        var endpoint = FirmwareEndpoint(firmwareVersion: FirmwareVersion(major: 1, minor: 0, patch: 0),
                                        configurationHash: EndToEndTests.hash, tickRate: Hertz(1000))
        var deadline = EndToEndTests.monotonicNow()
        while !stop.lock.withLock({ stop.value }) {
            let now = EndToEndTests.monotonicNow()
            while (try? channel.receive(timeout: .zero, { endpoint.receive($0, at: now) })) ?? 0 > 0 {}
            var command: HostCommand?
            while let notice = endpoint.nextNotice() { if case .command(let c) = notice { command = c } }
            if let command { endpoint.reply(.accepted(command.code), at: now) }
            endpoint.poll(at: now)
            while let frame = endpoint.nextOutgoing() { channel.queue(frame) }
            try? channel.flush(timeout: .milliseconds(2))
            let counters = endpoint.counters
            stop.lock.withLock { stop.counters = counters }
            deadline = deadline + .milliseconds(1)
            EndToEndTests.sleep(until: deadline)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func everyCommandOfABurstOverAPtyIsAnsweredOnce() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        let stop = Stop()
        let done = DispatchSemaphore(value: 0)
        Thread {
            Self.firmware(device, stop)
            done.signal()
        }.start()
        let host = FrameChannel(link: controller)
        var answers: [UInt16: Int] = [:]
        var identified = false
        func read() throws {
            try host.receive(timeout: .milliseconds(1)) { frame in
                switch frame.message {
                case .identifyResponse: identified = true
                case .ack, .nak: answers[frame.acknowledgement.rawValue, default: 0] += 1
                default: break
                }
            }
        }
        for attempt in 0..<200 where !identified {
            host.queue(Frame(.identifyRequest, sequence: SequenceNumber(UInt16(attempt))))
            try host.flush()
            for _ in 0..<10 { try read() }
        }
        #expect(identified)
        for start in stride(from: 1, through: Self.burst, by: Self.chunk) {
            for seq in start..<min(start + Self.chunk, Self.burst + 1) {
                host.queue(Frame(.command(.queryStatus), sequence: SequenceNumber(UInt16(seq))))
            }
            try host.flush(timeout: .seconds(1))
            try read()
        }
        let giveUp = Date().addingTimeInterval(10)
        while answers.count < Self.burst && Date() < giveUp { try read() }
        for _ in 0..<100 { try read() }   // anything late would be a second answer
        stop.lock.withLock { stop.value = true }
        done.wait()
        let once = answers.values.filter { $0 == 1 }.count
        let counters = try #require(stop.lock.withLock { stop.counters })
        print("burst over a pty: \(Self.burst) commands, \(answers.count) answered, \(once) exactly once, "
              + "\(counters.busyCommands) busy, \(counters.unansweredCommands) unanswered, "
              + "\(counters.outboxOverflows) outbox overflows")
        #expect(answers.count == Self.burst)
        #expect(once == Self.burst)
        #expect(counters.unansweredCommands == 0)
        #expect(counters.outboxOverflows == 0)
    }
}
