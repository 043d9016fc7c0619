#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses, the same meaning in every tool (docs/cli.md has the table per
/// command). ArgumentParser itself exits 64 for a malformed command line.
public enum ToolExit: Int32, CaseIterable, Sendable {
    case success = 0
    /// injector-sim: a scenario expectation or a campaign invariant failed.
    case expectationFailed = 1
    /// An input file is missing, malformed or of the wrong kind.
    case badInput = 2
    /// A device or link could not be opened, or failed.
    case linkFailed = 3
    /// The run ended as refused: serve's firmware with another configuration; the
    /// firmware's run in a fault.
    case refused = 4
    /// An output could not be written: its folder is missing, or it is not writable.
    case outputFailed = 5
    /// ArgumentParser's status for a bad option or argument (EX_USAGE).
    case usage = 64
}

/// Checks made before a long run, so that an unwritable output fails in one line at
/// once instead of in a Foundation error dump after the work.
public enum OutputPath {
    /// Why `path`'s folder cannot take a new file, or nil if it can.
    public static func problem(writing path: String, option: String) -> String? {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let dir = folder.isEmpty ? "/" : folder
        var info = stat()
        guard stat(dir, &info) == 0 else {
            return "\(option) \(path): the folder \(dir) does not exist"
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return "\(option) \(path): \(dir) is not a folder" }
        guard access(dir, W_OK) == 0 else { return "\(option) \(path): the folder \(dir) is not writable" }
        return nil
    }

    /// Why a folder that a run will create (and fill) cannot be made, or nil if it can.
    public static func problem(creatingFolder folder: String, option: String) -> String? {
        var info = stat()
        if stat(folder, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "\(option) \(folder): exists and is not a folder"
        }
        return problem(writing: folder.hasSuffix("/") ? String(folder.dropLast()) : folder, option: option)
    }
}

/// Whether a file descriptor is a terminal: progress bars and `\r` redraws go only there.
public enum Terminal {
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
    public static var standardErrorIsTerminal: Bool { isTerminal(2) }
}

/// A line on stderr led by the wall-clock time to the millisecond, as every tool logs.
public func logLine(_ text: String) {
    let line = WallClockText.now() + " " + text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

/// Prints `error: message` on stderr (one line) and returns `status`'s code, for
/// `throw ExitCode(failure(.outputFailed, "…"))`.
public func failure(_ status: ToolExit, _ message: String) -> Int32 {
    let line = "error: " + message + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
    return status.rawValue
}
