/// The ways cement leaves the vertebral body that the seed paper's injuries came by.
public enum LeakPathKind: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Basivertebral / paravertebral veins, toward the lungs (pulmonary embolism).
    case vein
    /// Through a defect in the posterior wall into the spinal canal (case 1).
    case epidural
    /// Back along the needle tract through a broken pedicle wall (cases 2 and 3).
    case needleTract
    /// Through an end-plate fracture into the disc.
    case disc

    public var description: String {
        switch self {
        case .vein: "vein"
        case .epidural: "epidural"
        case .needleTract: "needle tract"
        case .disc: "disc"
        }
    }
}

/// One value per leak path, in fixed storage: no array, so a time step allocates nothing.
public struct LeakPaths<Element> {
    public var vein: Element
    public var epidural: Element
    public var needleTract: Element
    public var disc: Element

    public init(vein: Element, epidural: Element, needleTract: Element, disc: Element) {
        self.vein = vein
        self.epidural = epidural
        self.needleTract = needleTract
        self.disc = disc
    }

    /// The same value for every path.
    public init(repeating value: Element) {
        self.init(vein: value, epidural: value, needleTract: value, disc: value)
    }

    public subscript(kind: LeakPathKind) -> Element {
        get {
            switch kind {
            case .vein: vein
            case .epidural: epidural
            case .needleTract: needleTract
            case .disc: disc
            }
        }
        set {
            switch kind {
            case .vein: vein = newValue
            case .epidural: epidural = newValue
            case .needleTract: needleTract = newValue
            case .disc: disc = newValue
            }
        }
    }

    /// Calls `body` with each path's kind and value, in declaration order. Unrolled, so
    /// the hot path does not iterate `allCases` (an array) every step.
    @inline(__always) public mutating func modifyEach(_ body: (LeakPathKind, inout Element) throws -> Void) rethrows {
        try body(.vein, &vein)
        try body(.epidural, &epidural)
        try body(.needleTract, &needleTract)
        try body(.disc, &disc)
    }

    /// Applies `transform` to each path's value.
    public func map<T>(_ transform: (Element) throws -> T) rethrows -> LeakPaths<T> {
        LeakPaths<T>(vein: try transform(vein), epidural: try transform(epidural),
                     needleTract: try transform(needleTract), disc: try transform(disc))
    }
}

extension LeakPaths: Equatable where Element: Equatable {}
extension LeakPaths: Sendable where Element: Sendable {}
