#if canImport(Glibc)
import Glibc
#endif
import CInjectorHardware

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

/// Every libgpiod call InjectorHardware makes, as one table of functions.
///
/// `GPIOCalls.libgpiod` calls the C shim (`Sources/CInjectorHardware/gpio.c`, which
/// wraps libgpiod v1 and refuses on v2); tests build a table whose calls fail or
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
    /// `gpiod_line_release`.
    public var release: @Sendable (_ line: GPIOHandle) -> Void

    public init(apiVersion: @escaping @Sendable () -> Int32,
                openChip: @escaping @Sendable (String) -> Result<GPIOHandle, Failure>,
                lineCount: @escaping @Sendable (GPIOHandle) -> Int,
                closeChip: @escaping @Sendable (GPIOHandle) -> Void,
                requestOutput: @escaping @Sendable (GPIOHandle, UInt32, String, PinState) -> Result<GPIOHandle, Failure>,
                requestInput: @escaping @Sendable (GPIOHandle, UInt32, String, GPIOBias) -> Result<GPIOHandle, Failure>,
                setValue: @escaping @Sendable (GPIOHandle, PinState) -> Failure?,
                getValue: @escaping @Sendable (GPIOHandle) -> Result<PinState, Failure>,
                release: @escaping @Sendable (GPIOHandle) -> Void) {
        self.apiVersion = apiVersion
        self.openChip = openChip
        self.lineCount = lineCount
        self.closeChip = closeChip
        self.requestOutput = requestOutput
        self.requestInput = requestInput
        self.setValue = setValue
        self.getValue = getValue
        self.release = release
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
        release: { line in injector_gpio_release(UnsafeMutableRawPointer(line.raw)) })

    /// libgpiod's version string, for the start-up log.
    public static var libraryVersion: String {
        injector_gpio_library_version().map { String(cString: $0) } ?? "unknown"
    }
}
