import Foundation
import InjectorConfigFile
import InjectorCore

/// The worst cases of a search as scenario files, each read back and compared with the
/// scenario the search ran before it is kept: a file that would not replay the same
/// run is an error, never a silent near-copy.
public enum SearchScenarioFiles {
    /// The configuration file a campaign's `controller:` extends, as an absolute path.
    /// A written scenario extends the same file; so the campaign's `controller:` must be
    /// only `extends:` (overrides would have to be copied into every scenario).
    public static func controllerFile(ofCampaign path: String) throws -> String {
        let text: String
        switch StrictReader.text(ofFile: path) {
        case .success(let t): text = t
        case .failure(let e): throw ScenarioError(problems: e.problems, file: path)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        var f = StrictReader(directory: directory.path).document(text)
        guard var c = f.mapping("controller"), c.keys == ["extends"], let base = c.text("extends") else {
            throw ScenarioError(field: "controller", message: "search writes scenarios that extend the campaign's "
                                + "controller file: give `controller:` only an `extends:` (put overrides in that file)",
                                file: path)
        }
        return URL(fileURLWithPath: base, relativeTo: directory).standardizedFileURL.path
    }

    /// `target` (absolute) as a path relative to the folder `from` (absolute).
    public static func relativePath(to target: String, from folder: String) -> String {
        let t = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        let f = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
        var shared = 0
        while shared < min(t.count, f.count), t[shared] == f[shared] { shared += 1 }
        let up = [String](repeating: "..", count: f.count - shared)
        return (up + t[shared...]).joined(separator: "/")
    }

    /// Writes `scenario` to `path` and reads it back; throws if what it reads differs
    /// from `scenario` in anything a run depends on (the fields named).
    public static func write(_ scenario: Scenario, to path: String, controllerFile: String, note: [String]) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let extends = relativePath(to: controllerFile, from: URL(fileURLWithPath: folder).standardizedFileURL.path)
        let text = SearchScenarioWriter.text(scenario, controllerFile: extends, note: note)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let back = try ScenarioFile.load(path: path)
        let differing = differences(back, scenario)
        guard differing.isEmpty else {
            throw ScenarioError(field: differing.joined(separator: ", "),
                                message: "the written scenario reads back differently: not replayable", file: path)
        }
    }

    /// The parts of two scenarios that differ, by name.
    static func differences(_ a: Scenario, _ b: Scenario) -> [String] {
        var d: [String] = []
        if a.seed != b.seed { d.append("seed") }
        if a.maxDuration != b.maxDuration || a.tail != b.tail { d.append("maxDuration/tail") }
        if a.plant != b.plant { d.append("plant") }
        if a.controller != b.controller { d.append("controller") }
        if a.operatorPolicy != b.operatorPolicy { d.append("operator") }
        if a.observer != b.observer { d.append("observer") }
        if a.baseline != b.baseline { d.append("baseline") }
        if a.host != b.host { d.append("host") }
        if a.faults != b.faults { d.append("faults") }
        if a.expectations != b.expectations { d.append("expect") }
        if a.driverStallPressure != b.driverStallPressure { d.append("driver") }
        return d
    }
}
