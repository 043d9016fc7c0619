/// One coordinate of the search box [0, 1]^n. Each is a campaign draw (`CampaignSpec`)
/// made explicit: a uniform draw maps its range linearly (log-uniform ones in log10),
/// a share or probability becomes "present when the coordinate is below it", and the
/// fault's kind splits its coordinate into seven equal bins. A uniformly random point
/// of the box is therefore a campaign run (the same distribution, other random bits),
/// which is what the random-sampling comparison draws.
///
/// Every coordinate is always present, even when its draw does not matter (a leak's
/// opening volume while the leak is absent), so that each keeps one meaning and the
/// optimiser's per-coordinate Gaussians stay meaningful from one generation to the next.
public enum SearchDimension: Int, CaseIterable, Sendable {
    case permeability, volumeToPosteriorWall, cementAge, flow, needle13G, observerDelay, tipPosition
    case veinPresent, epiduralPresent, needleTractPresent, discPresent
    case veinOpening, epiduralDepth, needleTractOpening, discOpening
    case veinEntry, epiduralEntry, needleTractEntry, discEntry
    case faultPresent, faultKind, faultTime, faultSize
    case pressureTwin, highViscosity

    /// The name in reports and JSON.
    public var name: String { String(describing: self) }

    public static var count: Int { allCases.count }
}

/// A point of the search box: one value in [0, 1] per `SearchDimension`.
public struct SearchPoint: Equatable, Sendable, Codable {
    public var coordinates: [Double]

    /// Checks the length and the box, so that a wrong point fails where it is made.
    public init(_ coordinates: [Double]) {
        precondition(coordinates.count == SearchDimension.count,
                     "a search point has \(SearchDimension.count) coordinates, got \(coordinates.count)")
        precondition(coordinates.allSatisfy { (0...1).contains($0) }, "search coordinates lie in [0, 1]")
        self.coordinates = coordinates
    }

    public subscript(d: SearchDimension) -> Double { coordinates[d.rawValue] }
}
