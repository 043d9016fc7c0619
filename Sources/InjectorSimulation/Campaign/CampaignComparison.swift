/// Two campaigns run on the same seeds (two configurations, or two builds' JSON
/// summaries), rate by rate: each side's rate, and B − A with Newcombe's interval for
/// paired proportions, pairing run i of A with run i of B.
public enum CampaignComparison {
    /// The pairs, or an error saying why the two are not the same runs.
    public static func pairs(_ a: CampaignSummary, _ b: CampaignSummary) throws -> [(CampaignRecord, CampaignRecord)] {
        guard a.records.count == b.records.count else {
            throw CampaignMergeError("A has \(a.records.count) runs, B \(b.records.count): not the same runs")
        }
        let pairs = Array(zip(a.records, b.records))
        if let bad = pairs.first(where: { $0.0.index != $0.1.index || $0.0.seed != $0.1.seed }) {
            throw CampaignMergeError("A's run \(bad.0.index) has seed \(bad.0.seed), B's run \(bad.1.index) seed \(bad.1.seed): "
                + "not the same seeds (give both the same --seed and --runs)")
        }
        return pairs
    }

    /// The rates compared: every invariant kept, then the controller's events.
    static var events: [(label: String, happened: (CampaignRecord) -> Bool)] {
        [("runs passing every invariant", { $0.passed }), ("runs failing an invariant", { !$0.passed })]
            + CampaignEvent.all.map { e in ("controller: " + e.label, { e.happened($0.controller) }) }
    }

    public static func render(_ a: CampaignSummary, _ b: CampaignSummary, labelA: String, labelB: String) throws -> String {
        let pairs = try pairs(a, b)
        var out = "\nComparison on \(pairs.count) paired runs (the same seeds, campaign seed \(a.campaign.seed))\n"
        out += "  A: \(labelA)\n  B: \(labelB)\n"
        out += "  B − A in percentage points, 95 % CI: Newcombe's paired square-and-add (Wilson score per rate)\n"
        for e in events {
            out += line(e.label, PairedDifference(pairs.map { (e.happened($0.1), e.happened($0.0)) }))
        }
        for (title, groups) in CampaignStrata.strata(a.campaign) {
            for g in groups {
                let inside = pairs.filter { g.member($0.0.draws) && g.member($0.1.draws) }
                out += line("passing, \(title) \(g.label)", PairedDifference(inside.map { ($0.1.passed, $0.0.passed) }))
            }
        }
        return out
    }

    /// `d` counts B as the first and A as the second, so its estimate is B − A.
    static func line(_ label: String, _ d: PairedDifference) -> String {
        var out = "  \(label):\n"
        out += "    A      \(RateText.rate(d.second.count, d.pairs))\n"
        out += "    B      \(RateText.rate(d.first.count, d.pairs))\n"
        guard let estimate = d.estimate, let ci = d.newcombe(confidence: RateText.confidence) else {
            return out + "    B − A  —\n"
        }
        out += "    B − A  \(RateText.points(estimate)) points (95 % CI \(RateText.points(ci.lowerBound)) … \(RateText.points(ci.upperBound))); "
            + "B only \(d.firstOnly), A only \(d.secondOnly) of \(d.pairs) runs\n"
        return out
    }
}
