import InjectorCore
import InjectorPlant
import Testing
@testable import InjectorSimulation

/// The campaign counts leak suspicions in runs where no leak opened (issue 9, finding 6:
/// the false-stop rate is reported, so that a faster detector cannot raise it unseen).
@Suite struct CampaignFalseStopTests {
    func falseStopLine(_ spec: CampaignSpec) -> (line: String, counted: Int, of: Int) {
        let result = CampaignRunner.run(spec, jobs: 2)
        let text = CampaignReport.render(result) { "replay --seed \($0)" }
        let line = text.split(separator: "\n").first { $0.contains("leak suspected, no leak opened:") }.map(String.init) ?? ""
        let clean = result.runs.filter { $0.controller.firstLeakAt == nil && $0.controller.faultAt == nil }
        return (line, clean.filter { $0.controller.stopReasons.contains(.leakSuspected) }.count, clean.count)
    }

    @Test func aDetectorThatFiresOnNoiseShowsAsFalseStops() {
        var spec = shortCampaign(runs: 6)
        spec.leakProbability = LeakPaths(vein: 0, epidural: 0, needleTract: 0, disc: 0)
        spec.faultProbability = 0
        let shipped = falseStopLine(spec)
        #expect(shipped.of == 6)
        #expect(shipped.counted == 0)
        #expect(shipped.line.contains("no fault injected 0/6"), "\(shipped.line)")
        // Oversensitive: half a per cent and 5 kPa from any level, so the noise stops it.
        spec.controller.faults.leakRapidDropFraction = 0.005
        spec.controller.faults.leakRapidMinimumDrop = Kilopascals(5)
        spec.controller.faults.leakMinimumPeak = .zero
        let twitchy = falseStopLine(spec)
        #expect(twitchy.counted > 0)
        #expect(twitchy.line.contains("no fault injected \(twitchy.counted)/6"), "\(twitchy.line)")
    }
}
