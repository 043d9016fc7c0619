import InjectorCore
import Yams

/// Loads an injector configuration from YAML.
///
/// Every key is the core field's name (`needle.bore`), so a range problem found by
/// validation names the same key the engineer typed. Unknown keys are errors (a
/// misspelt limit must not silently fall back to its default); missing keys keep
/// the defaults. All problems — unreadable values, unknown keys and out-of-range
/// values — are reported together.
public enum ConfigurationFile {
    /// Parses and validates `yaml`.
    public static func load(yaml: String) throws(ConfigurationError) -> ValidatedConfiguration {
        let configuration = try parse(yaml: yaml)
        return try configuration.validated()
    }

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> ValidatedConfiguration {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(field: "(file)", value: path, allowed: "a readable YAML file: \(error)")])
        }
        return try load(yaml: text)
    }

    /// Parses `yaml` into a configuration without range checks; unreadable values,
    /// unknown keys and out-of-range values are all reported in one error.
    public static func parse(yaml: String) throws(ConfigurationError) -> InjectorConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ConfigurationError(problems: [ConfigurationProblem(field: "(document)", value: "unreadable YAML",
                                                                     allowed: "valid YAML: \(error)")])
        }
        var reader = NodeReader()
        var c = InjectorConfiguration()
        if let root { reader.read(root, into: &c) }
        var problems = reader.problems
        // Range problems too, so one run lists everything wrong; a field that could not
        // be read kept its default and is reported once, as unreadable.
        let unreadable = Set(problems.map(\.field))
        problems += c.problems().filter { !unreadable.contains($0.field) }
        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        return c
    }
}
