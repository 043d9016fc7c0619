import InjectorCore
import InjectorProtocol

extension ConsoleSession {
    /// What became of an operator's request.
    public enum Outcome: Equatable, Sendable {
        /// Sent to the firmware; its answer comes in the event list.
        case sent(HostCommand)
        /// Waiting for `confirm` (or `cancel`); `prompt` says what will happen.
        case needsConfirmation(String)
        /// Not sent, and why.
        case refused(String)

        /// The answer line a view shows for it.
        public func feedback(_ label: String) -> String {
            switch self {
            case .sent(let command): "sent \(ConsoleSession.describe(command))"
            case .refused(let why): "\(label): not sent: \(why)"
            case .needsConfirmation(let prompt): prompt + "  [y/n]"
            }
        }
    }

    /// Why `action` cannot be sent now, or `nil` when the firmware would take it as far
    /// as the console can tell. Views disable the button with this text as its hint.
    public func unavailability(_ action: ConsoleAction) -> String? {
        switch link {
        case .closed(let why): return "no link: \(why)"
        case .identifying: return "identifying the firmware"
        case .refused(let mismatch): return "refused: \(mismatch)"
        case .lost(let why): return "link lost: \(why)"
        case .connected: break
        }
        guard let t = telemetry else { return "no telemetry yet" }
        return CommandAvailability.check(action, t, cement: configuration.cement)?.description
    }

    /// The operator asked for `action` (with `value` for those that take one).
    public mutating func request(_ action: ConsoleAction, value: String? = nil, at now: Instant) -> Outcome {
        pending = nil
        if let why = unavailability(action) {
            note("\(action.label): not sent: \(why)", .warning, at: now)
            return .refused(why)
        }
        let command: HostCommand
        switch makeCommand(action, value: value) {
        case .success(let c): command = c
        case .failure(let problem):
            note("\(action.label): not sent: \(problem)", .warning, at: now)
            return .refused(problem.description)
        }
        guard action.needsConfirmation else { return send(command, at: now) }
        let prompt = confirmationPrompt(action, command)
        pending = Confirmation(action: action, command: command, prompt: prompt)
        return .needsConfirmation(prompt)
    }

    /// The operator said yes to the pending command. Checked again: the state may have
    /// moved on while the question was on the screen.
    public mutating func confirm(at now: Instant) -> Outcome {
        guard let p = pending else { return .refused("nothing to confirm") }
        pending = nil
        if let why = unavailability(p.action) {
            note("\(p.action.label): not sent: \(why)", .warning, at: now)
            return .refused(why)
        }
        if case .resume(let acknowledged) = p.command, acknowledged != telemetry?.stateReason {
            return .refused("the pause reason changed since the question: ask again")
        }
        return send(p.command, at: now)
    }

    public mutating func cancel() { pending = nil }

    private mutating func send(_ command: HostCommand, at now: Instant) -> Outcome {
        do throws(HostEndpoint.SendError) {
            try host.send(command, at: now)
        } catch {
            let why: String
            switch error {
            case .notConnected: why = "not connected"
            case .queueFull: why = "\(HostEndpoint.commandQueueCapacity) commands already waiting"
            case .invalidArguments: why = "an argument is outside its wire range"
            }
            note("\(command.code): not sent: \(why)", .warning, at: now)
            return .refused(why)
        }
        note("sent \(ConsoleSession.describe(command))", .info, at: now)
        return .sent(command)
    }

    func makeCommand(_ action: ConsoleAction, value: String?) -> Result<HostCommand, ConsoleProblem> {
        if let input = action.valueInput {
            guard let value else { return .failure(ConsoleProblem("\(input.name): a value is needed, \(input.rangeText)")) }
            return input.parse(value).map { x in
                switch action {
                case .cementMixedAgo: .cementMixedAgo(.seconds(x))
                case .setRate: .setRate(MicrolitersPerSecond(x))
                default: .tightenCap(Microliters(x))
                }
            }
        }
        let command: HostCommand = switch action {
        case .configure: .configureProcedure(configuration.procedure)
        case .cementMixed: .cementMixed
        case .prime: .prime
        case .arm: .arm
        case .disarm: .disarm
        case .start: .start
        case .pause: .pause
        case .resume: .resume(acknowledging: telemetry?.stateReason ?? .none)
        case .finish: .stop(.finish)
        case .posteriorQuarter: .stop(.posteriorQuarterReached)
        case .leakSeen: .stop(.leakSeen)
        case .release: .release
        case .resetFault: .resetFault
        default: .queryStatus
        }
        return .success(command)
    }
}
