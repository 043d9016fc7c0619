import Foundation
import Testing

/// One row of the hazard table in docs/safety.md.
struct HazardRow {
    var id: String
    var control: String
    var verification: String
    var isOpen: Bool { control.contains("none yet") || verification.contains("none yet") }
}

/// Reads docs/safety.md and the sources it names, from the package root.
struct SafetyCase {
    let root: URL

    init() {
        root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func text(_ relative: String) -> String? {
        try? String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    var document: String { text("docs/safety.md") ?? "" }

    /// The "## Hazards" section up to the next "## " heading.
    var hazardsSection: String {
        guard let start = document.range(of: "\n## Hazards\n") else { return "" }
        let rest = document[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// The "### Open hazards" list up to the next heading.
    var openSection: String {
        guard let start = hazardsSection.range(of: "### Open hazards") else { return "" }
        let rest = hazardsSection[start.upperBound...]
        let end = rest.range(of: "\n#")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// Rows whose first cell is an id H01, H02, …; the columns are id, hazard, effect,
    /// severity, control, verification, residual risk.
    var rows: [HazardRow] {
        hazardsSection.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 9, cells[1].wholeMatch(of: /H\d\d/) != nil else { return nil }
            return HazardRow(id: cells[1], control: cells[5], verification: cells[6])
        }
    }

    /// Every `code span` in a cell.
    static func spans(_ cell: String) -> [String] {
        cell.matches(of: /`([^`]+)`/).map { String($0.1) }
    }

    /// Every Swift file under Tests/, as text.
    var testSources: [String] {
        let base = root.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".swift") }
            .compactMap { try? String(contentsOf: base.appendingPathComponent($0), encoding: .utf8) }
    }
}

/// The body of each top-level declaration named `name` (struct, class, enum or
/// extension), up to the next top-level declaration.
func declarationBodies(named name: String, in source: String) -> [Substring] {
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    let topLevel = /^(@\w+(\([^)]*\))?\s+)*(public |final )*(struct|class|enum|extension) (\w+)/
    var bodies: [Substring] = []
    var start: Int?
    for (i, line) in lines.enumerated() {
        guard let m = line.prefixMatch(of: topLevel) else { continue }
        if let s = start { bodies.append(lines[s..<i].joined(separator: "\n")[...]) }
        start = m.5 == name ? i : nil
    }
    if let s = start { bodies.append(lines[s...].joined(separator: "\n")[...]) }
    return bodies
}

/// Whether `source` declares `member` (a function, property, case or nested type).
func declares(_ member: String, in source: some StringProtocol) -> Bool {
    let kinds = ["func ", "var ", "let ", "case ", "struct ", "enum ", "class ", "extension "]
    return kinds.contains { kind in
        source.contains(kind + member + "(") || source.contains(kind + member + " ")
            || source.contains(kind + member + ":") || source.contains(kind + member + "<")
            || source.contains(kind + member + "\n") || source.contains(kind + member + ",")
    }
}

enum TraceProblem {
    /// What is wrong with one verification name, or nil.
    static func verification(_ name: String, _ safety: SafetyCase, tests: [String], testbed: String) -> String? {
        if name.hasPrefix("testbed:") {
            let check = String(name.dropFirst("testbed:".count))
            let named = testbed.contains("check \(check) ") || testbed.contains("check_release \(check) ")
                || testbed.contains("check_inputs \(check) ") || testbed.contains("refused \(check) ")
            return named ? nil : "testbed check \(check) is not in hardware/testbed/guest-init.sh"
        }
        if name.hasSuffix(".yaml") {
            let exists = FileManager.default.fileExists(
                atPath: safety.root.appendingPathComponent("simulator/scenarios/\(name)").path)
            return exists ? nil : "scenario \(name) is not in simulator/scenarios/"
        }
        let parts = name.split(separator: ".")
        guard parts.count == 2 else { return nil }  // a field or key, not a test name
        let suite = String(parts[0]), function = String(parts[1])
        let found = tests.contains { source in
            declarationBodies(named: suite, in: source).contains { $0.contains("func \(function)(") }
        }
        return found ? nil : "no func \(function)( inside struct \(suite) under Tests/"
    }

    /// Every file named in a control cell must exist and declare each symbol that
    /// follows it (up to the next file): `Type.member` or a top-level name.
    static func control(_ cell: String, _ safety: SafetyCase) -> [String] {
        var problems: [String] = []
        var file: (path: String, text: String)?
        for span in SafetyCase.spans(cell) {
            if span.hasPrefix("Sources/") {
                guard let text = safety.text(span) else {
                    problems.append("\(span) does not exist"); file = nil; continue
                }
                file = (span, text)
                continue
            }
            guard let (path, text) = file else { continue }  // a key or a value, not code
            let symbol = span.split(separator: "(").first.map(String.init) ?? span
            let parts = symbol.split(separator: ".").map(String.init)
            guard parts.allSatisfy({ $0.wholeMatch(of: /[A-Za-z_]\w*/) != nil }) else { continue }
            let member = parts.last!
            let typeFound = parts.count < 2 || text.contains(parts[parts.count - 2])
            if !typeFound || !declares(member, in: text) {
                problems.append("\(path) does not declare \(symbol)")
            }
        }
        return problems
    }
}

@Suite struct SafetyCaseTests {
    let safety = SafetyCase()

    @Test func theHazardTableHasTheHazardsTheIssueAsksFor() {
        let ids = safety.rows.map(\.id)
        #expect(ids.count >= 20, "hazard rows: \(ids.count)")
        #expect(Set(ids).count == ids.count, "duplicate hazard ids")
    }

    @Test func everyHazardIsVerifiedOrListedAsOpen() {
        let open = safety.openSection
        for row in safety.rows {
            let named = SafetyCase.spans(row.verification)
            if named.isEmpty {
                #expect(row.isOpen, "\(row.id) has no verification and is not marked \"none yet\"")
            }
            if row.isOpen {
                #expect(open.contains("**\(row.id)**"), "\(row.id) says \"none yet\" but is not under Open hazards")
            }
        }
        let ids = Set(safety.rows.map(\.id))
        for m in open.matches(of: /\*\*(H\d\d)\*\*/) {
            #expect(ids.contains(String(m.1)), "Open hazards lists \(m.1), which is not in the table")
        }
    }

    @Test func everyNamedTestScenarioAndTestbedCheckExists() {
        let tests = safety.testSources
        let testbed = safety.text("hardware/testbed/guest-init.sh") ?? ""
        #expect(!tests.isEmpty && !testbed.isEmpty)
        for row in safety.rows {
            for name in SafetyCase.spans(row.verification) {
                let problem = TraceProblem.verification(name, safety, tests: tests, testbed: testbed)
                #expect(problem == nil, "\(row.id): \(problem ?? "")")
            }
        }
    }

    @Test func everyControlNamesCodeThatExists() {
        for row in safety.rows {
            for problem in TraceProblem.control(row.control, safety) {
                Issue.record("\(row.id): \(problem)")
            }
        }
    }
}
