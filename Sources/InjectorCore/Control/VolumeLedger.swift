/// Cement committed in the current vertebral level and in the whole session: the
/// device's own record, which no host command resets (domain brief, invariant 7).
///
/// A level may be planned more than once (`configureProcedure` after `complete`), but
/// every plan's budget starts from what the level and the session already hold: the
/// cap a new plan gives is its own cap less the level's earlier rounds, and never more
/// than the session ceiling leaves. Only a local, physical action (the device's
/// new-level key switch, `Switch.newLevel`) followed by the host's plan starts a new
/// level. A posterior-quarter or leak stop, and the host's `tightenCap`, lower the
/// level's ceiling (`levelCeiling`, an absolute level total): it only ever falls, every
/// later plan and a restart keep it, and only a new level clears it. A level is primed once: priming again would push the needle's dead volume
/// through a needle already in bone. The firmware persists the ledger (with fsync) on
/// every change and restores it at start, so a restart resumes it instead of zeroing it.
public struct VolumeLedger: Equatable, Sendable {
    /// Levels started in this session, counting the current one (1 for the first).
    public private(set) var levelIndex: UInt32 = 1
    /// Whether the current level's needle has been primed.
    public private(set) var levelPrimed = false
    /// Committed in the current level by budgets that have ended (earlier rounds).
    public private(set) var levelBefore: Microliters = .zero
    /// Committed in the session by budgets that have ended (earlier rounds and levels).
    public private(set) var sessionBefore: Microliters = .zero
    /// The most the current level may hold in all, once a hazard stop or `tightenCap`
    /// has lowered it; `nil` while no such ceiling is set. It never rises.
    public private(set) var levelCeiling: Microliters?

    public init() {}

    /// A ledger restored from its persisted record; `nil` if the record is not one
    /// (negative, non-finite or inconsistent volumes, level 0). A ceiling below the
    /// level's volume is one (a write margin can put the volume above it).
    public init?(levelIndex: UInt32, levelPrimed: Bool, levelCommitted: Microliters, sessionCommitted: Microliters,
                 levelCeiling: Microliters? = nil) {
        guard levelIndex >= 1, levelCommitted.isFinite, sessionCommitted.isFinite,
              levelCommitted >= .zero, sessionCommitted >= levelCommitted else { return nil }
        if let levelCeiling, !(levelCeiling.isFinite && levelCeiling >= .zero) { return nil }
        self.levelIndex = levelIndex
        self.levelPrimed = levelPrimed
        self.levelBefore = levelCommitted
        self.sessionBefore = sessionCommitted
        self.levelCeiling = levelCeiling
    }

    /// The cap a new budget of `planCap` gets in this level, under `sessionCeiling`:
    /// the plan's less the level's earlier rounds, no more than the session leaves, and
    /// no more than the level's ceiling leaves.
    public func cap(forPlan planCap: Microliters, sessionCeiling: Microliters) -> Microliters {
        let left = Swift.min(planCap - levelBefore, sessionCeiling - sessionBefore)
        return Swift.max(.zero, Swift.min(left, ceilingLeft ?? left))
    }

    /// What the level's ceiling leaves after its earlier rounds; `nil` without one.
    @inlinable public var ceilingLeft: Microliters? { levelCeiling.map { $0 - levelBefore } }

    /// Lowers the level's ceiling so the level holds at most what it committed before
    /// plus `runningCap`, the running budget's (just tightened) cap. Never raises it.
    public mutating func lowerLevelCeiling(toRunningCap runningCap: Microliters) {
        precondition(runningCap.isFinite && runningCap >= .zero, "a cap is a finite, non-negative volume")
        let ceiling = levelBefore + runningCap
        if let current = levelCeiling, current <= ceiling { return }
        levelCeiling = ceiling
    }

    /// The level's total with the running budget's `committed`.
    @inlinable public func levelCommitted(running committed: Microliters) -> Microliters { levelBefore + committed }
    /// The session's total with the running budget's `committed`.
    @inlinable public func sessionCommitted(running committed: Microliters) -> Microliters { sessionBefore + committed }

    /// A budget that committed `committed` ends (a new plan replaces it).
    public mutating func close(budgetCommitted committed: Microliters) {
        precondition(committed.isFinite && committed >= .zero, "a budget commits a finite, non-negative volume")
        levelBefore = levelBefore + committed
        sessionBefore = sessionBefore + committed
    }

    public mutating func markPrimed() { levelPrimed = true }

    /// A new level begins (after the local new-level action): its own volume starts at
    /// zero and its needle is unprimed; the session's total stays.
    public mutating func beginNewLevel() {
        levelIndex &+= 1
        levelPrimed = false
        levelBefore = .zero
        levelCeiling = nil
    }
}

extension VolumeLedger {
    /// The persisted form: a few `key=value` lines under a versioned first line, so a
    /// person can read the file on the device and a corrupt one is refused, not guessed.
    /// Version 2 adds `levelCeilingUL` (`none`, or the level's ceiling in µL).
    public static let recordHeader = "injector-volume-ledger 2"
    /// The header of the records written before the level ceiling: still read (as a
    /// ledger without a ceiling), so an update does not strand a session under way.
    public static let recordHeaderVersion1 = "injector-volume-ledger 1"
    /// How `levelCeilingUL` says there is no ceiling.
    static let noCeiling = "none"

    /// This ledger with `margin` added to both volumes: what the firmware writes while
    /// cement moves, so that a crash between two writes never undercounts.
    public func adding(_ margin: Microliters) -> VolumeLedger {
        precondition(margin.isFinite && margin >= .zero, "a margin is a finite, non-negative volume")
        var l = self
        l.levelBefore = levelBefore + margin
        l.sessionBefore = sessionBefore + margin
        return l
    }

    public var record: String {
        """
        \(Self.recordHeader)
        levelIndex=\(levelIndex)
        levelPrimed=\(levelPrimed ? 1 : 0)
        levelCommittedUL=\(levelBefore.rawValue)
        sessionCommittedUL=\(sessionBefore.rawValue)
        levelCeilingUL=\(levelCeiling.map { String($0.rawValue) } ?? Self.noCeiling)

        """
    }

    /// Parses `record`; `nil` for anything else (a missing or extra key, a bad number).
    public init?(record text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let header = lines.first, header == Self.recordHeader || header == Self.recordHeaderVersion1 else {
            return nil
        }
        let keys = header == Self.recordHeader ? 5 : 4
        lines.removeFirst()
        var values: [String: String] = [:]
        for line in lines {
            let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, values[pair[0]] == nil else { return nil }
            values[pair[0]] = pair[1]
        }
        var ceiling: Microliters?
        if keys == 5 {
            guard let text = values["levelCeilingUL"] else { return nil }
            if text != Self.noCeiling {
                guard let v = Double(text) else { return nil }
                ceiling = Microliters(v)
            }
        }
        guard values.count == keys, let index = values["levelIndex"].flatMap({ UInt32($0) }),
              let primed = values["levelPrimed"], primed == "0" || primed == "1",
              let level = values["levelCommittedUL"].flatMap({ Double($0) }),
              let session = values["sessionCommittedUL"].flatMap({ Double($0) }) else { return nil }
        self.init(levelIndex: index, levelPrimed: primed == "1", levelCommitted: Microliters(level),
                  sessionCommitted: Microliters(session), levelCeiling: ceiling)
    }
}
