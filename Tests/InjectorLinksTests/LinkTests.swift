import Foundation
import InjectorCore
import InjectorLinks
import Testing

@Suite struct PseudoTerminalLinkTests {
    func readAll(_ link: any ByteLink, count: Int, within: Interval = .seconds(2)) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(within.seconds)
        while out.count < count && Date() < deadline {
            let n = try buffer.withUnsafeMutableBytes { try link.read(into: $0, timeout: .milliseconds(50)) }
            out += buffer[0..<n]
        }
        return out
    }

    @Test func everyByteValuePassesUnchangedInBothDirections() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        // Raw mode matters: CR, LF, XON/XOFF, ^C and DEL would otherwise be translated or eaten.
        let all = (0...255).map(UInt8.init) + (0...255).reversed().map(UInt8.init)
        try controller.write(all)
        #expect(try readAll(device, count: all.count) == all)
        try device.write(all)
        #expect(try readAll(controller, count: all.count) == all)
    }

    @Test func readTimesOutWithNothingRead() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        defer { withExtendedLifetime(device) {} }
        var buffer = [UInt8](repeating: 0, count: 16)
        let start = Date()
        let n = try buffer.withUnsafeMutableBytes { try controller.read(into: $0, timeout: .milliseconds(30)) }
        let elapsed = Date().timeIntervalSince(start)
        #expect(n == 0)
        #expect(elapsed >= 0.025 && elapsed < 0.5)
    }

    @Test func theDevicePathCanBeOpenedByAnotherParty() throws {
        let controller = try PseudoTerminalLink.create()
        #expect(controller.devicePath.hasPrefix("/dev/pts/"))
        let device = try PseudoTerminalLink.open(path: controller.devicePath)
        try device.write(Array("hello\r\n\0".utf8))
        #expect(try readAll(controller, count: 8) == Array("hello\r\n\0".utf8))
    }

    @Test func closingTheDeviceSideIsSeenAsADisconnect() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        device.close()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect {
            _ = try buffer.withUnsafeMutableBytes { try controller.read(into: $0, timeout: .milliseconds(200)) }
        } throws: { ($0 as? LinkError)?.kind == .disconnected }
    }

    @Test func aClosedLinkRefusesIO() throws {
        let (controller, _) = try PseudoTerminalLink.openPair()
        controller.close()
        #expect(throws: LinkError.self) { try controller.write([1, 2, 3]) }
    }

    @Test func aPeerThatStopsReadingTimesTheWriterOut() throws {
        let (controller, device) = try PseudoTerminalLink.openPair()
        defer { withExtendedLifetime(device) {} }
        let chunk = [UInt8](repeating: 0x55, count: 4096)
        #expect {
            for _ in 0..<1000 { try controller.write(chunk, timeout: .milliseconds(20)) }
        } throws: { ($0 as? LinkError)?.kind == .writeTimedOut }
    }
}

@Suite struct SerialPortLinkTests {
    @Test func aMissingPortSaysNotFound() {
        #expect {
            _ = try SerialPortLink(name: "/dev/ttyUSB-does-not-exist")
        } throws: { error in
            guard let error = error as? LinkError else { return false }
            return error.kind == .notFound && error.description.contains("not found")
        }
    }

    @Test func libserialportRefusesAPseudoTerminalAndSaysWhatToUse() throws {
        let (controller, _) = try PseudoTerminalLink.openPair()
        #expect {
            _ = try SerialPortLink(name: controller.devicePath)
        } throws: { error in
            guard let error = error as? LinkError else { return false }
            return error.kind == .unsupported && error.description.contains("PseudoTerminalLink")
        }
    }

    @Test func anUnsupportedBaudRateIsRefusedBeforeOpening() {
        #expect { _ = try SerialPortLink(name: "/dev/ttyS0", baudRate: 9600) } throws: {
            ($0 as? LinkError)?.kind == .unsupported
        }
    }

    @Test func errorsSayWhatToDo() {
        let denied = LinkError(.permissionDenied, device: "/dev/ttyUSB0", detail: "sp_open: Permission denied")
        #expect(denied.description.contains("dialout"))
        let busy = LinkError(.busy, device: "/dev/ttyUSB0", detail: "flock")
        #expect(busy.description.contains("another program"))
    }

    @Test func enumerationListsRealPortsOnly() throws {
        let ports = try SerialPortInfo.all()
        #expect(!ports.contains { $0.name.hasPrefix("/dev/pts/") })
        for port in ports { #expect(!port.description.isEmpty) }
    }
}

@Suite struct UnixSocketLinkTests {
    @Test func aSocketPairCarriesBytes() throws {
        let (a, b) = try UnixSocketLink.pair()
        try a.write([0, 1, 2, 0xFF])
        var buffer = [UInt8](repeating: 0, count: 8)
        let n = try buffer.withUnsafeMutableBytes { try b.read(into: $0, timeout: .seconds(1)) }
        #expect(Array(buffer[0..<n]) == [0, 1, 2, 0xFF])
    }

    @Test func aListenerAcceptsAPeerByPath() throws {
        let path = "/tmp/injector-link-test-\(getpid()).sock"
        defer { unlink(path) }
        let accepted = LockedBox<UnixSocketLink?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            accepted.value = try? UnixSocketLink.acceptOne(path: path, timeoutMilliseconds: 2000)
            done.signal()
        }.start()
        var client: UnixSocketLink?
        for _ in 0..<100 where client == nil {
            client = try? UnixSocketLink.connect(path: path)
            if client == nil { usleep(10_000) }
        }
        done.wait()
        let server = try #require(accepted.value)
        try #require(client).write([7, 0, 7])
        var buffer = [UInt8](repeating: 0, count: 8)
        let n = try buffer.withUnsafeMutableBytes { try server.read(into: $0, timeout: .seconds(1)) }
        #expect(Array(buffer[0..<n]) == [7, 0, 7])
    }
}

/// A value handed between threads; the semaphore that joins them orders the accesses.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
