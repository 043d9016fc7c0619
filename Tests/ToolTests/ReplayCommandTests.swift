#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// `injector-log replay` as a bench engineer runs it: the tool prints its pty, a reader
/// opens it and gets the capture's firmware bytes, exactly.
@Suite struct ReplayCommandTests {
    /// A v2 capture by the documented layout: two firmware chunks 0.2 s apart and a host
    /// chunk between them, which replay must leave out.
    func capture(at path: String) throws -> [UInt8] {
        var file = Array("INJCAP02".utf8) + [64, 0, 0, 0]
        file += [UInt8](repeating: 0, count: 16) + [0, 0, 0, 0] + [UInt8](repeating: 0, count: 32)
        let first = (0..<3000).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) }
        let second = (0..<2000).map { UInt8(truncatingIfNeeded: $0 * 13 + 5) }
        func chunk(_ direction: UInt8, _ us: Int64, _ payload: [UInt8]) -> [UInt8] {
            [direction, 0] + withUnsafeBytes(of: UInt16(payload.count).littleEndian, Array.init)
                + withUnsafeBytes(of: us.littleEndian, Array.init) + withUnsafeBytes(of: us.littleEndian, Array.init) + payload
        }
        file += chunk(1, 1_000_000, first) + chunk(2, 1_100_000, [9, 9, 9]) + chunk(1, 1_200_000, second)
        try Data(file).write(to: URL(fileURLWithPath: path))
        return first + second
    }

    @Test(arguments: [false, true]) func theReaderGetsTheFirmwareBytes(_ fast: Bool) throws {
        let path = "/tmp/injector-cli-replay-\(getpid())-\(fast).cap"
        defer { unlink(path) }
        let expected = try capture(at: path)
        let process = Process()
        process.executableURL = toolFolder.appendingPathComponent("injector-log")
        process.arguments = ["replay", path, "--delay", "0.5"] + (fast ? ["--as-fast-as-possible"] : [])
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let more = out.fileHandleForReading.availableData
            if more.isEmpty { break }
            printed += more
        }
        let line = String(decoding: printed, as: UTF8.self)
        let device = try #require(line.split(separator: "\n").first.flatMap { $0.hasPrefix("replay-link ") ? $0.dropFirst(12) : nil })
        let fd = open(String(device), O_RDONLY | O_NOCTTY)
        try #require(fd >= 0)
        var raw = termios()
        tcgetattr(fd, &raw)
        cfmakeraw(&raw)
        tcsetattr(fd, TCSANOW, &raw)
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(10)
        while got.count < expected.count && Date() < deadline {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 200) > 0 else { continue }
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            got += buffer[0..<n]
        }
        close(fd)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(got == expected)
    }
}
