import Foundation
import InjectorCore

/// The matrix as a Markdown table (the one docs/safety.md carries), and as JSON.
public enum FaultMatrixReport {
    /// One point's column: passed/judged, "n/a", or passed/judged with the failures marked.
    static func column(_ t: FaultCellTally, _ p: FaultPoint) -> String {
        let pass = t.passed[p] ?? 0, fail = t.failed[p] ?? 0
        if pass + fail == 0 { return (t.notApplicable[p] ?? 0) > 0 ? "n/a" : "–" }
        return fail == 0 ? "\(pass)/\(pass + fail)" : "**\(pass)/\(pass + fail)** ✗"
    }

    static func reaction(_ t: FaultCellTally) -> String {
        let ms = t.reactionMilliseconds.sorted()
        guard let max = ms.last else { return "–" }
        return String(format: "%.0f / %.0f", ms[ms.count / 2], max)
    }

    public static func table(_ r: FaultMatrixResult) -> String {
        var lines = ["| Fault | State | Runs | (a) stopped | (b) relieved | (c) within cap | (d) logged | stop after onset, ms: median / max |",
                     "|---|---|---|---|---|---|---|---|"]
        for t in r.tallies {
            let cols = FaultPoint.allCases.map { column(t, $0) }.joined(separator: " | ")
            var extra: [String] = []
            if t.latent > 0 { extra.append("\(t.latent) latent") }
            if t.onsetMissed > 0 { extra.append("\(t.onsetMissed) onset missed") }
            let runs = extra.isEmpty ? "\(t.runs)" : "\(t.runs) (" + extra.joined(separator: ", ") + ")"
            lines.append("| \(t.cell.fault.rawValue) | \(t.cell.state) | \(runs) | \(cols) | \(reaction(t)) |")
        }
        return lines.joined(separator: "\n")
    }

    /// Totals over the matrix: runs, and point verdicts passed / failed / not applicable.
    public static func totals(_ r: FaultMatrixResult) -> String {
        var pass = 0, fail = 0, na = 0, missed = 0
        for t in r.tallies {
            pass += t.passed.values.reduce(0, +)
            fail += t.failed.values.reduce(0, +)
            na += t.notApplicable.values.reduce(0, +)
            missed += t.onsetMissed
        }
        return "\(r.tallies.count) cells, \(r.runs) runs (\(missed) onset missed), point verdicts: "
            + "\(pass) passed, \(fail) failed, \(na) n/a; \(r.failedCells.count) cells with a failure; "
            + String(format: "%.1f s", r.wallSeconds)
    }

    /// Why each n/a point does not apply, and each failing cell's first failure (seed: why).
    public static func notes(_ r: FaultMatrixResult) -> String {
        var lines: [String] = []
        for f in FaultClass.allCases {
            let states = r.tallies.map(\.cell).filter { $0.fault == f }.map(\.state)
            for p in FaultPoint.allCases {
                var byReason: [(why: String, states: [InjectorState])] = []
                for state in states {
                    guard let why = f.notApplicable(p, in: state) else { continue }
                    if let i = byReason.firstIndex(where: { $0.why == why }) { byReason[i].states.append(state) }
                    else { byReason.append((why, [state])) }
                }
                for (why, st) in byReason {
                    let scope = st.count == states.count ? "" : " in " + st.map(\.description).joined(separator: ", ")
                    lines.append("- \(f.rawValue) (\(p.letter)) n/a\(scope): \(why)")
                }
            }
        }
        lines.append("- any class, (a), (b), (d) n/a in a run judged \(FaultJudge.latentReason)")
        lines.append("- (b) n/a in a run with \(FaultJudge.driveOutOfControlReason)")
        for t in r.tallies { if let seed = t.firstOnsetMissed {
            lines.append("- onset missed: \(t.onsetMissed) of \(t.cell.fault.rawValue) in \(t.cell.state), first seed \(seed)")
        } }
        for t in r.failedCells {
            lines.append("- FAIL \(t.cell.fault.rawValue) in \(t.cell.state): forward after a stop at most "
                + "\(t.maxForwardAfterStop); delivered − cap at most \(t.maxOverCap)")
            for p in FaultPoint.allCases { if let (seed, why) = t.firstFailure[p] {
                lines.append("- FAIL \(t.cell.fault.rawValue) in \(t.cell.state) (\(p.letter)): seed \(seed): \(why)")
            } }
        }
        return lines.joined(separator: "\n")
    }

    public static func json(_ r: FaultMatrixResult) -> String {
        let cells: [[String: Any]] = r.tallies.map { t in
            var c: [String: Any] = ["fault": t.cell.fault.rawValue, "state": t.cell.state.description,
                                    "runs": t.runs, "onsetMissed": t.onsetMissed, "latent": t.latent]
            for p in FaultPoint.allCases {
                var point: [String: Any] = ["passed": t.passed[p] ?? 0, "failed": t.failed[p] ?? 0,
                                            "notApplicable": t.notApplicable[p] ?? 0]
                if let (seed, why) = t.firstFailure[p] { point["firstFailure"] = ["seed": "\(seed)", "why": why] }
                c[p.rawValue] = point
            }
            let ms = t.reactionMilliseconds.sorted()
            if let max = ms.last { c["stopAfterOnsetMs"] = ["median": ms[ms.count / 2], "max": max] }
            c["maxForwardAfterStopMicroliters"] = t.maxForwardAfterStop.rawValue
            if t.maxOverCap.rawValue.isFinite { c["maxOverCapMicroliters"] = t.maxOverCap.rawValue }
            return c
        }
        let top: [String: Any] = ["seed": "\(r.spec.seed)", "runsPerCell": r.spec.runsPerCell, "runs": r.runs,
                                  "wallSeconds": r.wallSeconds, "cells": cells]
        let data = (try? JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
