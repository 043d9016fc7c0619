#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Synchronization

/// A fake GPIO chip behind `GPIOCalls`: records every request, set and release, and
/// fails the calls a test asks it to.
final class FakeGPIO: @unchecked Sendable {
    struct Request: Equatable {
        var offset: UInt32
        var consumer: String
        var output: Bool
        var initial: PinState?
        var bias: GPIOBias?
    }
    struct State {
        var requests: [Request] = []
        var levels: [UInt32: PinState] = [:]
        var inputs: [UInt32: PinState] = [:]
        var failingReads: Set<UInt32> = []
        var failingSets: Set<UInt32> = []
        var released: [UInt32] = []
        var chipClosed = false
        var setLog: [(UInt32, PinState)] = []
        /// Each multi-line request, as it was asked for.
        var groupRequests: [[GPIOLineSettings]] = []
        /// Lines another consumer holds (for line info after EBUSY).
        var heldBy: [UInt32: String] = [:]
    }
    let state = Mutex(State())
    let lines: Int
    var openFailure: Int32?
    var requestFailure: (offset: UInt32, code: Int32)?
    var api: Int32 = 1
    /// Offer `requestLines` (one request for all lines, as libgpiod v2 does).
    var groupRequests = false
    /// Chips by name with their labels, for searches by label; empty: every name opens
    /// the one chip, labelled "fake-chip".
    var chipLabels: [(name: String, label: String)] = []
    /// Kernel line names that differ from "GPIO<offset>" ("" for an unnamed line).
    var lineNames: [UInt32: String] = [:]
    /// Every name or path `openChip` was given.
    let opened = Mutex<[String]>([])

    init(lines: Int = 54) { self.lines = lines }

    /// Line handles are the offset + 1, as a pointer bit pattern.
    static func offset(_ h: GPIOHandle) -> UInt32 { UInt32(Int(bitPattern: UnsafeRawPointer(h.raw)) - 1) }
    static func handle(_ offset: UInt32) -> GPIOHandle { GPIOHandle(OpaquePointer(bitPattern: Int(offset) + 1)!) }

    var calls: GPIOCalls {
        var table = GPIOCalls(
            apiVersion: { self.api },
            openChip: { name in
                self.opened.withLock { $0.append(name) }
                if let code = self.openFailure { return .failure(SystemErrno(code)) }
                guard !self.chipLabels.isEmpty else { return .success(GPIOHandle(OpaquePointer(bitPattern: 0xC41F)!)) }
                let base = name.split(separator: "/").last.map(String.init) ?? name
                guard let index = self.chipLabels.firstIndex(where: { $0.name == base }) else {
                    return .failure(SystemErrno(ENOENT))
                }
                return .success(GPIOHandle(OpaquePointer(bitPattern: 0xC4100 + index)!))
            },
            lineCount: { _ in self.lines },
            closeChip: { _ in self.state.withLock { $0.chipClosed = true } },
            requestOutput: { _, offset, consumer, initial in
                if let f = self.requestFailure, f.offset == offset { return .failure(SystemErrno(f.code)) }
                self.state.withLock {
                    $0.requests.append(Request(offset: offset, consumer: consumer, output: true, initial: initial))
                    $0.levels[offset] = initial
                }
                return .success(Self.handle(offset))
            },
            requestInput: { _, offset, consumer, bias in
                if let f = self.requestFailure, f.offset == offset { return .failure(SystemErrno(f.code)) }
                self.state.withLock {
                    $0.requests.append(Request(offset: offset, consumer: consumer, output: false, bias: bias))
                }
                return .success(Self.handle(offset))
            },
            setValue: { h, level in
                let o = Self.offset(h)
                return self.state.withLock { s in
                    if s.failingSets.contains(o) { return SystemErrno(EIO) }
                    s.levels[o] = level
                    s.setLog.append((o, level))
                    return nil
                }
            },
            getValue: { h in
                let o = Self.offset(h)
                return self.state.withLock { s in
                    if s.failingReads.contains(o) { return .failure(SystemErrno(EIO)) }
                    return .success(s.inputs[o] ?? .low)
                }
            },
            release: { h in self.state.withLock { $0.released.append(Self.offset(h)) } })
        table.chipLabel = { chip in
            let index = Int(bitPattern: UnsafeRawPointer(chip.raw)) - 0xC4100
            return self.chipLabels.indices.contains(index) ? self.chipLabels[index].label : "fake-chip"
        }
        table.lineInfo = { _, offset in self.lineInfo(offset) }
        if groupRequests { table.requestLines = { _, consumer, lines in self.requestGroup(consumer, lines) } }
        table.debounce = { _ in Interval.microseconds(500) }
        return table
    }

    private func lineInfo(_ offset: UInt32) -> Result<GPIOLineInfo, SystemErrno> {
        let holder = state.withLock { $0.heldBy[offset] }
        return .success(GPIOLineInfo(name: lineNames[offset] ?? "GPIO\(offset)", consumer: holder ?? "", used: holder != nil))
    }

    /// All or nothing: a failing offset fails the whole request and records nothing.
    private func requestGroup(_ consumer: String, _ lines: [GPIOLineSettings]) -> Result<[GPIOHandle], SystemErrno> {
        if let f = requestFailure, lines.contains(where: { $0.offset == f.offset }) { return .failure(SystemErrno(f.code)) }
        return state.withLock { s in
            s.groupRequests.append(lines)
            for line in lines {
                switch line.direction {
                case .output(let initial):
                    s.requests.append(Request(offset: line.offset, consumer: consumer, output: true, initial: initial))
                    s.levels[line.offset] = initial
                case .input(let bias, _):
                    s.requests.append(Request(offset: line.offset, consumer: consumer, output: false, bias: bias))
                }
            }
            return .success(lines.map { Self.handle($0.offset) })
        }
    }
}

/// An output line that records levels and can be made to fail.
final class FakeOutputLine: OutputLine, @unchecked Sendable {
    let name: String
    var levels: [PinState] = []
    var failAfter: Int?
    init(_ name: String) { self.name = name }
    func set(_ state: PinState) throws(HardwareError) {
        if let n = failAfter, levels.count >= n { throw HardwareError(.io, device: name, detail: "fake failure") }
        levels.append(state)
    }
    /// Rising edges seen.
    var risingEdges: Int {
        var count = 0
        var previous = PinState.low
        for level in levels {
            if previous == .low && level == .high { count += 1 }
            previous = level
        }
        return count
    }
}

/// A clock that advances only when told, and records sleeps.
final class FakeClock: MonotonicClock, @unchecked Sendable {
    private let time = Mutex(Instant(nanoseconds: 1_000_000_000))
    /// Added to every sleep's wake-up (simulated latency).
    var wakeLatency = Interval.microseconds(50)
    /// Work time added each time `now()` is read after a wake-up (simulated tick work).
    func now() -> Instant { time.withLock { $0 } }
    func sleep(until deadline: Instant) { time.withLock { if $0 < deadline { $0 = deadline + wakeLatency } } }
    func advance(_ d: Interval) { time.withLock { $0 = $0 + d } }
}

/// A temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() {
        var template = Array("/tmp/injector-hw-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }
    func write(_ relative: String, _ text: String) {
        let full = path + "/" + relative
        var dir = full
        while dir.last != "/" { dir.removeLast() }
        _ = mkdirRecursive(String(dir.dropLast()))
        let f = fopen(full, "w")!
        fputs(text, f)
        fclose(f)
    }
    func remove(_ relative: String) { _ = unlink(path + "/" + relative) }
    func mkdirRecursive(_ p: String) -> Bool {
        var current = ""
        for part in p.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o755)
        }
        return true
    }
    func destroy() {
        _ = system("rm -rf '\(path)'")
    }
}

extension FakeGPIO {
    /// `BoardTests.boardYAML` opened on a fake chip, its pressure ADC in `sysfs` at a
    /// steady 2700 counts (about 16 kPa), read inline.
    static func openTestBoard(sysfs: TemporaryDirectory) throws -> (FakeGPIO, BoardHardware) {
        sysfs.write("iio:device0/in_voltage0_raw", "2700\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.1875\n")
        let fake = FakeGPIO()
        let board = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        return (fake, try BoardHardware.open(board, calls: fake.calls, iioRoot: sysfs.path, backgroundSampling: false))
    }
}
