import Foundation
import InjectorCore
import InjectorPlant

/// The terminal report: one table per scenario, controller beside the naive pump,
/// then every expectation with its verdict.
public enum TextReport {
    public static func render(_ r: ScenarioResult) -> String {
        let c = r.controller.outcome, b = r.baseline.outcome
        var rows: [(String, String, String)] = []
        func row(_ label: String, _ f: (RunOutcome) -> String) { rows.append((label, f(c), f(b))) }
        row("delivered (out of the needle)") { mL($0.delivered) }
        row("into the body") { mL($0.intoBody) }
        for kind in LeakPathKind.allCases where c.leaked[kind].rawValue > 0.05 || b.leaked[kind].rawValue > 0.05 {
            row("leaked: \(kind)") { uL($0.leaked[kind]) }
        }
        row("leaked: total") { uL($0.leakedTotal) }
        row("front (0 ant. … 1 post. wall)") { String(format: "%.3f", $0.front) }
        row("front beyond posterior quarter") { String(format: "%.1f %% of depth", $0.frontBeyondPosteriorQuarter * 100) }
        row("peak syringe pressure") { kPa($0.peakPressure) }
        row("final syringe pressure") { kPa($0.finalPressure) }
        row("posterior quarter reached at") { seconds($0.posteriorQuarterAt) }
        row("stop after posterior quarter") { ms($0.stopAfterPosteriorQuarter, event: $0.posteriorQuarterAt) }
        row("first leak opened at") { o in o.firstLeakAt.map { "\(seconds($0)) (\(o.firstLeakPath.map { "\($0)" } ?? ""))" } ?? "—" }
        row("stop after leak opened") { ms($0.stopAfterLeak, event: $0.firstLeakAt) }
        if c.faultAt != nil { row("stop after injected fault") { ms($0.stopAfterFault, event: $0.faultAt) } }
        row("injection ran") { o in
            guard let s = o.injectionStartedAt else { return "never started" }
            return "\(seconds(s)) → \(seconds(o.injectionEndedAt))"
        }
        row("canal temperature, peak") { String(format: "%.1f °C", $0.canalTemperaturePeak.rawValue) }
        rows.append(("final state", c.finalState.map { "\($0) (\(c.finalReason))" } ?? "—", "stopped"))
        rows.append(("stopped for", c.stopReasons.map(\.description).joined(separator: ", "), "—"))
        if let g = c.geometryFinding {
            let unit = g.reason == .primedVolumeMismatch ? "µL" : "mm"
            let what = g.reason == .primedVolumeMismatch ? "dead volume" : "syringe bore"
            rows.append(("geometry check", "\(what) measured " + String(format: "%.2f", g.measured)
                                                               + " \(unit), configured " + String(format: "%.2f", g.configured)
                                                               + " \(unit)", "—"))
        }

        var out = "── \(r.name) · seed \(r.seed) · cap \(mL(r.cap)) " + String(repeating: "─", count: max(0, 40 - r.name.count)) + "\n"
        if !r.description.isEmpty { out += wrap(r.description, indent: "   ") + "\n" }
        let w0 = max(32, rows.map { $0.0.count }.max() ?? 0)
        let w1 = max(20, rows.map { $0.1.count }.max() ?? 0)
        out += "   " + pad("", w0) + "  " + pad("controller", w1) + "  naive pump\n"
        for (label, a, z) in rows { out += "   " + pad(label, w0) + "  " + pad(a, w1) + "  " + z + "\n" }
        out += "   expectations:\n"
        for j in r.judged {
            let mark = j.controller.passed ? "PASS" : "FAIL"
            var line = "   \(mark)  \(j.expectation.summary): \(j.controller.measured)"
            if let bv = j.baseline { line += "   [naive: \(bv.passed ? "ok" : "BREAKS") \(bv.measured)]" }
            out += line + "\n"
        }
        return out
    }

    /// The closing lines: one per scenario, and the total.
    public static func summary(_ results: [ScenarioResult]) -> String {
        var out = "\nSummary\n"
        let w = max(12, results.map(\.name.count).max() ?? 0)
        for r in results {
            let n = r.judged.count, ok = r.judged.filter(\.controller.passed).count
            out += "  \(r.passed ? "PASS" : "FAIL")  \(pad(r.name, w))  \(ok)/\(n) expectations\n"
        }
        let passed = results.filter(\.passed).count
        out += "\(passed)/\(results.count) scenarios passed\n"
        return out
    }

    static func mL(_ v: Microliters) -> String { String(format: "%.3f mL", v.rawValue / 1000) }
    static func uL(_ v: Microliters) -> String { String(format: "%.1f µL", v.rawValue) }
    static func kPa(_ p: Kilopascals) -> String { String(format: "%.0f kPa", p.rawValue) }
    static func seconds(_ t: Interval?) -> String { t.map { String(format: "%.3f s", $0.seconds) } ?? "—" }
    static func ms(_ t: Interval?, event: Interval?) -> String {
        guard event != nil else { return "— (no event)" }
        return t.map { String(format: "%.0f ms", $0.milliseconds) } ?? "never stopped"
    }
    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func wrap(_ text: String, indent: String, width: Int = 96) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if line.count + word.count + 1 > width - indent.count, !line.isEmpty { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { indent + $0 }.joined(separator: "\n")
    }
}
