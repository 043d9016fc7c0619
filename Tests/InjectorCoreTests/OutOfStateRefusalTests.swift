import InjectorCore
import Testing

/// A command the state does not allow is refused naming the state (docs/protocol.md,
/// `Refusal` 22–31), and release in idle does what the document says.
@Suite struct OutOfStateRefusalTests {
    @Test func theRefusalNamesTheState() {
        var rig = TestRig()
        #expect(rig.tick(.start).reply == .refused(.start, .notAllowedWhileIdle))
        #expect(rig.tick(.resume(acknowledging: .none)).reply == .refused(.resume, .notAllowedWhileIdle))
        #expect(Refusal.notAllowedWhileIdle.refusingState == .idle)
        #expect(Refusal.enableNotHeld.refusingState == nil)
        for state in InjectorState.allCases {
            #expect(Refusal.notAllowed(in: state).refusingState == state)
        }
        let refused = rig.controller.events.filter { $0.kind == .commandRefused }
        #expect(refused.allSatisfy { $0.refusal == .notAllowedWhileIdle })
    }

    /// Release in idle is accepted: a relief cycle (back off, dwell) with the state
    /// unchanged, and nothing delivered.
    @Test func releaseInIdleRelievesWithoutLeavingIdle() {
        var rig = TestRig()
        #expect(rig.tick(.release).reply == .accepted(.release))
        #expect(rig.state == .idle)
        #expect(rig.telemetry.relief != .none, "a relief cycle runs")
        #expect(rig.telemetry.delivered == .zero)
    }
}
