/// A digital output: one line driven low or high.
///
/// Contract: `set` returns once the request reached the kernel; the electrical level
/// may lag it (driver rise time) and a released or broken line floats to whatever
/// the board's resistors make it. Wiring, not code, decides what "floating" means
/// (hardware/wiring.md).
public protocol OutputLine: AnyObject, Sendable {
    /// What the line is, for messages ("gpiochip0 line 22 (ENABLE)").
    var name: String { get }
    /// Drives the line (`gpiod_line_set_value`).
    func set(_ state: PinState) throws(HardwareError)
}

/// An output that remembers what it was last told (no read-back from the pin).
public protocol StatefulOutputLine: OutputLine {
    /// The level last set successfully (or requested as the default).
    var lastSet: PinState { get }
}

extension OutputLine {
    @inlinable public func setLow() throws(HardwareError) { try set(.low) }
    @inlinable public func setHigh() throws(HardwareError) { try set(.high) }
}
