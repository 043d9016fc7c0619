import Foundation
import InjectorCore
import InjectorPlant

/// The JSON summary of scenario runs: every measured figure of both runs and every verdict.
public enum JSONReport {
    public struct Run: Codable, Equatable, Sendable {
        public var deliveredUL, intoBodyUL, leakedTotalUL: Double
        public var leakedUL: [String: Double]
        public var peakPressureKPa, finalPressureKPa, front, frontBeyondPosteriorQuarter: Double
        public var posteriorQuarterAtS, firstLeakAtS, faultAtS: Double?
        public var firstLeakPath: String?
        public var stopAfterPosteriorQuarterMs, stopAfterLeakMs, stopAfterFaultMs: Double?
        public var injectionStartedAtS, injectionEndedAtS: Double?
        public var finalState, finalReason: String?
        public var stopReasons: [String]?
        public var estimatedDeliveredUL: Double?
        public var ticks: Int
        public var traceHash: String

        init(_ o: RunOutcome) {
            deliveredUL = o.delivered.rawValue
            intoBodyUL = o.intoBody.rawValue
            leakedTotalUL = o.leakedTotal.rawValue
            leakedUL = Dictionary(uniqueKeysWithValues: LeakPathKind.allCases.map { (caseName($0), o.leaked[$0].rawValue) })
            peakPressureKPa = o.peakPressure.rawValue
            finalPressureKPa = o.finalPressure.rawValue
            front = o.front
            frontBeyondPosteriorQuarter = o.frontBeyondPosteriorQuarter
            posteriorQuarterAtS = o.posteriorQuarterAt?.seconds
            firstLeakAtS = o.firstLeakAt?.seconds
            faultAtS = o.faultAt?.seconds
            firstLeakPath = o.firstLeakPath.map(caseName)
            stopAfterPosteriorQuarterMs = o.stopAfterPosteriorQuarter?.milliseconds
            stopAfterLeakMs = o.stopAfterLeak?.milliseconds
            stopAfterFaultMs = o.stopAfterFault?.milliseconds
            injectionStartedAtS = o.injectionStartedAt?.seconds
            injectionEndedAtS = o.injectionEndedAt?.seconds
            if o.kind == .controller {
                finalState = o.finalState.map(caseName)
                finalReason = caseName(o.finalReason)
                stopReasons = o.stopReasons.map(caseName)
                estimatedDeliveredUL = o.estimatedDelivered?.rawValue
            }
            ticks = o.ticks
            traceHash = String(o.traceHash, radix: 16)
        }
    }

    public struct Check: Codable, Equatable, Sendable {
        public var expectation: String
        public var passed: Bool
        public var measured: String
        public var baselinePassed: Bool?
        public var baselineMeasured: String?
    }

    public struct ScenarioEntry: Codable, Equatable, Sendable {
        public var name: String
        /// Decimal, as a string: a JSON number above 2^53 is rounded by most readers
        /// (jq, JavaScript), and a rounded seed replays a different run.
        public var seed: String
        public var capUL: Double
        public var passed: Bool
        public var controller: Run
        public var baseline: Run
        public var expectations: [Check]
    }

    public struct Document: Codable, Equatable, Sendable {
        public var passed: Bool
        public var scenarios: [ScenarioEntry]
    }

    public static func document(_ results: [ScenarioResult]) -> Document {
        Document(passed: results.allSatisfy(\.passed), scenarios: results.map { r in
            ScenarioEntry(name: r.name, seed: String(r.seed), capUL: r.cap.rawValue, passed: r.passed,
                          controller: Run(r.controller.outcome), baseline: Run(r.baseline.outcome),
                          expectations: r.judged.map {
                              Check(expectation: $0.expectation.summary, passed: $0.controller.passed,
                                    measured: $0.controller.measured, baselinePassed: $0.baseline?.passed,
                                    baselineMeasured: $0.baseline?.measured)
                          })
        })
    }

    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(value)
    }
}

/// CSV time series files, one per run.
public enum CSVWriter {
    public static func text(_ rows: [TimeSeriesRow]) -> String {
        var out = TimeSeriesRow.header + "\n"
        out.reserveCapacity(rows.count * 120)
        for r in rows { out += r.csvLine; out += "\n" }
        return out
    }

    /// Writes `<name>.controller.csv` and `<name>.baseline.csv` into `directory`; returns the paths.
    @discardableResult
    public static func write(_ r: ScenarioResult, to directory: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (suffix, run) in [("controller", r.controller), ("baseline", r.baseline)] {
            let path = (directory as NSString).appendingPathComponent("\(r.name).\(suffix).csv")
            try text(run.series).write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }
}
