import InjectorPlant

/// How the cross-entropy method samples and narrows (Rubinstein & Kroese, "The
/// Cross-Entropy Method", 2004, ch. 8: continuous optimisation with a Gaussian per
/// coordinate). The defaults are the book's usual ones for a few dozen coordinates.
public struct CrossEntropySettings: Equatable, Sendable {
    /// Points drawn per generation.
    public var population = 20
    /// Share of each generation (the lowest values) the next Gaussians are fitted to.
    public var eliteFraction = 0.2
    /// Weight of the elites' fit against the previous Gaussians (1: no memory).
    public var smoothing = 0.7
    /// Standard deviation of every coordinate at the start (the box is [0, 1]).
    public var initialSpread = 0.3
    /// No coordinate's deviation falls below this, so the search never freezes early.
    public var minimumSpread = 0.02

    public init() {}

    /// The elites of one full generation: at least 2, so a deviation can be fitted.
    var eliteCount: Int { Swift.max(2, Int((Double(population) * eliteFraction).rounded(.up))) }
}

/// Every point an optimiser tried, in the order it tried them, with its value.
public struct OptimisationTrace: Sendable {
    public var points: [[Double]] = []
    public var values: [Double] = []

    public var bestIndex: Int? { values.indices.min { (values[$0], $0) < (values[$1], $1) } }
    /// How many evaluations it took to first see a value below `threshold` (1-based), if any.
    public func evaluationsUntil(below threshold: Double) -> Int? {
        values.firstIndex { $0 < threshold }.map { $0 + 1 }
    }

    mutating func append(_ batch: [[Double]], _ results: [Double]) {
        precondition(batch.count == results.count, "one value per point")
        points += batch
        values += results
    }
}

/// Minimisers over the box [0, 1]^n that hand each batch of points to `evaluate` at
/// once (so a caller can spread a batch over threads) and draw every random number
/// from one seeded generator on the caller's thread: a seed gives the same trace.
public enum BoxMinimiser {
    /// The cross-entropy method: Gaussians per coordinate, clamped to the box, refitted
    /// each generation to its elites with smoothing. Stops after `budget` evaluations
    /// (the last generation is cut short to fit).
    public static func crossEntropy(dimensions: Int, budget: Int, settings: CrossEntropySettings, seed: UInt64,
                                    evaluate: ([[Double]]) -> [Double]) -> OptimisationTrace {
        var random = Xoshiro256StarStar(seed: seed)
        var mean = [Double](repeating: 0.5, count: dimensions)
        var spread = [Double](repeating: settings.initialSpread, count: dimensions)
        var trace = OptimisationTrace()
        while trace.values.count < budget {
            let n = Swift.min(settings.population, budget - trace.values.count)
            let batch = (0..<n).map { _ in
                (0..<dimensions).map { i in clampToBox(mean[i] + spread[i] * random.gaussian()) }
            }
            let values = evaluate(batch)
            trace.append(batch, values)
            guard n == settings.population else { break }
            let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
            let elites = order.prefix(settings.eliteCount).map { batch[$0] }
            let a = settings.smoothing
            for i in 0..<dimensions {
                let column = elites.map { $0[i] }
                let m = column.reduce(0, +) / Double(column.count)
                let variance = column.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(column.count)
                mean[i] = a * m + (1 - a) * mean[i]
                spread[i] = Swift.max(settings.minimumSpread, a * variance.squareRoot() + (1 - a) * spread[i])
            }
        }
        return trace
    }

    /// Uniform random points of the box, `batch` at a time, `budget` in all: the
    /// yardstick the cross-entropy method is measured against on the same budget.
    public static func random(dimensions: Int, budget: Int, batch: Int, seed: UInt64,
                              evaluate: ([[Double]]) -> [Double]) -> OptimisationTrace {
        var random = Xoshiro256StarStar(seed: seed)
        var trace = OptimisationTrace()
        while trace.values.count < budget {
            let n = Swift.min(Swift.max(1, batch), budget - trace.values.count)
            let points = (0..<n).map { _ in (0..<dimensions).map { _ in random.uniform() } }
            trace.append(points, evaluate(points))
        }
        return trace
    }

    @inline(__always) static func clampToBox(_ x: Double) -> Double { Swift.min(1, Swift.max(0, x)) }
}
