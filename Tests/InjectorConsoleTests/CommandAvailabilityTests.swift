import InjectorCore
import InjectorProtocol
import Testing
@testable import InjectorConsole

/// A button is disabled exactly when the firmware would refuse it: in every state the
/// bench reaches, every action the console judges refused is refused by the real
/// controller with the same reason, and every action it lets through is not refused for
/// its state or an interlock.
@Suite struct CommandAvailabilityTests {
    static let values: [ConsoleAction: String] = [.setRate: "40", .tightenCap: "100", .cementMixedAgo: "10"]

    /// Compares the console's judgement with the controller's answer for every action.
    static func compare(_ bench: borrowing Bench, in state: InjectorState) -> Int {
        let s = bench.console.session
        #expect(s.telemetry?.state == state)
        var compared = 0
        for action in ConsoleAction.allCases {
            guard case .success(let command) = s.makeCommand(action, value: values[action]) else {
                Issue.record("\(action): no command")
                continue
            }
            let reply = bench.firmware.trial(command, at: bench.now + bench.firmware.period)
            let judged = s.unavailability(action)
            switch reply {
            case .refused(_, let refusal)? where judged != nil:
                #expect(refusal.description == judged, "\(action) in \(state): console \(judged!), firmware \(refusal)")
            case .refused(_, let refusal)?:
                let interlocks: [Refusal] = [.eStopActive, .enableNotHeld, .operatorStopActive, .endOfTravelActive,
                                             .faultLatched, .cementNotMixed, .cementNotReady, .workingTimeExceeded]
                #expect(refusal.refusingState == nil && !interlocks.contains(refusal),
                        "\(action) in \(state): the console lets it through, the firmware refuses: \(refusal)")
            case .accepted?:
                #expect(judged == nil, "\(action) in \(state): the console refuses (\(judged!)), the firmware accepts")
            case nil:
                Issue.record("\(action) in \(state): no reply")
            }
            compared += 1
        }
        return compared
    }

    @Test func theConsoleJudgesEveryActionAsTheControllerDoesInEveryStateOfARun() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        var compared = Self.compare(bench, in: .idle)            // pedal up: prime refused
        bench.firmware.switches[.enable] = .active
        func go(_ action: ConsoleAction, _ state: InjectorState, _ bench: inout Bench) {
            if case .needsConfirmation = bench.console.session.request(action, at: bench.now) {
                _ = bench.console.session.confirm(at: bench.now)
            }
            #expect(bench.run(upTo: .seconds(30)) { $0.telemetry?.state == state }, "\(action) → \(state)")
            bench.run(.milliseconds(20))
        }
        bench.run(.milliseconds(50))
        compared += Self.compare(bench, in: .idle)               // pedal down, cement not mixed
        go(.prime, .priming, &bench)
        compared += Self.compare(bench, in: .priming)
        bench.run(.seconds(30))
        #expect(bench.console.session.telemetry?.state == .primed)
        compared += Self.compare(bench, in: .primed)
        go(.arm, .armed, &bench)
        compared += Self.compare(bench, in: .armed)              // cement not mixed: start refused
        _ = bench.console.session.request(.cementMixed, at: bench.now)
        bench.run(.seconds(1.1))
        compared += Self.compare(bench, in: .armed)              // working phase open
        go(.start, .injecting, &bench)
        compared += Self.compare(bench, in: .injecting)
        go(.leakSeen, .paused, &bench)
        compared += Self.compare(bench, in: .paused)
        go(.finish, .complete, &bench)
        compared += Self.compare(bench, in: .complete)
        bench.firmware.switches[.eStop] = .active
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .eStopped })
        bench.run(.milliseconds(20))
        compared += Self.compare(bench, in: .eStopped)
        #expect(compared == 10 * ConsoleAction.allCases.count)
    }
}
