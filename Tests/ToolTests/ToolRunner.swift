#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The package's root, where the tools are run from (scenario and config paths are relative to it).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The folder of the built tools: beside this test bundle (`swift build --build-tests` builds them).
let toolFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()

struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Runs a built tool to its end and collects what it wrote. With `stderrOnTerminal` its
/// stderr is the device side of a new pty, as when a person runs it in a terminal.
func runTool(_ tool: String, _ arguments: [String], stderrOnTerminal: Bool = false) throws -> ToolResult {
    let process = Process()
    process.executableURL = toolFolder.appendingPathComponent(tool)
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    var master: Int32 = -1, slave: Int32 = -1
    if stderrOnTerminal {
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.ENOTTY) }
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    } else {
        process.standardError = err
    }
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    var stderr = Data()
    if stderrOnTerminal {
        close(slave)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }   // EIO once the tool, the last holder of the device side, exits
            stderr.append(contentsOf: buffer[0..<n])
        }
        close(master)
    } else {
        stderr = err.fileHandleForReading.readDataToEndOfFile()
    }
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
}
