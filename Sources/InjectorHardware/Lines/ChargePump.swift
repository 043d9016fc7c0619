/// The charge-pump output: one line toggled once per healthy control tick. On the
/// driver board a retriggerable monostable (74LVC1G123, about 10 ms) turns the edges
/// into "ENABLE allowed"; when they stop, for whatever reason (the process hangs or
/// dies, the kernel panics with every output frozen, the Pi loses power), the
/// monostable times out and the hardware disables the driver. A static level of
/// either kind, which is all a hung system can leave, never lets ENABLE through.
public final class ChargePump: @unchecked Sendable {
    public let line: any OutputLine
    private var level = PinState.low
    /// Edges sent, and toggles that failed (the monostable then times out: safe).
    public private(set) var edges: UInt64 = 0
    public private(set) var failures: UInt64 = 0

    public init(line: any OutputLine) { self.line = line }

    /// One edge: called only after a healthy tick.
    public func beat() {
        let next = level.inverted
        do throws(HardwareError) {
            try line.set(next)
            level = next
            edges &+= 1
        } catch {
            failures &+= 1
        }
    }
}
