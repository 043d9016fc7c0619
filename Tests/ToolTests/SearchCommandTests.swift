import Foundation
import InjectorToolSupport
import Testing

/// `injector-sim search` run as a person runs it: usage errors name the option and its
/// range (exit 64), a bad campaign file is exit 2, a tiny search writes its JSON and
/// scenario files, and a written file runs with `injector-sim run`.
@Suite struct SearchCommandTests {
    @Test(arguments: [
        (["--budget", "0"], "--budget 0: at least 1"),
        (["--population", "1"], "--population 1: at least 2"),
        (["--elite-fraction", "1.5"], "--elite-fraction 1.5: in (0, 1]"),
        (["--smoothing", "0"], "--smoothing 0.0: in (0, 1]"),
        (["--repeat", "0"], "--repeat 0: 1 … 100"),
        (["--max-duration", "5"], "--max-duration 5.0: 10 … 3600 s"),
        (["--margins", "cap,bogus"], "--margins cap,bogus: a comma-separated list of cap, pressure, stopLatency, epiduralLeak, posteriorOvershoot"),
        (["--epidural-leak-limit", "0"], "--epidural-leak-limit 0.0: more than 0 µL"),
        (["--overshoot-limit", "0.5"], "--overshoot-limit 0.5: in (0, 0.25]"),
        (["--method", "annealing"], "annealing"),
    ])
    func aWrongOptionIsAUsageErrorNamingItsRange(_ arguments: [String], _ message: String) throws {
        let r = try runTool("injector-sim", ["search"] + arguments)
        #expect(r.status == ToolExit.usage.rawValue)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aMissingCampaignFileIsExitTwo() throws {
        let r = try runTool("injector-sim", ["search", "--file", "/nonexistent-injector/c.yaml", "--budget", "1"])
        #expect(r.status == ToolExit.badInput.rawValue)
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("/nonexistent-injector/c.yaml"))
    }

    @Test func aTinySearchWritesItsJSONAndAScenarioThatRunReplays() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("search-cli-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = folder.path + ".json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let r = try runTool("injector-sim", ["search", "--budget", "2", "--population", "2", "--max-duration", "20",
                                             "--seed", "9", "--worst", "1", "--margins", "cap,pressure,stopLatency", "--out-dir", folder.path, "--json", json])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("falsification search: cem, seed 9, budget 2 runs"))
        let written = folder.appendingPathComponent("worst-1.yaml").path
        #expect(r.stdout.contains("written: \(written)"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [[String: Any]])
        let runs = try #require(document.first?["runs"] as? [[String: Any]])
        #expect(runs.count == 2 && document.first?["seed"] as? String == "9")
        let lowest = try #require(document.first?["lowestRobustness"] as? Double)
        let replay = try runTool("injector-sim", ["run", "--quiet", written])
        // Counting the campaign's invariants only, a negative robustness is a failed run.
        #expect(replay.status == (lowest < 0 ? 1 : 0), "\(replay.stdout)")
        #expect(r.status == (lowest < 0 ? 1 : 0))
    }
}
