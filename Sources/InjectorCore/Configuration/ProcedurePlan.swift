/// Which side(s) of the vertebra the cement goes in through.
public enum PedicleApproach: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case unipedicular = 1
    case bipedicular = 2

    public var pedicleCount: Int { Int(rawValue) }
    public var description: String { self == .unipedicular ? "unipedicular" : "bipedicular" }
}

/// How big the anterior vertebral body is: given directly, or as a share of the body.
public enum AnteriorCapacity: Equatable, Sendable {
    case direct(Microliters)
    case fromBody(bodyVolume: Microliters, anteriorFraction: Double)

    public var volume: Microliters {
        switch self {
        case .direct(let v): v
        case .fromBody(let body, let fraction): body * fraction
        }
    }
}

/// One level's injection plan: what the clinician decides before the needle goes in.
public struct ProcedurePlan: Equatable, Sendable {
    /// Vertebral level, for the record ("L1"); a fixed 4-byte code on the wire.
    public var level: VertebralLevel
    public var anteriorCapacity: AnteriorCapacity
    /// The largest share of the anterior capacity that may be filled (0–1).
    public var fillFractionLimit: Double
    public var approach: PedicleApproach
    /// Cap per pedicle (Harrington: about 1.5 mL per pedicle).
    public var perPedicleCap: Microliters

    public init(level: VertebralLevel, anteriorCapacity: AnteriorCapacity, fillFractionLimit: Double,
                approach: PedicleApproach, perPedicleCap: Microliters) {
        self.level = level
        self.anteriorCapacity = anteriorCapacity
        self.fillFractionLimit = fillFractionLimit
        self.approach = approach
        self.perPedicleCap = perPedicleCap
    }
}

/// A vertebral level such as T8 or L1: region and number.
public struct VertebralLevel: Hashable, Sendable, CustomStringConvertible {
    public enum Region: UInt8, Sendable, CaseIterable {
        case cervical = 1, thoracic = 2, lumbar = 3, sacral = 4
        var letter: Character {
            switch self { case .cervical: "C"; case .thoracic: "T"; case .lumbar: "L"; case .sacral: "S" }
        }
    }
    public var region: Region
    public var number: UInt8

    public init(region: Region, number: UInt8) {
        self.region = region
        self.number = number
    }

    /// Parses "T8", "L1" and the like; `nil` for anything that is not a vertebra.
    public init?(_ text: String) {
        guard let first = text.first, let n = UInt8(text.dropFirst()) else { return nil }
        let regions: [Character: (Region, ClosedRange<UInt8>)] = [
            "C": (.cervical, 1...7), "T": (.thoracic, 1...12), "L": (.lumbar, 1...5), "S": (.sacral, 1...5),
        ]
        guard let (region, valid) = regions[Character(first.uppercased())], valid.contains(n) else { return nil }
        self.init(region: region, number: n)
    }

    public var description: String { "\(region.letter)\(number)" }
}
