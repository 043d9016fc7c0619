import InjectorSimulation

/// A campaign of short procedures without the naive pump, so that a debug build runs
/// a handful of runs in seconds.
func shortCampaign(runs: Int, seed: UInt64 = 11) -> CampaignSpec {
    var s = CampaignSpec()
    s.runs = runs
    s.seed = seed
    s.maxDuration = .seconds(20)
    s.baseline = false
    return s
}
