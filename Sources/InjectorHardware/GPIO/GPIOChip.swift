#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import Synchronization

/// An open GPIO chip (`/dev/gpiochipN`). Lines requested from it keep it open; it
/// closes when the last of them and the chip itself are gone.
public final class GPIOChip: @unchecked Sendable {
    public let name: String
    public let lineCount: Int
    /// The chip's label ("pinctrl-bcm2711"); empty if the library does not say.
    public let label: String
    let handle: GPIOHandle
    let calls: GPIOCalls

    init(name: String, handle: GPIOHandle, calls: GPIOCalls) {
        self.name = name
        self.handle = handle
        self.calls = calls
        self.lineCount = calls.lineCount(handle)
        self.label = calls.chipLabel(handle)
    }

    /// What the kernel says about line `offset` now: its name and who holds it.
    public func lineInfo(_ offset: UInt32) throws(HardwareError) -> GPIOLineInfo {
        switch calls.lineInfo(handle, offset) {
        case .success(let info): return info
        case .failure(let code):
            throw HardwareError.fromErrno(code.code, call: "gpiod line info", device: "\(name) line \(offset)")
        }
    }

    deinit { calls.closeChip(handle) }

    /// Opens `name` ("gpiochip0") or a path ("/dev/gpiochip0").
    ///
    /// Failures say what to do: a missing chip lists the chips that exist (or says
    /// there are none, as on a machine without GPIO); a permission error names the
    /// `gpio` group and the udev rule in hardware/udev.
    public static func open(_ name: String, calls: GPIOCalls = .libgpiod,
                            devDirectory: String = "/dev") throws(HardwareError) -> GPIOChip {
        let api = calls.apiVersion()
        switch calls.openChip(name) {
        case .success(let handle):
            return GPIOChip(name: name, handle: handle, calls: calls)
        case .failure(let code):
            throw openError(code.code, name: name, api: api, devDirectory: devDirectory)
        }
    }

    static func openError(_ code: Int32, name: String, api: Int32, devDirectory: String) -> HardwareError {
        let advice: String
        switch code {
        case ENOENT, ENODEV, ENXIO:
            let chips = listChips(in: devDirectory)
            advice = chips.isEmpty
                ? "There is no \(devDirectory)/gpiochip* on this machine: the kernel exposes no GPIO controller "
                    + "(not the target board, a VM or container without GPIO, or the driver is not loaded). "
                    + "Run against the simulator with --sim-link instead"
                : "Chips present: \(chips.joined(separator: ", ")). Set gpio.chip in the board file to one of "
                    + "them (`gpioinfo` shows their lines)"
        case EACCES, EPERM:
            advice = "Add the user to the `gpio` group (`sudo usermod -aG gpio $USER`, then log in again) or install "
                + "hardware/udev/60-injector-gpio.rules so that the group may open \(devDirectory)/gpiochip*"
        case ENOTSUP:
            advice = "libgpiod v\(api) does not support this chip"
        default:
            advice = ""
        }
        return HardwareError.fromErrno(code, call: "gpiod_chip_open (libgpiod v\(api))",
                                       device: name, advice: advice)
    }

    /// `gpiochip*` entries in `directory`, sorted.
    public static func listChips(in directory: String = "/dev") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix("gpiochip") { names.append(name) }
        }
        return names.sorted()
    }

    /// Requests `offset` as an output driven to `initial` from the moment of the
    /// request: there is no instant at which the line is at another level.
    public func requestOutput(_ offset: UInt32, role: String, consumer: String,
                              initial: PinState) throws(HardwareError) -> GPIOOutputLine {
        try checkOffset(offset, role: role)
        switch calls.requestOutput(handle, offset, consumer, initial) {
        case .success(let line):
            return GPIOOutputLine(chip: self, handle: line, name: lineName(offset, role), initial: initial)
        case .failure(let code):
            throw requestError(code.code, offset: offset, role: role)
        }
    }

    public func requestInput(_ offset: UInt32, role: String, consumer: String,
                             bias: GPIOBias) throws(HardwareError) -> GPIOInputLine {
        try checkOffset(offset, role: role)
        switch calls.requestInput(handle, offset, consumer, bias) {
        case .success(let line):
            return GPIOInputLine(chip: self, handle: line, name: lineName(offset, role))
        case .failure(let code):
            throw requestError(code.code, offset: offset, role: role)
        }
    }

    /// A line this chip gave out: an output or an input.
    public enum RequestedLine: Sendable {
        case output(GPIOOutputLine)
        case input(GPIOInputLine)
    }

    /// Requests every line in `lines` together, all or nothing, and returns them in
    /// the same order. With libgpiod v2 this is one kernel request carrying each
    /// line's direction, output default, bias and debounce; with v1 (or a call table
    /// without `requestLines`) one request per line in the order given, so put ENABLE
    /// first. A busy line is named with its holder.
    public func request(_ lines: [GPIOLineSettings], consumer: String) throws(HardwareError) -> [RequestedLine] {
        for line in lines { try checkOffset(line.offset, role: line.role) }
        guard let requestLines = calls.requestLines else {
            var requested: [RequestedLine] = []
            for line in lines {
                switch line.direction {
                case .output(let initial):
                    requested.append(.output(try requestOutput(line.offset, role: line.role, consumer: consumer,
                                                               initial: initial)))
                case .input(let bias, _):
                    requested.append(.input(try requestInput(line.offset, role: line.role, consumer: consumer,
                                                             bias: bias)))
                }
            }
            return requested
        }
        switch requestLines(handle, consumer, lines) {
        case .success(let handles):
            precondition(handles.count == lines.count, "one handle per requested line")
            return zip(lines, handles).map { line, h in
                switch line.direction {
                case .output(let initial):
                    .output(GPIOOutputLine(chip: self, handle: h, name: lineName(line.offset, line.role), initial: initial))
                case .input:
                    .input(GPIOInputLine(chip: self, handle: h, name: lineName(line.offset, line.role)))
                }
            }
        case .failure(let code):
            throw groupRequestError(code.code, lines: lines)
        }
    }

    private func groupRequestError(_ code: Int32, lines: [GPIOLineSettings]) -> HardwareError {
        let device = "\(name) lines " + lines.map { "\($0.offset)" }.joined(separator: ",")
        guard code == EBUSY else {
            return HardwareError.fromErrno(code, call: "gpiod request lines", device: device,
                                           advice: code == EACCES || code == EPERM
                                               ? "Add the user to the `gpio` group or install hardware/udev/60-injector-gpio.rules"
                                               : "")
        }
        let held = lines.compactMap { line -> String? in
            guard let info = try? lineInfo(line.offset), info.used else { return nil }
            return "line \(line.offset) (\(line.role)) is held by \"\(info.consumer.isEmpty ? "?" : info.consumer)\""
        }
        let who = held.isEmpty ? "Another program or a kernel driver holds a line" : held.joined(separator: "; ")
        return HardwareError.fromErrno(code, call: "gpiod request lines", device: device,
                                       advice: who + ": stop it (`gpioinfo \(name)` shows every consumer)")
    }

    func lineName(_ offset: UInt32, _ role: String) -> String { "\(name) line \(offset) (\(role))" }

    private func checkOffset(_ offset: UInt32, role: String) throws(HardwareError) {
        guard Int(offset) < lineCount else {
            throw HardwareError(.configuration, device: lineName(offset, role),
                                detail: "offset \(offset) is past the chip's \(lineCount) lines",
                                advice: "Use an offset 0–\(max(0, lineCount - 1)) (`gpioinfo \(name)`); offsets are "
                                    + "the chip's line numbers (BCM numbers on a Raspberry Pi), not header pins")
        }
    }

    private func requestError(_ code: Int32, offset: UInt32, role: String) -> HardwareError {
        let advice: String = switch code {
        case EBUSY: "Another program or a kernel driver holds the line: `gpioinfo \(name)` shows its consumer"
        case EACCES, EPERM: "Add the user to the `gpio` group or install hardware/udev/60-injector-gpio.rules"
        default: ""
        }
        return HardwareError.fromErrno(code, call: "gpiod_line_request", device: lineName(offset, role), advice: advice)
    }
}

/// A requested output line. Released on `release()` or deinit: the kernel then stops
/// driving it and the board's resistor decides its level (hardware/wiring.md). A line
/// from a libgpiod v2 group request goes back with the last line of its group.
public final class GPIOOutputLine: StatefulOutputLine, @unchecked Sendable {
    public let name: String
    private let chip: GPIOChip
    private let handle: GPIOHandle
    private let state: Mutex<(last: PinState, released: Bool)>

    init(chip: GPIOChip, handle: GPIOHandle, name: String, initial: PinState) {
        self.chip = chip
        self.handle = handle
        self.name = name
        self.state = Mutex((initial, false))
    }

    deinit { release() }

    public var lastSet: PinState { state.withLock { $0.last } }

    public func set(_ level: PinState) throws(HardwareError) {
        let failure: Int32? = state.withLock { s in
            guard !s.released else { return EBADF }
            if let failure = chip.calls.setValue(handle, level) { return failure.code }
            s.last = level
            return nil
        }
        if let failure { throw HardwareError.fromErrno(failure, call: "gpiod_line_set_value", device: name) }
    }

    /// Gives the line back (`gpiod_line_release`); safe to call twice.
    public func release() {
        let wasHeld = state.withLock { s in
            defer { s.released = true }
            return !s.released
        }
        if wasHeld { chip.calls.release(handle) }
    }
}

/// A requested input line; released on `release()` or deinit.
public final class GPIOInputLine: InputLine, @unchecked Sendable {
    public let name: String
    private let chip: GPIOChip
    private let handle: GPIOHandle
    private let released = Atomic<Bool>(false)

    init(chip: GPIOChip, handle: GPIOHandle, name: String) {
        self.chip = chip
        self.handle = handle
        self.name = name
    }

    deinit { release() }

    public func read() throws(HardwareError) -> PinState {
        guard !released.load(ordering: .acquiring) else {
            throw HardwareError.fromErrno(EBADF, call: "gpiod_line_get_value", device: name)
        }
        switch chip.calls.getValue(handle) {
        case .success(let level): return level
        case .failure(let code): throw HardwareError.fromErrno(code.code, call: "gpiod_line_get_value", device: name)
        }
    }

    /// The kernel debounce this line's request got (zero with libgpiod v1, or where
    /// the chip and kernel do not offer it).
    public var debounce: Interval { chip.calls.debounce(handle) }

    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { chip.calls.release(handle) }
    }
}
