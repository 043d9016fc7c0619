/// The name the kernel gives line `n` of the board's chip ("GPIO17" on a Raspberry
/// Pi), from the board file's `gpio.lineNames`. Checked before any line is requested,
/// so that a board file whose numbers belong to another chip or another numbering
/// (header pins, wiringPi) is refused instead of driving the wrong pins.
public enum LineNameRule: Equatable, Sendable, CustomStringConvertible {
    /// `prefix` + the offset in decimal + `suffix`: "GPIO<n>" is ("GPIO", "").
    case pattern(prefix: String, suffix: String)
    /// The board file says the chip's names mean nothing for it (`unchecked`).
    case unchecked

    /// The placeholder for the line's offset in a pattern.
    public static let placeholder = "<n>"

    /// Reads "GPIO<n>" or "unchecked"; `nil` for anything else.
    public init?(_ text: String) {
        if text == "unchecked" { self = .unchecked; return }
        let parts = text.split(separator: Self.placeholder, omittingEmptySubsequences: false)
        guard parts.count == 2, !(parts[0] + parts[1]).isEmpty else { return nil }
        self = .pattern(prefix: String(parts[0]), suffix: String(parts[1]))
    }

    public func expectedName(_ offset: UInt32) -> String? {
        switch self {
        case .pattern(let prefix, let suffix): prefix + String(offset) + suffix
        case .unchecked: nil
        }
    }

    public var description: String {
        switch self {
        case .pattern(let prefix, let suffix): prefix + Self.placeholder + suffix
        case .unchecked: "unchecked"
        }
    }
}

/// What the name check found: lines whose kernel name matched, lines the kernel gave
/// no name (nothing to check), and mismatches ("line 17 (STEP) is \"GPIO18\"").
public struct LineNameCheck: Equatable, Sendable, CustomStringConvertible {
    public var matched = 0
    public var unnamed = 0
    public var mismatches: [String] = []
    public var rule: LineNameRule

    public init(rule: LineNameRule) { self.rule = rule }

    public var description: String {
        guard rule != .unchecked else { return "line names not checked (gpio.lineNames: unchecked)" }
        return "line names \(rule): \(matched) matched" + (unnamed > 0 ? ", \(unnamed) unnamed by the kernel" : "")
    }
}

extension GPIOChip {
    /// Compares the kernel's name of each line in `lines` with `rule`; throws on any
    /// mismatch, naming every one. A line the kernel does not name (or whose info the
    /// library cannot read) is counted, not refused: many chips name no lines.
    public func checkNames(_ lines: [GPIOLineSettings], rule: LineNameRule) throws(HardwareError) -> LineNameCheck {
        var check = LineNameCheck(rule: rule)
        guard rule != .unchecked else { return check }
        for line in lines {
            guard let expected = rule.expectedName(line.offset) else { continue }
            guard let info = try? lineInfo(line.offset), !info.name.isEmpty else {
                check.unnamed += 1
                continue
            }
            if info.name == expected { check.matched += 1 }
            else { check.mismatches.append("line \(line.offset) (\(line.role)) is \"\(info.name)\", not \"\(expected)\"") }
        }
        guard check.mismatches.isEmpty else {
            throw HardwareError(.configuration, device: "\(name) [\(label)]",
                                detail: "line names differ from gpio.lineNames \"\(rule)\": "
                                    + check.mismatches.joined(separator: "; "),
                                advice: "The board file's line numbers do not name this chip's lines: check them "
                                    + "with `gpioinfo \(name)` (offsets are BCM numbers on a Raspberry Pi, not "
                                    + "header pins)")
        }
        return check
    }
}
