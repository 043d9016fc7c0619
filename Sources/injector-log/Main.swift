#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol
import Synchronization

/// Set by SIGINT / SIGTERM.
let stopSignal = Atomic<Int32>(0)

func installStopHandlers() {
    for signal in [SIGINT, SIGTERM] {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in stopSignal.store(sig, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        sigaction(signal, &action, nil)
    }
}

func eprint(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

/// Opens a link: a path under /dev/pts (or one libserialport refuses) as a termios
/// terminal, `unix:/path` as a socket, anything else as a serial port.
func openDevice(_ spec: String, baud: Int) throws(LinkError) -> any ByteLink {
    if spec.hasPrefix("unix:") { return try UnixSocketLink.connect(path: String(spec.dropFirst(5))) }
    var resolved = spec
    if let real = realpath(spec, nil) { resolved = String(cString: real); free(real) }
    if resolved.hasPrefix("/dev/pts/") { return try PseudoTerminalLink.open(path: spec) }
    do throws(LinkError) { return try SerialPortLink(name: spec, baudRate: baud) } catch where error.kind == .unsupported {
        return try PseudoTerminalLink.open(path: spec)
    }
}

/// The first retry waits 0.1 s (`DeviceReopener`); the longest wait cannot be shorter.
func validateBackoff(_ seconds: Double) throws {
    guard seconds >= 0.1, seconds <= 3600 else {
        throw ValidationError("--max-backoff must be between 0.1 and 3600 s (got \(seconds))")
    }
}

func writeText(_ text: String, to path: String) throws {
    guard let f = fopen(path, "w") else {
        eprint("error: cannot write \(path): \(String(cString: strerror(errno)))")
        throw ExitCode(2)
    }
    defer { fclose(f) }
    fputs(text, f)
}

@main
struct InjectorLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-log",
        abstract: "Record the injector's serial link without losing data; decode, watch and plot it.",
        subcommands: [Record.self, Decode.self, Live.self, Plot.self, Ports.self])
}

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append the link's raw bytes to a capture file; reopen the device if it vanishes.")
    @Argument(help: "Device: /dev/ttyUSB0, a pty path, or unix:/path.") var device: String
    @Option(name: .shortAndLong, help: "Capture file (appended to if it exists).") var output: String
    @Option(help: "Baud rate for real serial ports.") var baud = 115_200
    @Option(help: "Seconds between fsyncs (what a power cut can cost at most).") var syncInterval = 1.0
    @Option(help: "Longest wait between reopen attempts, in seconds.") var maxBackoff = 2.0
    @Option(help: "Stop after this many seconds.") var seconds: Double?

    func run() throws {
        installStopHandlers()
        let writer: CaptureWriter
        do {
            writer = try CaptureWriter(path: output, device: device, baudRate: device.hasPrefix("/dev/pts/") ? 0 : UInt32(baud),
                                       syncInterval: syncInterval)
        } catch {
            eprint("error: \(error)")
            throw ExitCode(2)
        }
        let device = self.device, baud = self.baud
        let recorder = CaptureRecorder(writer: writer, maximumBackoff: maxBackoff,
                                       open: { () throws(LinkError) in try openDevice(device, baud: baud) },
                                       report: { eprint("injector-log: " + $0) })
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        let deadline = seconds.map { Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 + $0 }
        try recorder.run {
            if stopSignal.load(ordering: .relaxed) != 0 { return true }
            guard let deadline else { return false }
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 >= deadline
        }
        try writer.close()
        let c = recorder.counters
        eprint("injector-log: \(c.bytes) bytes recorded to \(output) (\(c.opens) opens, \(c.losses) losses, \(writer.syncs) fsyncs); notes in \(recorder.notesPath)")
    }
}

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a capture: telemetry as CSV, events and commands as a readable log, and the counts.")
    @Argument(help: "Capture file.") var capture: String
    @Option(help: "Output prefix (default: the capture's name): writes <prefix>.csv and <prefix>-events.txt.")
    var prefix: String?

    func run() throws {
        let (header, body) = try readCapture(capture)
        let decoded = CaptureDecoder.decode(body)
        let base = prefix ?? capture
        try writeText(TelemetryCSV.render(decoded.telemetry), to: base + ".csv")
        try writeText("# \(capture): device \(header.device), \(decoded.bytes) bytes\n" + decoded.log.joined(separator: "\n") + "\n",
                      to: base + "-events.txt")
        print(CaptureDecoder.summary(decoded))
        print("wrote \(base).csv and \(base)-events.txt")
    }
}

func readCapture(_ path: String) throws -> (CaptureHeader, [UInt8]) {
    do { return try CaptureReader.read(path: path) } catch {
        eprint("error: \(error)")
        throw ExitCode(2)
    }
}

struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print one line per telemetry frame (and every event) as it arrives; reopen the device if it vanishes.")
    @Argument(help: "Device: /dev/ttyUSB0, a pty path, or unix:/path.") var device: String
    @Option(help: "Baud rate for real serial ports.") var baud = 115_200
    @Option(help: "Print every Nth telemetry frame (1 kHz telemetry is too fast to read).") var every = 1
    @Option(help: "Longest wait between reopen attempts, in seconds.") var maxBackoff = 2.0

    func validate() throws {
        guard every >= 1 else { throw ValidationError("--every must be at least 1 (got \(every))") }
        try validateBackoff(maxBackoff)
    }

    func run() throws {
        installStopHandlers()
        let device = self.device, baud = self.baud
        let monitor = LiveMonitor(every: every, maximumBackoff: maxBackoff,
                                  open: { () throws(LinkError) in try openDevice(device, baud: baud) },
                                  report: { eprint("injector-log: " + $0) }, output: { print($0) })
        monitor.run { stopSignal.load(ordering: .relaxed) != 0 }
        let s = monitor.statistics, c = monitor.counters
        eprint("\(s.framesDecoded) frames, \(s.framesDropped) dropped (\(s.checksumFailures) CRC failures), \(s.sequenceGaps) missing by sequence; \(c.opens) opens, \(c.losses) losses")
    }
}

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write an SVG of pressure, delivered volume and flow over time.")
    @Argument(help: "Capture file.") var capture: String
    @Option(name: .shortAndLong, help: "SVG file (default: <capture>.svg).") var output: String?

    func run() throws {
        let (header, body) = try readCapture(capture)
        let decoded = CaptureDecoder.decode(body)
        let path = output ?? capture + ".svg"
        try writeText(SVGPlot.render(decoded.telemetry, title: "\(capture) — \(header.device)"), to: path)
        print("\(decoded.telemetry.count) telemetry rows → \(path)")
    }
}

struct Ports: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the serial ports present (ptys are not listed).")
    func run() throws {
        do {
            let ports = try SerialPortInfo.all()
            if ports.isEmpty { print("no serial ports found") }
            for p in ports { print(p) }
        } catch {
            eprint("error: \(error)")
            throw ExitCode(3)
        }
    }
}
