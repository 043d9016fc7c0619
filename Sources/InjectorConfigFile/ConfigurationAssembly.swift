#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

extension ConfigurationFile {
    /// Builds the configuration from resolved key texts: each key read, each missing key
    /// named with its unit and range, then every range and rule checked. `nil` if any
    /// problem was found (all of them reported).
    static func configuration(from keys: [String: String], reporter: StrictReader, prefix: String)
        -> InjectorConfiguration? {
        let before = reporter.problems.count
        // A carrier only: every field below is either read from the file or reported
        // missing, so no value of it reaches a configuration that is returned.
        var c = InjectorConfiguration()
        var unreadable: Set<String> = []
        for field in ConfigurationField.all {
            guard let text = keys[field.path] else {
                if !isCoveredByTheOtherForm(field.path, keys) {
                    reporter.report(prefix + field.path, "missing", allowed: field.missingAllowed)
                    unreadable.insert(field.path)
                }
                continue
            }
            if !field.apply(&c, text) {
                reporter.report(prefix + field.path, "\"\(text)\"", allowed: field.expected)
                unreadable.insert(field.path)
            }
        }
        if keys[ConfigurationField.directCapacity] != nil,
           ConfigurationField.capacityFromBody.contains(where: { keys[$0] != nil }) {
            reporter.report(prefix + ConfigurationField.directCapacity, "given with procedure.bodyVolume",
                            allowed: "either procedure.anteriorCapacity, or procedure.bodyVolume with procedure.anteriorFraction")
        }
        // Range problems too, so one run lists everything wrong; a field that is missing or
        // unreadable is reported once, as such.
        let ranges = c.problems().filter { !unreadable.contains($0.field) }
        reporter.report(ranges, prefix: prefix)
        return reporter.problems.count == before ? c : nil
    }

    /// Whether a missing key of the anterior capacity is one the file need not give,
    /// because it gives the other form.
    private static func isCoveredByTheOtherForm(_ path: String, _ keys: [String: String]) -> Bool {
        if path == ConfigurationField.directCapacity {
            return ConfigurationField.capacityFromBody.contains { keys[$0] != nil }
        }
        return ConfigurationField.capacityFromBody.contains(path) && keys[ConfigurationField.directCapacity] != nil
    }
}

/// Paths without Foundation.
enum FilePath {
    /// "a/b/c.yaml" → "a/b"; "c.yaml" → ".".
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `relative` from `directory`, made canonical (symbolic links and `..` resolved)
    /// when the file exists, so that a cycle is found however its paths are spelt.
    static func resolve(_ relative: String, in directory: String) -> String {
        let joined = relative.hasPrefix("/") ? relative : directory + "/" + relative
        guard let canonical = realpath(joined, nil) else { return joined }
        defer { free(canonical) }
        return String(cString: canonical)
    }
}
