import InjectorCore

/// The terminal view's keyboard: one key per action (`ConsoleAction.key`), `y` or
/// `n` for a confirmation, digits and Enter for a value, Esc to back out, Ctrl-C or
/// Ctrl-Q to quit. Pure: it is fed bytes and acts on a session, so a test types
/// exactly what a person over SSH would.
public struct TerminalInput: Sendable {
    public enum Mode: Equatable, Sendable {
        case keys
        /// Typing the value an action needs.
        case value(ConsoleAction, String)
        /// The session holds a command waiting for `y`.
        case confirming
    }

    public private(set) var mode = Mode.keys
    /// The answer to the operator's last key, for the prompt line.
    public private(set) var feedback = ""
    public private(set) var quit = false

    public init() {}

    public mutating func feed(_ byte: UInt8, _ session: inout ConsoleSession, at now: Instant) {
        if byte == 0x03 || byte == 0x11 {
            quit = true
            return
        }
        switch mode {
        case .keys: key(byte, &session, at: now)
        case .value(let action, let text): typing(byte, action, text, &session, at: now)
        case .confirming: answer(byte, &session, at: now)
        }
    }

    private mutating func key(_ byte: UInt8, _ session: inout ConsoleSession, at now: Instant) {
        guard byte >= 0x20, byte < 0x7F, let action = ConsoleAction.withKey(Character(UnicodeScalar(byte))) else {
            return
        }
        if let input = action.valueInput {
            if let why = session.unavailability(action) {
                feedback = "\(action.label): \(why)"
                return
            }
            mode = .value(action, "")
            feedback = "\(input.name) in \(input.unit) (\(input.rangeText)), Enter to send, Esc to cancel: "
            return
        }
        show(session.request(action, at: now), action)
    }

    private mutating func typing(_ byte: UInt8, _ action: ConsoleAction, _ text: String,
                                 _ session: inout ConsoleSession, at now: Instant) {
        switch byte {
        case 0x1B:
            mode = .keys
            feedback = "\(action.label): cancelled"
        case 0x0D, 0x0A:
            mode = .keys
            show(session.request(action, value: text, at: now), action)
        case 0x7F, 0x08:
            mode = .value(action, String(text.dropLast()))
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
            mode = .value(action, text + String(UnicodeScalar(byte)))
        default:
            break
        }
    }

    private mutating func answer(_ byte: UInt8, _ session: inout ConsoleSession, at now: Instant) {
        switch byte {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"):
            mode = .keys
            let action = session.pending?.action
            show(session.confirm(at: now), action)
        case UInt8(ascii: "n"), UInt8(ascii: "N"), 0x1B:
            mode = .keys
            session.cancel()
            feedback = "cancelled: nothing sent"
        default:
            break
        }
    }

    private mutating func show(_ outcome: ConsoleSession.Outcome, _ action: ConsoleAction?) {
        feedback = outcome.feedback(action?.label ?? "command")
        if case .needsConfirmation = outcome { mode = .confirming }
    }
}
