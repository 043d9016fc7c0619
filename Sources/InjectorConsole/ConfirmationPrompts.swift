import InjectorCore
import InjectorProtocol

extension ConsoleSession {
    /// The question put before a command that moves cement, changes the plan or clears
    /// a fault: what it does, with the numbers it will act on.
    func confirmationPrompt(_ action: ConsoleAction, _ command: HostCommand) -> String {
        let t = telemetry
        switch command {
        case .configureProcedure(let plan):
            return "Load the plan of the configuration file: level \(plan.level), \(plan.approach), anterior capacity \(plan.anteriorCapacity.volume), fill limit \(ConsoleFormat.number(plan.fillFractionLimit * 100)) %, \(plan.perPedicleCap) per pedicle?"
        case .cementMixedAgo(let ago):
            return "Record that cement mixing started \(ago) ago? The working-time clock restarts from then."
        case .prime:
            return "Prime: the plunger moves and cement fills the needle (dead volume \(configuration.needle.deadVolume)). The needle must not be in bone yet."
        case .arm:
            return "Arm the injector for this plan (cap \(t.map { "\($0.cap)" } ?? "?"))?"
        case .disarm:
            return "Disarm (back to primed)?"
        case .start:
            return "START INJECTING at \(configuration.rates.injectionFlow) up to the cap of \(t.map { "\($0.cap)" } ?? "?") (delivered so far \(t.map { "\($0.delivered)" } ?? "?"))?"
        case .resume(let reason):
            return "RESUME INJECTING. The injector paused for: \(reason.description.uppercased()). Resuming acknowledges that reason. Delivered \(t.map { "\($0.delivered)" } ?? "?") of \(t.map { "\($0.cap)" } ?? "?")."
        case .setRate(let rate):
            return "Set the target flow to \(rate) (ceiling \(configuration.rates.maxInjectionFlow))?"
        case .tightenCap(let cap):
            return "Lower the volume cap to \(cap) (now \(t.map { "\($0.cap)" } ?? "?"))? It cannot be raised again in this level."
        case .resetFault:
            return "CLEAR THE FAULT \(t.map { $0.stateReason.description.uppercased() } ?? "")? Only if its cause has been found and removed."
        default:
            return "Send \(ConsoleSession.describe(command))?"
        }
    }

    /// A command as the event list shows it.
    static func describe(_ command: HostCommand) -> String {
        switch command {
        case .resume(let reason): "resume (acknowledging \(reason))"
        case .stop(let intent):
            switch intent {
            case .finish: "stop (finish)"
            case .posteriorQuarterReached: "stop (posterior quarter reached)"
            case .leakSeen: "stop (leak seen)"
            }
        case .setRate(let rate): "set-rate \(rate)"
        case .tightenCap(let cap): "tighten-cap \(cap)"
        case .cementMixedAgo(let ago): "cement-mixed-ago \(ago)"
        case .configureProcedure(let plan): "configure-procedure \(plan.level)"
        default: "\(command.code)"
        }
    }
}
