import InjectorCore

extension CampaignReport {
    /// Stops for a hazard the plant did not have (issue 9, finding 6: a faster leak
    /// detector must not stop more healthy procedures), from
    /// `CampaignStatistics.falseStops`.
    static func falseStops(_ figures: CampaignStatistics) -> String {
        let f = figures.leakSuspectedWithoutLeak
        return "  leak suspected, no leak opened:  no fault injected \(RateText.rate(f.noFaultInjected.count, f.noFaultInjected.runs)); "
            + "a fault injected \(RateText.rate(f.faultInjected.count, f.faultInjected.runs))\n"
    }
}
