/// The project's one version, printed by every tool's `--version` and reported by the
/// firmware in its IdentifyResponse. Change it here only.
public enum ToolVersion {
    public static let major: UInt8 = 0
    public static let minor: UInt8 = 1
    public static let patch: UInt8 = 0
    public static var text: String { "\(major).\(minor).\(patch)" }
}
