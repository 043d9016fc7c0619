import Testing
@testable import InjectorCore

@Suite struct VolumeBudgetTests {
    @Test func capIsTheLeastOfItsTerms() {
        var c = InjectorConfiguration()
        // anterior 15 mL × 0.3 = 4.5 mL; pedicles 2 × 2.5 = 5 mL; syringe 10 − 0.9 = 9.1 mL; ceiling 8 mL.
        #expect(VolumeBudget.cap(for: c) == (Microliters(4500), .anteriorFill))
        c.procedure.approach = .unipedicular
        #expect(VolumeBudget.cap(for: c) == (Microliters(2500), .perPedicle))
        c.procedure.approach = .bipedicular
        c.procedure.fillFractionLimit = 0.5
        c.syringe.usableVolume = .milliliters(5)
        #expect(VolumeBudget.cap(for: c) == (Microliters(4100), .syringe))
        c.syringe.usableVolume = .milliliters(10)
        c.ceilings.maxVolume = .milliliters(3)
        #expect(VolumeBudget.cap(for: c) == (Microliters(3000), .hardwareCeiling))
        c.procedure.anteriorCapacity = .direct(.milliliters(6))
        c.ceilings.maxVolume = .milliliters(8)
        #expect(VolumeBudget.cap(for: c).0 == Microliters(3000))
    }

    @Test func storedVolumeIsCommittedUntilRelieved() {
        var b = VolumeBudget(configuration: InjectorConfiguration()) // compliance 0.01 µL/kPa
        b.update(displaced: Microliters(1000), pressure: Kilopascals(2000))
        #expect(b.stored == Microliters(20))
        #expect(b.delivered == Microliters(980))
        #expect(b.committed == Microliters(1000)) // the stored 20 µL may still bleed out
        // Back off 30 µL: pressure falls to zero. Some stored cement may have bled out
        // meanwhile, none comes back out of the bone: the commitment stands.
        b.update(displaced: Microliters(970), pressure: .zero)
        #expect(b.delivered == Microliters(980))
        #expect(b.committed == Microliters(1000))
        // Closing the gap delivers nothing new and is not counted again…
        b.update(displaced: Microliters(999), pressure: Kilopascals(0))
        #expect(b.committed == Microliters(1000))
        #expect(b.delivered == Microliters(999))
        // …only displacement beyond the previous peak is.
        b.update(displaced: Microliters(1010), pressure: Kilopascals(1000))
        #expect(b.delivered == Microliters(1000))
        #expect(b.committed == Microliters(1010))
    }

    /// Committed a fraction of a step past the cap (the last tick's steps overshot):
    /// tightening below it leaves the cap where it was, not at the committed volume.
    @Test func tighteningBelowAnOvershotCommitmentNeverRaisesTheCap() {
        var b = VolumeBudget(configuration: InjectorConfiguration())
        let cap = b.cap
        b.update(displaced: cap + Microliters(0.08), pressure: .zero)
        let accepted = b.tighten(to: Microliters(4))
        #expect(accepted)
        #expect(b.cap == cap)
        #expect(b.remaining == .zero)
    }

    @Test func capOnlyTightens() {
        var b = VolumeBudget(configuration: InjectorConfiguration())
        let tightened = b.tighten(to: Microliters(3000))
        #expect(tightened)
        #expect(b.cap == Microliters(3000))
        #expect(b.limit == .tightened)
        let raised3500 = b.tighten(to: Microliters(3500))
        #expect(!raised3500)
        let raisednan = b.tighten(to: Microliters(.nan))
        #expect(!raisednan)
        let raisedm1 = b.tighten(to: Microliters(-1))
        #expect(!raisedm1)
        #expect(b.cap == Microliters(3000))
        #expect(b.configuredCap == Microliters(4500))
        // Below what is already committed: the cap becomes "no more from now on".
        b.update(displaced: Microliters(800), pressure: .zero)
        let belowCommitted = b.tighten(to: Microliters(500))
        #expect(belowCommitted)
        #expect(b.cap == Microliters(800))
        #expect(b.remaining == .zero)
    }
}
