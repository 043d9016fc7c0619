import Testing
@testable import InjectorCore

/// Issue 9, finding 5: the stepper driver's own fault or stall output (DRV8825 nFAULT,
/// TMC2209 DIAG) as a third witness of the load, beside the transducer and its twin.
@Suite struct DriverFaultTests {
    /// The flag stops the push in the tick it is seen, latches a fault, and the relief
    /// after it backs off by volume: the readings are what a stall says were wrong.
    @Test func theFlagStopsThePushInItsOwnTickAndRelievesByVolume() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 2)
        #expect(rig.tick().stepRate.rawValue > 0)
        rig.driverFault = .active
        let out = rig.tick()
        #expect(out.stepRate.rawValue <= 0)
        #expect(rig.state == .faulted)
        #expect(rig.controller.stateReason == .driverFault)
        #expect(out.telemetry.hazards.contains(.driverFault))
        #expect(rig.controller.relief.phase != .none)
        #expect(rig.controller.relief.byVolume)
        #expect(rig.history.contains { $0.kind == .faultLatched && $0.reason == .driverFault })
    }

    /// A reset is refused while the driver still flags; once it clears, the fault resets
    /// into a pause that must be acknowledged by name, like any other.
    @Test func resetWaitsForTheFlagToClear() {
        var rig = TestRig()
        rig.startInjecting()
        rig.run(seconds: 1)
        rig.driverFault = .active
        rig.run(seconds: 1)
        #expect(rig.tick(.resetFault).reply == .refused(.resetFault, .faultConditionPersists))
        rig.driverFault = .inactive
        let cleared = rig.tick()
        #expect(!cleared.telemetry.hazards.contains(.driverFault))
        rig.run(seconds: 1)
        #expect(rig.tick(.resetFault).reply == .accepted(.resetFault))
        #expect(rig.state == .paused && rig.controller.stateReason == .driverFault)
    }

    /// In idle nothing moves, so nothing latches; but priming cannot start against it.
    @Test func primingDoesNotMoveWhileTheDriverFlags() {
        var rig = TestRig()
        rig.tick(.cementMixed)
        rig.driverFault = .active
        rig.tick(.prime)
        var forward = false
        rig.run(seconds: 1) { forward = forward || $0.stepRate.rawValue > 0 }
        #expect(!forward)
        #expect(rig.state != .primed)
    }

    /// Without a flag wired the input reads inactive, and the hazard bit stays clear.
    @Test func noFlagNoHazardBit() {
        var rig = TestRig()
        rig.startInjecting()
        var seen = false
        rig.run(seconds: 2) { seen = seen || $0.telemetry.hazards.contains(.driverFault) }
        #expect(!seen)
        #expect(rig.state == .injecting)
    }
}
