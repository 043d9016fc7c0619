/// The difference of two rates measured on the same runs (the same seeds under two
/// configurations), with Newcombe's square-and-add interval for paired proportions
/// (Newcombe 1998, Statistics in Medicine 17:2635, method 10). Pairing matters: the
/// same patient, cement and fault drawn for both makes most runs agree, and an
/// interval that ignored it (as for two independent samples) would be far too wide.
public struct PairedDifference: Equatable, Sendable {
    /// Runs where the event happened under both, under the first only, the second
    /// only, and neither.
    public let both: Int, firstOnly: Int, secondOnly: Int, neither: Int

    public init(both: Int, firstOnly: Int, secondOnly: Int, neither: Int) {
        precondition([both, firstOnly, secondOnly, neither].allSatisfy { $0 >= 0 }, "counts are not negative")
        (self.both, self.firstOnly, self.secondOnly, self.neither) = (both, firstOnly, secondOnly, neither)
    }

    /// Tallies the pairs (event under the first, event under the second).
    public init(_ pairs: [(Bool, Bool)]) {
        var t = (0, 0, 0, 0)
        for (x, y) in pairs {
            switch (x, y) {
            case (true, true): t.0 += 1
            case (true, false): t.1 += 1
            case (false, true): t.2 += 1
            case (false, false): t.3 += 1
            }
        }
        self.init(both: t.0, firstOnly: t.1, secondOnly: t.2, neither: t.3)
    }

    public var pairs: Int { both + firstOnly + secondOnly + neither }
    public var first: Proportion { Proportion(both + firstOnly, of: pairs) }
    public var second: Proportion { Proportion(both + secondOnly, of: pairs) }
    /// First rate minus second; nil for no pairs.
    public var estimate: Double? { pairs == 0 ? nil : Double(firstOnly - secondOnly) / Double(pairs) }

    /// Newcombe's correlation term φ̂: the phi coefficient of the 2×2 table, set to 0
    /// when a margin is empty, and with its numerator ad − bc shrunk by n/2 towards 0
    /// when positive (his continuity correction of φ only, which keeps coverage near
    /// 95 % when the runs agree almost always).
    var phi: Double {
        let (a, b, c, d) = (Double(both), Double(firstOnly), Double(secondOnly), Double(neither))
        let margins = (a + b) * (c + d) * (a + c) * (b + d)
        guard margins > 0 else { return 0 }
        let cross = a * d - b * c, half = Double(pairs) / 2
        let shrunk = cross > half ? cross - half : (cross < 0 ? cross : 0)
        return shrunk / margins.squareRoot()
    }

    /// The interval for `estimate` at `confidence`, from each rate's Wilson interval.
    public func newcombe(confidence: Double = 0.95) -> ClosedRange<Double>? {
        guard let p1 = first.estimate, let p2 = second.estimate,
              let w1 = first.wilson(confidence: confidence), let w2 = second.wilson(confidence: confidence)
        else { return nil }
        return Self.squareAndAdd(p1, w1, p2, w2, phi: phi)
    }

    /// Newcombe's square-and-add: the difference's distance to each end is the
    /// root of the two rates' distances to their Wilson ends, less the correlation.
    /// With φ = 0 this is his interval for two independent proportions (1998, method 10).
    public static func squareAndAdd(_ p1: Double, _ w1: ClosedRange<Double>, _ p2: Double, _ w2: ClosedRange<Double>,
                                    phi: Double) -> ClosedRange<Double> {
        func spread(_ x: Double, _ y: Double) -> Double { max(0, x * x - 2 * phi * x * y + y * y).squareRoot() }
        let theta = p1 - p2
        let below = spread(p1 - w1.lowerBound, w2.upperBound - p2)
        let above = spread(w1.upperBound - p1, p2 - w2.lowerBound)
        return max(-1, theta - below) ... min(1, theta + above)
    }
}
