import Foundation

/// Finds scenario files.
public enum ScenarioLibrary {
    /// Every `.yaml` file in `directory`, sorted by name.
    public static func files(in directory: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw ScenarioError(field: "", message: "no scenario directory here (run from the package root, or pass --scenarios)",
                                file: directory)
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
