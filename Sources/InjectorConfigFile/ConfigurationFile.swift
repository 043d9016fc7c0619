import InjectorCore

/// Loads an injector configuration from YAML (hardware/configs/*.yaml, or a scenario's
/// `controller:` section).
///
/// Every key is the core field's name (`needle.bore`), so a range problem found by
/// validation names the same key the engineer typed. Every key is required: a file
/// that leaves one out is refused, naming it with its unit and range, because on a
/// medical device a default nobody chose is a hazard. A file may start from another
/// with `extends: <path>` (relative to the file) and override some keys; the resolved
/// configuration is what is validated and hashed. Unknown keys, unreadable values,
/// missing keys and out-of-range values are all reported together.
public enum ConfigurationFile {
    /// `extends:` chains are at most this deep: a scenario over a site's configuration
    /// over a shipped one is 2; a deeper chain hides where a value comes from, and the
    /// bound stops a chain that a cycle check could miss (a path spelt two ways).
    public static let maximumExtendsDepth = 4

    /// Parses and validates `yaml`; `extends:` paths start in `directory`.
    public static func load(yaml: String, directory: String = ".") throws(ConfigurationError) -> ValidatedConfiguration {
        try parse(yaml: yaml, directory: directory).validated()
    }

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> ValidatedConfiguration {
        let text = try StrictReader.text(ofFile: path).get()
        return try load(yaml: text, directory: FilePath.directory(of: path))
    }

    /// Parses `yaml` into a complete configuration; every problem is in one error.
    public static func parse(yaml: String, directory: String = ".") throws(ConfigurationError) -> InjectorConfiguration {
        let reader = StrictReader(directory: directory)
        var top = reader.document(yaml)
        let configuration = read(&top)
        top.finish()
        guard let configuration, reader.problems.isEmpty else { throw ConfigurationError(problems: reader.problems) }
        return configuration
    }

    /// Reads a configuration from `mapping` (the whole file, or a section of another
    /// file such as a scenario's `controller:`), following its `extends:`. Problems go
    /// to the mapping's reader, with paths under the mapping's own; the result is `nil`
    /// unless the configuration is complete and within every range. The caller calls
    /// `finish()` on the mapping, after asking for any keys of its own.
    public static func read(_ mapping: inout StrictMapping) -> InjectorConfiguration? {
        let keys = layer(&mapping, chain: [])
        return configuration(from: keys, reporter: mapping.reader, prefix: mapping.path.isEmpty ? "" : mapping.path + ".")
    }

    /// The keys of `m` over those of the file it extends: path → value text.
    static func layer(_ m: inout StrictMapping, chain: [String]) -> [String: String] {
        var keys: [String: String] = [:]
        if let base = m.text("extends", expected: "the path of a configuration file, relative to this one") {
            keys = extended(base, from: m, chain: chain)
        }
        var own: [String: String] = [:]
        for key in ConfigurationField.topLevel { own[key] = m.text(key) }
        for section in ConfigurationField.sections {
            guard var s = m.mapping(section) else { continue }
            for field in ConfigurationField.all where field.path.hasPrefix(section + ".") {
                own[field.path] = s.text(String(field.path.dropFirst(section.count + 1)))
            }
            s.finish()
        }
        // One form of the anterior capacity replaces the other.
        if own[ConfigurationField.directCapacity] != nil {
            for k in ConfigurationField.capacityFromBody { keys[k] = nil }
        } else if ConfigurationField.capacityFromBody.contains(where: { own[$0] != nil }) {
            keys[ConfigurationField.directCapacity] = nil
        }
        return keys.merging(own) { _, mine in mine }
    }

    /// The keys of the file `relative` names, read with its own reader; its problems
    /// are reported against `extends` with the file's name.
    static func extended(_ relative: String, from m: StrictMapping, chain: [String]) -> [String: String] {
        let field = m.field("extends")
        let path = FilePath.resolve(relative, in: m.reader.directory)
        guard chain.count < maximumExtendsDepth else {
            m.reader.report(field, relative, allowed: "at most \(maximumExtendsDepth) files extending one another")
            return [:]
        }
        guard !chain.contains(path) else {
            m.reader.report(field, relative, allowed: "a file not already extended: \((chain + [path]).joined(separator: " → "))")
            return [:]
        }
        let text: String
        switch StrictReader.text(ofFile: path) {
        case .success(let t): text = t
        case .failure(let e):
            m.reader.report(e.problems, prefix: field + ": ")
            return [:]
        }
        let inner = StrictReader(directory: FilePath.directory(of: path))
        var top = inner.document(text)
        let keys = layer(&top, chain: chain + [path])
        top.finish()
        m.reader.report(inner.problems, prefix: "\(field) (\(relative)): ")
        return keys
    }
}
