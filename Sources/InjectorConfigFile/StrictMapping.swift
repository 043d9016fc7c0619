import InjectorCore
import Yams

/// One YAML mapping being read: every key must be asked for, and `finish()` reports
/// each one nobody asked for, with the nearest known key, so a misspelt key is an
/// error, not a silent default. Every reader records its problem and goes on, so one
/// run lists everything wrong with the file.
public struct StrictMapping {
    public let path: String
    let entries: [(key: String, node: Node)]
    public let reader: StrictReader
    private var asked: [String] = []

    init(path: String, entries: [(key: String, node: Node)], reader: StrictReader) {
        self.path = path
        self.entries = entries
        self.reader = reader
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
    /// The dotted path of `key` in this mapping.
    public func field(_ key: String) -> String { Self.join(path, key) }
    /// The keys present, in file order.
    public var keys: [String] { entries.map(\.key) }
    public func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The value of `key`, marking the key as known; a missing required key is reported
    /// with what it may hold.
    public mutating func node(_ key: String, required: Bool = false, expected: @autoclosure () -> String = "a value")
        -> StrictNode? {
        if !asked.contains(key) { asked.append(key) }
        guard let n = entries.first(where: { $0.key == key })?.node else {
            if required { reader.report(field(key), "missing", allowed: expected()) }
            return nil
        }
        return StrictNode(node: n, path: field(key), reader: reader)
    }

    /// Reports every key nobody asked for, suggesting the nearest known one.
    public func finish() {
        for (key, _) in entries where !asked.contains(key) {
            let known = asked.sorted()
            let hint = KeySuggestion.nearest(to: key, in: known).map { "did you mean \"\($0)\"? " } ?? ""
            reader.report(field(key), "unknown key", allowed: hint + "known here: " + known.joined(separator: ", "))
        }
    }

    /// A single value's text; a list or mapping is reported.
    public mutating func text(_ key: String, required: Bool = false, expected: String = "a value") -> String? {
        guard let n = node(key, required: required, expected: expected) else { return nil }
        guard let s = n.scalar else {
            reader.report(n.path, "not a single value", allowed: expected)
            return nil
        }
        return s
    }

    /// A value read by `parse` (which returns `nil` for text it cannot read).
    public mutating func value<T>(_ key: String, required: Bool = false, expected: String,
                                  _ parse: (String) -> T?) -> T? {
        guard let s = text(key, required: required, expected: expected) else { return nil }
        guard let v = parse(s) else {
            reader.report(field(key), "\"\(s)\"", allowed: expected)
            return nil
        }
        return v
    }

    /// A number with a unit, in `units.symbol`, within `range` (in the same unit).
    public mutating func quantity(_ key: String, _ units: UnitTable, in range: ClosedRange<Double>,
                                  required: Bool = false) -> Double? {
        let allowed = "\(Self.format(range.lowerBound)) … \(Self.format(range.upperBound)) \(units.symbol)"
        guard let v = value(key, required: required, expected: "\(allowed), \(units.expected)", units.value(of:)) else {
            return nil
        }
        return checked(key, v, range, "\(Self.format(v)) \(units.symbol)", allowed)
    }

    /// A time with a unit, within `range` seconds.
    public mutating func interval(_ key: String, in range: ClosedRange<Double>, required: Bool = false) -> Interval? {
        let allowed = "\(Self.format(range.lowerBound)) s … \(Self.format(range.upperBound)) s"
        let expected = "\(allowed), \(UnitTable.nanoseconds.expected)"
        guard let ns = value(key, required: required, expected: expected, UnitTable.nanoseconds.value(of:)) else {
            return nil
        }
        let t = Interval(nanoseconds: Int64(Swift.min(Swift.max(ns.rounded(), -9e18), 9e18)))
        return checked(key, t.seconds, range, t.description, allowed).map { _ in t }
    }

    /// Every finite number: for a value whose sense is checked elsewhere (a calibration).
    public static let anyFinite = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    /// Every whole number.
    public static let anyWhole = Int.min...Int.max

    /// A plain (dimensionless) number within `range`.
    public mutating func number(_ key: String, in range: ClosedRange<Double> = anyFinite, required: Bool = false) -> Double? {
        let allowed = range == Self.anyFinite ? "any finite number"
            : "\(Self.format(range.lowerBound)) … \(Self.format(range.upperBound))"
        guard let v = value(key, required: required, expected: "a plain number, \(allowed)", {
            Double($0).flatMap { $0.isFinite ? $0 : nil }
        }) else { return nil }
        return checked(key, v, range, Self.format(v), allowed)
    }

    /// A whole number within `range`.
    public mutating func integer(_ key: String, in range: ClosedRange<Int> = anyWhole, required: Bool = false) -> Int? {
        let expected = range == Self.anyWhole ? "a whole number" : "a whole number, \(range.lowerBound) … \(range.upperBound)"
        guard let v = value(key, required: required, expected: expected, { Int($0) }) else { return nil }
        guard range.contains(v) else {
            reader.report(field(key), String(v), allowed: "\(range.lowerBound) … \(range.upperBound)")
            return nil
        }
        return v
    }

    /// A whole number of 0 or more (a seed).
    public mutating func unsigned(_ key: String, required: Bool = false) -> UInt64? {
        value(key, required: required, expected: "a whole number, 0 … \(UInt64.max)") { UInt64($0) }
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        value(key, required: required, expected: "true or false") { Self.booleans[$0.lowercased()] }
    }

    /// One of a fixed set of names.
    public mutating func choice<T>(_ key: String, _ options: [(String, T)], required: Bool = false) -> T? {
        let expected = "one of " + options.map(\.0).joined(separator: ", ")
        return value(key, required: required, expected: expected) { s in options.first { $0.0 == s }?.1 }
    }

    /// A nested mapping.
    public mutating func mapping(_ key: String, required: Bool = false) -> StrictMapping? {
        node(key, required: required, expected: "a mapping of keys to values")?.mapping()
    }

    /// A list.
    public mutating func sequence(_ key: String, required: Bool = false) -> [StrictNode]? {
        node(key, required: required, expected: "a list")?.sequence()
    }

    /// A `[low, high]` pair within `limits`, each read by `units` (a plain number if `nil`).
    public mutating func pair(_ key: String, _ units: UnitTable?, within limits: ClosedRange<Double>)
        -> ClosedRange<Double>? {
        let unit = units.map { " " + $0.symbol } ?? ""
        let allowed = "[low, high] within \(Self.format(limits.lowerBound)) … \(Self.format(limits.upperBound))\(unit)"
            + (units.map { ", \($0.expected)" } ?? "")
        guard let list = sequence(key) else { return nil }
        let values = list.compactMap { $0.scalar.flatMap { units?.value(of: $0) ?? (units == nil ? Double($0) : nil) } }
        guard values.count == 2, list.count == 2, values[0] <= values[1], limits.contains(values[0]),
              limits.contains(values[1]) else {
            reader.report(field(key), list.map { $0.scalar ?? "?" }.joined(separator: ", "), allowed: allowed)
            return nil
        }
        return values[0]...values[1]
    }

    private func checked(_ key: String, _ v: Double, _ range: ClosedRange<Double>, _ shown: String,
                         _ allowed: String) -> Double? {
        guard range.contains(v) else {
            reader.report(field(key), shown, allowed: allowed)
            return nil
        }
        return v
    }

    static let booleans = ["true": true, "yes": true, "on": true, "false": false, "no": false, "off": false]

    /// "0.5", "5", "1e-10": a bound as people write it.
    public static func format(_ x: Double) -> String {
        if x == x.rounded() && Swift.abs(x) < 1e15 { return String(Int64(x)) }
        return String(x)
    }
}

/// The known key nearest a misspelt one.
enum KeySuggestion {
    /// A suggestion is only made within this many edits: "lenght" → "length" is 2, and
    /// beyond 3 the nearest key is usually a different word, not a typo.
    static let maximumEdits = 3

    static func nearest(to key: String, in known: [String]) -> String? {
        let scored = known.map { ($0, distance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= maximumEdits, best.1 < key.count else { return nil }
        return best.0
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                row[j] = Swift.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
