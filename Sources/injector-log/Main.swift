#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol
import InjectorToolSupport
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

/// A log line on stderr, led by the wall-clock time to the millisecond.
func eprint(_ text: String) { logLine(text) }

/// Exits 5 with one line if `path`'s folder cannot take a new file.
func checkOutputFolder(of path: String, option: String) throws {
    if let problem = OutputPath.problem(writing: path, option: option) { throw ExitCode(failure(.outputFailed, problem)) }
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
    guard let f = fopen(path, "w") else { throw ExitCode(failure(.outputFailed, "cannot write \(path): \(String(cString: strerror(errno)))")) }
    defer { fclose(f) }
    fputs(text, f)
}

@main
struct InjectorLog: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-log",
        abstract: "Record the injector's serial link without losing data; decode, summarise, replay, watch and plot it.",
        version: ToolVersion.text,
        subcommands: [Record.self, Decode.self, Summary.self, Replay.self, Live.self, Plot.self, Ports.self])
}

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append the link's bytes, in timed chunks, to a capture file; reopen the device if it vanishes.")
    @Argument(help: "Device: /dev/ttyUSB0, a pty path, or unix:/path.") var device: String
    @Option(name: .shortAndLong, help: "Capture file (appended to if it exists; with rotation, the stem of numbered files).")
    var output: String
    @Option(help: "Baud rate for real serial ports.") var baud = 115_200
    @Option(help: "Which way the recorded bytes go: from-firmware (a tap on the firmware's TX) or to-firmware (the host's TX).")
    var direction = "from-firmware"
    @Option(help: "Seconds between fsyncs (what a power cut can cost at most).") var syncInterval = 1.0
    @Option(help: "Longest wait between reopen attempts, in seconds.") var maxBackoff = 2.0
    @Option(help: "Start a new numbered file (run-0001.cap, run-0002.cap, …) before one would pass this size: bytes, or with K, M or G (×1024ⁿ); at least 64K.")
    var rotateSize: String?
    @Option(help: "Start a new numbered file after this many seconds (at least 1).") var rotateTime: Double?
    @Option(help: "Stop after this many seconds.") var seconds: Double?

    func validate() throws {
        try validateBackoff(maxBackoff)
        try checkOutputFolder(of: output, option: "--output")
        _ = try parsedDirection(direction)
        _ = try rotation()
        guard syncInterval > 0 && syncInterval <= 3600 else {
            throw ValidationError("--sync-interval must be between 0 and 3600 s (got \(syncInterval))")
        }
    }

    func rotation() throws -> CaptureRotation? {
        if rotateSize == nil && rotateTime == nil { return nil }
        var r = CaptureRotation()
        if let rotateSize {
            guard let bytes = parseByteSize(rotateSize), bytes >= CaptureRotation.minimumBytes else {
                throw ValidationError("--rotate-size must be a size of at least 64K (bytes, or a number with K, M or G), got '\(rotateSize)'")
            }
            r.maxBytes = bytes
        }
        if let rotateTime {
            guard rotateTime >= 1 && rotateTime <= 366 * 86_400 else {
                throw ValidationError("--rotate-time must be between 1 s and a year, got \(rotateTime)")
            }
            r.maxSeconds = rotateTime
        }
        return r
    }

    func run() throws {
        installStopHandlers()
        let writer: CaptureWriter
        do {
            writer = try CaptureWriter(path: output, device: device, baudRate: device.hasPrefix("/dev/pts/") ? 0 : UInt32(baud),
                                       syncInterval: syncInterval, rotation: try rotation())
        } catch let error as CaptureError {
            throw ExitCode(failure(.outputFailed, "\(error)"))
        }
        let device = self.device, baud = self.baud
        let recorder = CaptureRecorder(writer: writer, direction: try parsedDirection(direction), maximumBackoff: maxBackoff,
                                       open: { () throws(LinkError) in try openDevice(device, baud: baud) },
                                       report: { eprint("injector-log: " + $0) })
        let deadline = seconds.map { monotonicNow() + $0 }
        do {
            try recorder.run {
                if stopSignal.load(ordering: .relaxed) != 0 { return true }
                return deadline.map { monotonicNow() >= $0 } ?? false
            }
            try writer.close()
        } catch {
            throw ExitCode(failure(.outputFailed, "\(error)"))
        }
        let c = recorder.counters
        let files = writer.files.count == 1 ? output : "\(writer.files.count) files \(writer.files.first!) … \(writer.files.last!)"
        eprint("injector-log: \(c.bytes) bytes recorded to \(files) (\(c.opens) opens, \(c.losses) losses, \(writer.syncs) fsyncs); notes in \(recorder.notesPath)")
    }
}

func monotonicNow() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func parsedDirection(_ text: String) throws -> CaptureDirection {
    guard let d = CaptureDirection(name: text) else {
        throw ValidationError("--direction must be one of \(CaptureDirection.allCases.map(\.description).joined(separator: ", ")), got '\(text)'")
    }
    return d
}

/// `65536`, `64K`, `10M`, `2G` (powers of 1024), or nil.
func parseByteSize(_ text: String) -> UInt64? {
    let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
    guard let last = text.last else { return nil }
    if let unit = units[Character(last.uppercased())] {
        return UInt64(text.dropLast()).flatMap { $0.multipliedReportingOverflow(by: unit).overflow ? nil : $0 * unit }
    }
    return UInt64(text)
}

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode a capture: telemetry as CSV, events, commands and replies as a readable log and as JSON Lines, and the counts.")
    @Argument(help: "Capture file (v1 or v2).") var capture: String
    @Option(help: "Output prefix (default: the capture's name): writes <prefix>.csv, <prefix>-events.txt and <prefix>.jsonl.")
    var prefix: String?

    func run() throws {
        let capture = try readCapture(self.capture)
        let decoded = CaptureDecoder.decode(capture)
        let base = prefix ?? self.capture
        try checkOutputFolder(of: base, option: "--prefix")
        try writeText(TelemetryCSV.render(decoded.telemetry), to: base + ".csv")
        try writeText("# \(self.capture): device \(capture.header.device), capture format v\(capture.header.version.rawValue), \(decoded.bytes) bytes\n"
                      + decoded.log.joined(separator: "\n") + "\n", to: base + "-events.txt")
        try writeText(DecodedJSONLines.render(decoded.messages), to: base + ".jsonl")
        print(CaptureDecoder.counts(decoded))
        print("wrote \(base).csv, \(base)-events.txt and \(base).jsonl")
    }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One screen: duration, delivered volume against the cap, peak pressure, releases, pauses with reasons, faults.")
    @Argument(help: "Capture file (v1 or v2).") var capture: String

    func run() throws {
        let capture = try readCapture(self.capture)
        let summary = CaptureSummary(CaptureDecoder.decode(capture))
        print(summary.render(title: "\(self.capture): \(capture.header.device), capture format v\(capture.header.version.rawValue)"),
              terminator: "")
    }
}

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a capture's bytes out of a new pty (its path printed as `replay-link /dev/pts/N`), at the original timing or as fast as possible.")
    @Argument(help: "Capture file (v2 for the original timing).") var capture: String
    @Option(help: "Which chunks to play: from-firmware (what a host would read), to-firmware, or both.")
    var direction = "from-firmware"
    @Flag(help: "Write every chunk at once instead of at its original time.") var asFastAsPossible = false
    @Option(help: "Seconds to wait after printing the pty's path, for a reader to open it.") var delay = 1.0

    func validate() throws {
        if direction != "both" { _ = try parsedDirection(direction) }
        guard delay >= 0 && delay <= 3600 else { throw ValidationError("--delay must be between 0 and 3600 s (got \(delay))") }
    }

    func run() throws {
        let capture = try readCapture(self.capture)
        let pace: CaptureReplay.Pace = asFastAsPossible ? .asFastAsPossible : .original
        if let problem = CaptureReplay.check(capture, pace: pace) { throw ExitCode(failure(.badInput, "\(self.capture): \(problem)")) }
        let directions: Set<CaptureDirection> = direction == "both" ? Set(CaptureDirection.allCases) : [try parsedDirection(direction)]
        installStopHandlers()
        do {
            let link = try PseudoTerminalLink.create()
            print("replay-link \(link.devicePath)")
            fflush(nil)
            usleep(UInt32(delay * 1e6))
            let played = try CaptureReplay.play(capture, directions: directions, to: link, pace: pace) {
                stopSignal.load(ordering: .relaxed) != 0
            }
            eprint("injector-log: played \(played.chunks) chunks, \(played.bytes) bytes")
            usleep(200_000)   // let the reader drain the pty before it closes
            link.close()
        } catch {
            throw ExitCode(failure(.linkFailed, "\(error)"))
        }
    }
}

func readCapture(_ path: String) throws -> Capture {
    do { return try CaptureReader.capture(path: path) } catch {
        throw ExitCode(failure(.badInput, "\(error)"))
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
    static let configuration = CommandConfiguration(
        abstract: "Write an SVG (and a PNG where rsvg-convert is installed) of pressure, volumes and flow over time, with state bands, fault and pause marks, the cap and the pressure limit.",
        discussion: "The input is a capture, or a CSV of the shared schema: `decode`'s CSV or a simulator run's `--csv-dir` file.")
    @Argument(help: "Capture file, or CSV with time_from_start_s, state and value columns.") var input: String
    @Option(name: .shortAndLong, help: "SVG file (default: <input>.svg; the PNG goes beside it).") var output: String?
    @Option(help: "Draw the configuration's pressure limit, in kPa, as a line.") var pressureLimitKpa: Double?
    @Flag(help: "Write only the SVG, even where rsvg-convert is installed.") var noPng = false

    func validate() throws {
        if let p = pressureLimitKpa, !(p > 0 && p <= 100_000) {
            throw ValidationError("--pressure-limit-kpa must be between 0 and 100000 kPa (got \(p))")
        }
    }

    func run() throws {
        let path = output ?? input + ".svg"
        try checkOutputFolder(of: path, option: "--output")
        var data: PlotData
        var title = input
        if (try? CaptureReader.readHeader(path: input)) != nil {
            let capture = try readCapture(input)
            data = PlotData(CaptureDecoder.decode(capture))
            title += " — \(capture.header.device)"
        } else {
            guard let text = try? readText(input) else { throw ExitCode(failure(.badInput, "\(input): cannot read")) }
            do { data = try PlotData(csv: text) } catch { throw ExitCode(failure(.badInput, "\(input): \(error)")) }
        }
        data.pressureLimitKPa = pressureLimitKpa
        try writeText(SVGPlot.render(data, title: title), to: path)
        print("\(data.times.count) rows, \(data.markers.count) marks → \(path)")
        if !noPng, let png = convertToPNG(path) { print("→ \(png)") }
    }
}

func readText(_ path: String) throws -> String {
    guard let f = fopen(path, "rb") else { throw ExitCode(failure(.badInput, "\(path): \(String(cString: strerror(errno)))")) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        bytes += chunk[0..<n]
        if n < chunk.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// `rsvg-convert` (Debian's librsvg2-bin) turns the SVG into a PNG beside it; nil when
/// it is not installed or fails (the SVG stands alone).
func convertToPNG(_ svg: String) -> String? {
    let png = (svg.hasSuffix(".svg") ? String(svg.dropLast(4)) : svg) + ".png"
    let argv = ["rsvg-convert", "--format", "png", "--output", png, svg]
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var pid: pid_t = 0
    guard posix_spawnp(&pid, "rsvg-convert", nil, nil, &cArgs, environ) == 0 else { return nil }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return status == 0 ? png : nil
}

struct Ports: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the serial ports present (ptys are not listed).")
    func run() throws {
        do {
            let ports = try SerialPortInfo.all()
            if ports.isEmpty { print("no serial ports found") }
            for p in ports { print(p) }
        } catch {
            throw ExitCode(failure(.linkFailed, "\(error)"))
        }
    }
}
