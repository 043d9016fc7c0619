#if canImport(Glibc)
import Glibc
#endif
import CInjectorHardware
import InjectorCore

/// An `errno` value as an error (the C name is in the doc of each call that returns it).
public struct SystemErrno: Error, Equatable, Sendable {
    public var code: Int32
    public init(_ code: Int32) { self.code = code }
}

/// A handle the C layer gave out (a `gpiod_chip *` or a `gpiod_line *`).
public struct GPIOHandle: @unchecked Sendable, Equatable {
    public let raw: OpaquePointer
    public init(_ raw: OpaquePointer) { self.raw = raw }
}

/// How an input line is biased inside the SoC.
public enum GPIOBias: Int32, Sendable, CaseIterable {
    /// Leave the bias as it is (external resistors decide).
    case asIs = 0
    case disabled = 1
    case pullUp = 2
    case pullDown = 3
}

/// One line of a multi-line request (`struct injector_gpio_line_settings`).
public struct GPIOLineSettings: Equatable, Sendable {
    public enum Direction: Equatable, Sendable {
        /// Driven to `initial` from the moment of the request.
        case output(initial: PinState)
        /// Read with `bias`; `debounce` is the kernel's debounce period where the
        /// library and the chip offer it (libgpiod v2), zero for none.
        case input(bias: GPIOBias, debounce: Interval)
    }
    public var offset: UInt32
    /// What the line is for, in messages ("ENABLE", "eStop").
    public var role: String
    public var direction: Direction

    public init(offset: UInt32, role: String, direction: Direction) {
        self.offset = offset
        self.role = role
        self.direction = direction
    }
}

/// What the kernel says about one line (`gpiod_line_info`).
public struct GPIOLineInfo: Equatable, Sendable {
    /// The line's name ("GPIO17"), empty if it has none.
    public var name: String
    /// Who holds it, empty if free.
    public var consumer: String
    public var used: Bool
    public init(name: String, consumer: String, used: Bool) {
        self.name = name
        self.consumer = consumer
        self.used = used
    }
}

/// Every libgpiod call InjectorHardware makes, as one table of functions.
///
/// `GPIOCalls.libgpiod` calls the C shim (`Sources/CInjectorHardware/gpio.c`, which
/// wraps libgpiod v1 or v2, whichever the build found); tests build a table whose calls fail or
/// record (the swift-system "mocking" shape). Each call returns the C result and the
/// `errno` it left, read right after the call.
public struct GPIOCalls: Sendable {
    public typealias Failure = SystemErrno
    /// `injector_gpio_api_version`: 1 or 2.
    public var apiVersion: @Sendable () -> Int32
    /// `gpiod_chip_open_by_name` / `gpiod_chip_open` (path).
    public var openChip: @Sendable (_ nameOrPath: String) -> Result<GPIOHandle, Failure>
    /// `gpiod_chip_num_lines`.
    public var lineCount: @Sendable (_ chip: GPIOHandle) -> Int
    /// `gpiod_chip_close`.
    public var closeChip: @Sendable (_ chip: GPIOHandle) -> Void
    /// `gpiod_chip_get_line` + `gpiod_line_request_output(consumer, default)`.
    public var requestOutput: @Sendable (_ chip: GPIOHandle, _ offset: UInt32, _ consumer: String,
                                         _ initial: PinState) -> Result<GPIOHandle, Failure>
    /// `gpiod_chip_get_line` + `gpiod_line_request_input_flags(consumer, bias)`.
    public var requestInput: @Sendable (_ chip: GPIOHandle, _ offset: UInt32, _ consumer: String,
                                        _ bias: GPIOBias) -> Result<GPIOHandle, Failure>
    /// `gpiod_line_set_value`; `nil` on success.
    public var setValue: @Sendable (_ line: GPIOHandle, _ state: PinState) -> Failure?
    /// `gpiod_line_get_value`.
    public var getValue: @Sendable (_ line: GPIOHandle) -> Result<PinState, Failure>
    /// `gpiod_line_release` (v2: the request goes when its last line is released).
    public var release: @Sendable (_ line: GPIOHandle) -> Void
    /// `gpiod_chip_label` / `gpiod_chip_info_get_label`.
    public var chipLabel: @Sendable (_ chip: GPIOHandle) -> String
    /// `gpiod_line_name` + `gpiod_line_is_used` / `gpiod_chip_get_line_info`.
    public var lineInfo: @Sendable (_ chip: GPIOHandle, _ offset: UInt32) -> Result<GPIOLineInfo, Failure>
    /// `injector_gpio_request_lines`: every line at once, all or nothing, one handle
    /// per setting in order (v2: one `gpiod_chip_request_lines`). `nil`: the table can
    /// only request line by line.
    public var requestLines: (@Sendable (_ chip: GPIOHandle, _ consumer: String, _ lines: [GPIOLineSettings])
        -> Result<[GPIOHandle], Failure>)?
    /// The debounce the kernel accepted for a line's request (zero if none).
    public var debounce: @Sendable (_ line: GPIOHandle) -> Interval

    public init(apiVersion: @escaping @Sendable () -> Int32,
                openChip: @escaping @Sendable (String) -> Result<GPIOHandle, Failure>,
                lineCount: @escaping @Sendable (GPIOHandle) -> Int,
                closeChip: @escaping @Sendable (GPIOHandle) -> Void,
                requestOutput: @escaping @Sendable (GPIOHandle, UInt32, String, PinState) -> Result<GPIOHandle, Failure>,
                requestInput: @escaping @Sendable (GPIOHandle, UInt32, String, GPIOBias) -> Result<GPIOHandle, Failure>,
                setValue: @escaping @Sendable (GPIOHandle, PinState) -> Failure?,
                getValue: @escaping @Sendable (GPIOHandle) -> Result<PinState, Failure>,
                release: @escaping @Sendable (GPIOHandle) -> Void,
                chipLabel: @escaping @Sendable (GPIOHandle) -> String = { _ in "" },
                lineInfo: @escaping @Sendable (GPIOHandle, UInt32) -> Result<GPIOLineInfo, Failure> = { _, _ in
                    .failure(SystemErrno(ENOTSUP))
                },
                requestLines: (@Sendable (GPIOHandle, String, [GPIOLineSettings]) -> Result<[GPIOHandle], Failure>)? = nil,
                debounce: @escaping @Sendable (GPIOHandle) -> Interval = { _ in .zero }) {
        self.apiVersion = apiVersion
        self.openChip = openChip
        self.lineCount = lineCount
        self.closeChip = closeChip
        self.requestOutput = requestOutput
        self.requestInput = requestInput
        self.setValue = setValue
        self.getValue = getValue
        self.release = release
        self.chipLabel = chipLabel
        self.lineInfo = lineInfo
        self.requestLines = requestLines
        self.debounce = debounce
    }

    /// The real library, through the C shim.
    public static let libgpiod = GPIOCalls(
        apiVersion: { injector_gpio_api_version() },
        openChip: { name in
            guard let chip = injector_gpio_chip_open(name) else { return .failure(SystemErrno(errno)) }
            return .success(GPIOHandle(OpaquePointer(chip)))
        },
        lineCount: { chip in Int(injector_gpio_chip_num_lines(UnsafeMutableRawPointer(chip.raw))) },
        closeChip: { chip in injector_gpio_chip_close(UnsafeMutableRawPointer(chip.raw)) },
        requestOutput: { chip, offset, consumer, initial in
            guard let line = injector_gpio_request_output(UnsafeMutableRawPointer(chip.raw), offset, consumer,
                                                          Int32(initial.rawValue)) else { return .failure(SystemErrno(errno)) }
            return .success(GPIOHandle(OpaquePointer(line)))
        },
        requestInput: { chip, offset, consumer, bias in
            guard let line = injector_gpio_request_input(UnsafeMutableRawPointer(chip.raw), offset, consumer,
                                                         bias.rawValue) else { return .failure(SystemErrno(errno)) }
            return .success(GPIOHandle(OpaquePointer(line)))
        },
        setValue: { line, state in
            injector_gpio_set(UnsafeMutableRawPointer(line.raw), Int32(state.rawValue)) == 0 ? nil : SystemErrno(errno)
        },
        getValue: { line in
            let value = injector_gpio_get(UnsafeMutableRawPointer(line.raw))
            return value < 0 ? .failure(SystemErrno(errno)) : .success(value == 0 ? .low : .high)
        },
        release: { line in injector_gpio_release(UnsafeMutableRawPointer(line.raw)) },
        chipLabel: { chip in String(cString: injector_gpio_chip_label(UnsafeMutableRawPointer(chip.raw))) },
        lineInfo: { chip, offset in cLineInfo(chip, offset) },
        requestLines: { chip, consumer, lines in cRequestLines(chip, consumer, lines) },
        debounce: { line in .microseconds(Int64(injector_gpio_line_debounce_us(UnsafeMutableRawPointer(line.raw)))) })

    private static func cLineInfo(_ chip: GPIOHandle, _ offset: UInt32) -> Result<GPIOLineInfo, Failure> {
        var name = [CChar](repeating: 0, count: 64)
        var consumer = [CChar](repeating: 0, count: 64)
        let used = injector_gpio_line_info(UnsafeMutableRawPointer(chip.raw), offset, &name, 64, &consumer, 64)
        guard used >= 0 else { return .failure(SystemErrno(errno)) }
        func text(_ c: [CChar]) -> String { String(decoding: c.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return .success(GPIOLineInfo(name: text(name), consumer: text(consumer), used: used == 1))
    }

    private static func cRequestLines(_ chip: GPIOHandle, _ consumer: String,
                                      _ lines: [GPIOLineSettings]) -> Result<[GPIOHandle], Failure> {
        let settings = lines.map { line -> injector_gpio_line_settings in
            switch line.direction {
            case .output(let initial):
                return injector_gpio_line_settings(offset: line.offset, output: 1, value: Int32(initial.rawValue),
                                                   bias: 0, debounce_us: 0)
            case .input(let bias, let debounce):
                return injector_gpio_line_settings(offset: line.offset, output: 0, value: 0, bias: bias.rawValue,
                                                   debounce_us: UInt(max(0, debounce.nanoseconds / 1000)))
            }
        }
        var handles = [UnsafeMutableRawPointer?](repeating: nil, count: lines.count)
        let result = injector_gpio_request_lines(UnsafeMutableRawPointer(chip.raw), consumer, settings,
                                                 UInt32(lines.count), &handles)
        guard result == 0 else { return .failure(SystemErrno(errno)) }
        return .success(handles.map { GPIOHandle(OpaquePointer($0!)) })
    }

    /// libgpiod's version string, for the start-up log.
    public static var libraryVersion: String {
        injector_gpio_library_version().map { String(cString: $0) } ?? "unknown"
    }
}
