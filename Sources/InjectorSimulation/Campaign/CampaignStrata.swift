import Foundation

/// The pass rate within groups of runs cut by what was drawn: pressure twin or not,
/// needle, cement age at start (the viscosity the run met: consistency rises with
/// age), and observer delay. Each is reported on its own with its interval, since a
/// rate over the whole campaign can hide a group that fails far more often.
enum CampaignStrata {
    /// Equal-width bins over a draw's range.
    static let bins = 3

    struct Stratum {
        let label: String
        let member: (CampaignDraws) -> Bool
    }

    static func strata(_ h: CampaignHeader) -> [(title: String, groups: [Stratum])] {
        [("pressure twin", [Stratum(label: "load cell fitted") { $0.pressureTwinFitted },
                            Stratum(label: "transducer alone") { !$0.pressureTwinFitted }]),
         ("needle", [Stratum(label: "11G") { !$0.needle13G }, Stratum(label: "13G") { $0.needle13G }]),
         ("cement age at start (viscosity)", binned(h.cementAgeAtStartS, unit: "s", format: "%.0f") { $0.cementAgeAtStartS }),
         ("observer delay", binned(h.observerDelayS, unit: "s", format: "%.2f") { $0.observerDelayS })]
    }

    /// `bins` equal-width groups over [lo, hi]; the last includes hi. A draw outside
    /// the range (none, since runs draw inside it) would fall in the end bins.
    static func binned(_ range: [Double], unit: String, format: String,
                       _ value: @escaping (CampaignDraws) -> Double) -> [Stratum] {
        guard range.count == 2, range[1] > range[0] else {
            return [Stratum(label: "all") { _ in true }]
        }
        let lo = range[0], width = (range[1] - range[0]) / Double(bins)
        func bin(_ x: Double) -> Int { min(bins - 1, max(0, Int(((x - lo) / width).rounded(.down)))) }
        return (0..<bins).map { k in
            let a = String(format: format, lo + Double(k) * width), b = String(format: format, lo + Double(k + 1) * width)
            return Stratum(label: "\(a)–\(b) \(unit)") { bin(value($0)) == k }
        }
    }

    static func render(_ runs: [CampaignRecord], header: CampaignHeader) -> String {
        var out = "  strata: runs passing every invariant\n"
        for (title, groups) in strata(header) {
            out += "    \(title):\n"
            for g in groups {
                let members = runs.filter { g.member($0.draws) }
                out += "      \(TextReport.pad(g.label, 27)) \(RateText.rate(members.filter(\.passed).count, members.count))\n"
            }
        }
        return out
    }
}
