import InjectorCore
import Yams

/// Reads one YAML file strictly and collects every problem of it into one report:
/// an unknown key (with the nearest known key suggested), a value without its unit,
/// a value out of range, a missing key. Configuration, board, scenario and campaign
/// files are all read with it, so they fail the same way.
public final class StrictReader {
    public private(set) var problems: [ConfigurationProblem] = []
    /// Where the file's relative paths (`extends:`) start.
    public let directory: String

    public init(directory: String = ".") { self.directory = directory }

    /// Records a problem with `field` (a dotted path): what it holds and what it may hold.
    public func report(_ field: String, _ value: String, allowed: String) {
        problems.append(ConfigurationProblem(field: field, value: value, allowed: allowed))
    }

    /// Records problems found elsewhere (another file), each field prefixed with `prefix`.
    public func report(_ others: [ConfigurationProblem], prefix: String = "") {
        problems += others.map { ConfigurationProblem(field: prefix + $0.field, value: $0.value, allowed: $0.allowed) }
    }

    /// The document's top mapping; a file that is empty or not YAML is one problem.
    public func document(_ text: String) -> StrictMapping {
        do {
            // An empty file is an empty mapping: its readers name every key it lacks.
            guard let root = try Yams.compose(yaml: text) else { return StrictMapping(path: "", entries: [], reader: self) }
            return StrictNode(node: root, path: "", reader: self).mapping()
        } catch {
            report("(document)", "unreadable YAML", allowed: "valid YAML: \(error)")
            return StrictMapping(path: "", entries: [], reader: self)
        }
    }

    /// Reads the file at `path` as text; a file that cannot be read is one problem.
    public static func text(ofFile path: String) -> Result<String, ConfigurationError> {
        do { return .success(try readTextFile(path)) } catch {
            return .failure(ConfigurationError(problems: [
                ConfigurationProblem(field: "(file)", value: path, allowed: "a readable YAML file: \(error)")]))
        }
    }
}

/// One YAML value at a known path.
public struct StrictNode {
    let node: Node
    public let path: String
    let reader: StrictReader

    /// The value as text, if it is a single value.
    public var scalar: String? { node.scalar?.string }

    /// The value as a mapping; anything else is reported and reads as an empty mapping.
    public func mapping() -> StrictMapping {
        guard let m = node.mapping else {
            reader.report(path.isEmpty ? "(document)" : path, "not a mapping", allowed: "a mapping of keys to values")
            return StrictMapping(path: path, entries: [], reader: reader)
        }
        var entries: [(key: String, node: Node)] = []
        for (k, v) in m {
            let key = k.string ?? "\(k)"
            if entries.contains(where: { $0.key == key }) {
                reader.report(StrictMapping.join(path, key), "a second time", allowed: "each key once")
            } else {
                entries.append((key, v))
            }
        }
        return StrictMapping(path: path, entries: entries, reader: reader)
    }

    /// The value as a list; anything else is reported and reads as `nil`.
    public func sequence() -> [StrictNode]? {
        guard let s = node.sequence else {
            reader.report(path, "not a list", allowed: "a list, such as [1, 2]")
            return nil
        }
        return s.enumerated().map { StrictNode(node: $0.element, path: "\(path)[\($0.offset)]", reader: reader) }
    }
}
