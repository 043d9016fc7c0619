import InjectorCore

extension CampaignReport {
    /// Stops for a hazard the plant did not have (issue 9, finding 6: a faster leak
    /// detector must not stop more healthy procedures). A leak suspicion in a run where
    /// no leak path opened is false. Where a sensor fault was injected, it is a fail-safe
    /// answer to a lying reading, counted apart.
    static func falseStops(_ runs: [CampaignRecord]) -> String {
        let leak = caseName(Reason.leakSuspected)
        let noLeak = runs.filter { $0.controller.firstLeakAtS == nil }
        let clean = noLeak.filter { $0.controller.faultAtS == nil }
        let faulted = noLeak.filter { $0.controller.faultAtS != nil }
        func suspected(_ r: CampaignRecord) -> Bool { r.controller.stopReasons?.contains(leak) ?? false }
        return "  leak suspected, no leak opened:  no fault injected \(RateText.rate(clean.filter(suspected).count, clean.count)); "
            + "a fault injected \(RateText.rate(faulted.filter(suspected).count, faulted.count))\n"
    }
}
