/// Cement committed in the current vertebral level and in the whole session: the
/// device's own record, which no host command resets (domain brief, invariant 7).
///
/// A level may be planned more than once (`configureProcedure` after `complete`), but
/// every plan's budget starts from what the level and the session already hold: the
/// cap a new plan gives is its own cap less the level's earlier rounds, and never more
/// than the session ceiling leaves. Only a local, physical action (the device's
/// new-level key switch, `Switch.newLevel`) followed by the host's plan starts a new
/// level. A level is primed once: priming again would push the needle's dead volume
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

    public init() {}

    /// A ledger restored from its persisted record; `nil` if the record is not one
    /// (negative, non-finite or inconsistent volumes, level 0).
    public init?(levelIndex: UInt32, levelPrimed: Bool, levelCommitted: Microliters, sessionCommitted: Microliters) {
        guard levelIndex >= 1, levelCommitted.isFinite, sessionCommitted.isFinite,
              levelCommitted >= .zero, sessionCommitted >= levelCommitted else { return nil }
        self.levelIndex = levelIndex
        self.levelPrimed = levelPrimed
        self.levelBefore = levelCommitted
        self.sessionBefore = sessionCommitted
    }

    /// The cap a new budget of `planCap` gets in this level, under `sessionCeiling`.
    public func cap(forPlan planCap: Microliters, sessionCeiling: Microliters) -> Microliters {
        Swift.max(.zero, Swift.min(planCap - levelBefore, sessionCeiling - sessionBefore))
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
    }
}

extension VolumeLedger {
    /// The persisted form: a few `key=value` lines under a versioned first line, so a
    /// person can read the file on the device and a corrupt one is refused, not guessed.
    public static let recordHeader = "injector-volume-ledger 1"

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

        """
    }

    /// Parses `record`; `nil` for anything else (a missing or extra key, a bad number).
    public init?(record text: String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard lines.first == Self.recordHeader else { return nil }
        lines.removeFirst()
        var values: [String: String] = [:]
        for line in lines {
            let pair = line.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, values[pair[0]] == nil else { return nil }
            values[pair[0]] = pair[1]
        }
        guard values.count == 4, let index = values["levelIndex"].flatMap({ UInt32($0) }),
              let primed = values["levelPrimed"], primed == "0" || primed == "1",
              let level = values["levelCommittedUL"].flatMap({ Double($0) }),
              let session = values["sessionCommittedUL"].flatMap({ Double($0) }) else { return nil }
        self.init(levelIndex: index, levelPrimed: primed == "1", levelCommitted: Microliters(level),
                  sessionCommitted: Microliters(session))
    }
}
