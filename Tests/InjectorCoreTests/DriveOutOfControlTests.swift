import Testing
@testable import InjectorCore

/// A plunger that does not follow its steps (fault-injection matrix, H11 and H12): the
/// position-disagreement fault disables the driver in the tick it is seen and starts no
/// back-off, because the back-off would run on the same untrusted drive.
@Suite struct DriveOutOfControlTests {
    static func rig() -> TestRig {
        var c = TestRig.fastConfiguration()
        c.positionSensorFitted = true
        return TestRig(c)
    }

    @Test func aPositionDisagreementDisablesTheDriverAtOnceWithNoBackOff() {
        var rig = Self.rig()
        rig.startInjecting()
        rig.run(seconds: 1.0)
        #expect(rig.state == .injecting)
        #expect(rig.pressure > Kilopascals(100), "the syringe is under pressure when the fault comes")
        // The plunger runs ahead of its steps (a STEP line toggling by itself).
        rig.positionError = rig.configuration.faults.positionTolerance + Microliters(10)
        let out = rig.tick()
        #expect(rig.state == .faulted && rig.controller.stateReason == .positionDisagreement)
        // Before: relief began (backing off) and kept ENABLE on for the back-off and dwell.
        #expect(out.driver == .disabled)
        #expect(out.stepRate.rawValue <= 0)
        #expect(rig.controller.reliefPhase == .none)
        rig.run(seconds: 3.0) { o in
            #expect(o.driver == .disabled)
            #expect(o.stepRate == .zero)
        }
    }

    @Test func aStaleOrErroringPositionSensorStillRelieves() {
        // Only the disagreement says the drive is out of control; a sensor that fails
        // on its own leaves the motor trusted, and the stop relieves as every stop does.
        var rig = Self.rig()
        rig.startInjecting()
        rig.run(seconds: 1.0)
        rig.positionError = Microliters(rawValue: .nan)
        let out = rig.tick()
        #expect(rig.state == .faulted && rig.controller.stateReason != .positionDisagreement)
        #expect(out.driver == .enabled)
        #expect(rig.controller.reliefPhase == .backingOff)
    }
}
