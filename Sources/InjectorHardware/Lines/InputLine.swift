/// A digital input: one line read as low or high.
///
/// Contract: `read` samples the line now (`gpiod_line_get_value`); it does not
/// debounce. A switch's meaning (active or not) comes from its `SwitchWiring`.
public protocol InputLine: AnyObject, Sendable {
    var name: String { get }
    func read() throws(HardwareError) -> PinState
}
