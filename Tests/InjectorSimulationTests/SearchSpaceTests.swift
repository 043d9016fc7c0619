import Foundation
import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The search box maps onto the campaign's parameter space: its ranges, shares and
/// the seven fault kinds, with no simulation run.
@Suite struct SearchSpaceTests {
    let campaign = CampaignSpec()
    func point(_ f: (SearchDimension) -> Double) -> SearchPoint { SearchPoint(SearchDimension.allCases.map(f)) }

    @Test func theBoxsCornersAreTheCampaignsRangeEnds() {
        let space = SearchSpace(campaign: campaign)
        let low = space.scenario(at: point { _ in 0 }, seed: 1, name: "low")
        let high = space.scenario(at: point { _ in 1 }, seed: 1, name: "high")
        #expect(abs(log10(low.plant.body.permeability.rawValue) - campaign.permeabilityLog10.lowerBound) < 1e-12)
        #expect(abs(log10(high.plant.body.permeability.rawValue) - campaign.permeabilityLog10.upperBound) < 1e-12)
        #expect(low.controller.rates.injectionFlow.rawValue == campaign.flow.lowerBound)
        #expect(high.controller.rates.injectionFlow.rawValue == campaign.flow.upperBound)
        #expect(low.operatorPolicy.startAge == .seconds(campaign.cementAgeAtStart.lowerBound))
        #expect(high.observer.reactionDelay == .seconds(campaign.observerDelay.upperBound))
        // 0 is below every share: everything present; 1 is below none.
        #expect(low.plant.needle.bore == CampaignSpec.gauge13Bore && high.plant.needle.bore != CampaignSpec.gauge13Bore)
        #expect(LeakPathKind.allCases.allSatisfy { low.plant.leaks[$0].canOpen && !high.plant.leaks[$0].canOpen })
        #expect(!low.faults.isEmpty && high.faults.isEmpty && high.host.lostAfterStart == nil)
        #expect(low.controller.pressureTwinFitted && !high.controller.pressureTwinFitted)
        // highViscosityShare is 0 in the default campaign: never drawn, whatever the point.
        #expect(low.plant.cement != .highViscosity)
    }

    @Test func theFaultKindCoordinateSplitsIntoTheCampaignsSevenFaults() {
        let space = SearchSpace(campaign: campaign)
        var seen: [String] = []
        for bin in 0..<7 {
            let s = space.scenario(at: point { $0 == .faultKind ? (Double(bin) + 0.5) / 7 : 0 }, seed: 1, name: "f")
            let f = s.faults
            let kind = f.pressure.map { "\($0.kind)".prefix(5) } ?? (f.missedSteps != nil ? "steps" : nil)
                ?? (s.host.lostAfterStart != nil ? "host" : nil) ?? (f.stuckInput != nil ? "pedal" : "none")
            seen.append(String(kind))
        }
        #expect(seen == ["stuck", "drift", "dropo", "noise", "steps", "host", "pedal"])
        #expect(SearchSpace.faultKind(1) == 6)
    }

    /// Uniform points of the box draw the campaign's shares: 13G in 30 % of runs, an
    /// epidural route in 75 %, a fault in 20 % (1 000 points; 4.5 standard errors).
    @Test func uniformPointsDrawTheCampaignsShares() {
        let space = SearchSpace(campaign: campaign)
        var random = Xoshiro256StarStar(seed: 5)
        let scenarios = (0..<1_000).map { _ in
            space.scenario(at: SearchPoint((0..<SearchDimension.count).map { _ in random.uniform() }), seed: 1, name: "u")
        }
        func share(_ p: (Scenario) -> Bool) -> Double { Double(scenarios.filter(p).count) / 1_000 }
        #expect(abs(share { $0.plant.needle.bore == CampaignSpec.gauge13Bore } - 0.3) < 0.065)
        #expect(abs(share { $0.plant.leaks.epidural.canOpen } - 0.75) < 0.062)
        #expect(abs(share { !$0.faults.isEmpty || $0.host.lostAfterStart != nil } - 0.2) < 0.057)
        #expect(scenarios.allSatisfy { campaign.tipPosition.contains($0.plant.body.front.tipPosition) })
    }
}
