import InjectorCore
import InjectorProtocol
import Testing
@testable import InjectorSimulation

/// One rule for when a procedure is finished, shared by the lockstep console and the
/// scripted host (`OperatorProcedure.isFinished`).
@Suite struct OperatorRuleTests {
    static let policies: [OperatorPolicy] = [
        OperatorPolicy(),
        OperatorPolicy(onPosteriorQuarter: .resume(after: .seconds(1)), onLeakSeen: .resume(after: .seconds(1)),
                       onLeakSuspected: .wait, onOcclusion: .resume(after: .seconds(1)), onOtherPause: .wait,
                       onFault: .resume(after: .seconds(1)), maxResumes: 1),
        OperatorPolicy(onPosteriorQuarter: .wait, onLeakSeen: .wait, onLeakSuspected: .wait, onOcclusion: .wait,
                       onCementTooLiquid: .wait, onOtherPause: .wait, onFault: .finish),
    ]

    /// Both consoles judge every screen alike, and a finished procedure really is
    /// silent: whatever the state, reason and policy, no later look at the same screen
    /// gets a command out of the operator.
    /// A real snapshot to edit: an idle controller's first tick.
    static func snapshot() throws -> TelemetrySnapshot {
        var controller = InjectionController(configuration: try InjectorConfiguration().validated())
        return controller.step(ControllerInputs(
            now: .origin, stepPosition: .zero, pressure: SensorSample(value: Kilopascals(0), sampledAt: .origin),
            plungerPosition: nil, switches: SwitchInputs(), command: nil, hostLastHeard: nil)).telemetry
    }

    @Test func bothConsolesAgreeAndFinishedMeansNoMoreCommands() throws {
        let start = Instant.origin + .seconds(60)
        let snapshot = try Self.snapshot()
        var checked = 0
        for policy in Self.policies {
            for state in InjectorState.allCases {
                for reason in Reason.allCases {
                    let console = ConsoleOperator(policy: policy, scheduledStart: start)
                    let script = ProcedureScript(policy: policy, scheduledStart: start)
                    var procedure = OperatorProcedure(policy: policy, scheduledStart: start, maxAttempts: 5)
                    let finished = procedure.isFinished(state: state, reason: reason)
                    var screen = ScreenReading(snapshot)
                    screen.state = state
                    screen.stateReason = reason
                    screen.delivered = policy.plannedVolume
                    #expect(console.isFinished(screen) == finished)
                    var report = TelemetryReport(snapshot: snapshot)
                    report.state = state
                    report.stateReason = reason
                    #expect(script.isFinished(report) == finished, "\(state) \(reason)")
                    guard finished else { continue }
                    for minute in 1...3 {
                        let later = start + .seconds(60 * Double(minute))
                        let command = procedure.next(at: later, state: state, reason: reason,
                                                     delivered: policy.plannedVolume)
                        #expect(command == nil, "\(state) for \(reason) is finished but sends \(String(describing: command))")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    /// Where the consoles used to disagree: a fault whose reason the policy answers
    /// otherwise than `onFault`. Judged by the reason, as `next` answers it.
    @Test func aFaultIsJudgedByItsReasonAsTheNextCommandIs() {
        let policy = OperatorPolicy(onOcclusion: .resume(after: .seconds(1)), onFault: .wait, maxResumes: 2)
        var procedure = OperatorProcedure(policy: policy, scheduledStart: .origin, maxAttempts: 5)
        #expect(!procedure.isFinished(state: .faulted, reason: .occlusion))
        _ = procedure.next(at: .origin + .seconds(10), state: .faulted, reason: .occlusion, delivered: .zero)
        #expect(procedure.next(at: .origin + .seconds(12), state: .faulted, reason: .occlusion, delivered: .zero)
                == .resetFault)
        #expect(procedure.isFinished(state: .faulted, reason: .pressureStuck))
    }
}
