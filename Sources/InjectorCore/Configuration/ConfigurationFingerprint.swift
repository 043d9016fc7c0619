/// The configuration hash the firmware reports in IdentifyResponse; a host that was
/// given the same configuration computes it with the same function and refuses a
/// firmware that reports another (docs/protocol.md, "IdentifyResponse").
///
/// In the core, beside the configuration it hashes, so that every side computes it
/// without a YAML reader: the firmware, `injector-sim serve` from a scenario, a host.
///
/// FNV-1a (64-bit) over one line per leaf value, `path=value\n`, in declaration
/// order, walking `InjectorConfiguration` with `Mirror`: e.g.
/// `syringe.innerDiameter.rawValue=14.5`. Doubles print in Swift's shortest
/// round-trip form, so two configurations hash alike exactly when every value is
/// bit-for-bit equal — whatever the YAML's comments, key order or units were.
public enum ConfigurationFingerprint {
    public static func hash(_ configuration: InjectorConfiguration) -> UInt64 {
        var hasher = FNV1a()
        walk(configuration, path: "", into: &hasher)
        return hasher.value
    }

    /// The canonical text that is hashed (for debugging a mismatch).
    public static func canonicalText(_ configuration: InjectorConfiguration) -> String {
        var lines = ""
        walkText(configuration, path: "", into: &lines)
        return lines
    }

    private static func walk(_ value: Any, path: String, into hasher: inout FNV1a) {
        var text = ""
        walkText(value, path: path, into: &text)
        hasher.mix(text)
    }

    private static func walkText(_ value: Any, path: String, into text: inout String) {
        let mirror = Mirror(reflecting: value)
        if mirror.children.isEmpty {
            text += "\(path)=\(value)\n"
            return
        }
        if mirror.displayStyle == .enum, let child = mirror.children.first {
            // A case with a payload: its name, then the payload's fields.
            walkText(child.value, path: path + "." + (child.label ?? "_"), into: &text)
            return
        }
        for (index, child) in mirror.children.enumerated() {
            let label = child.label ?? ".\(index)"
            walkText(child.value, path: path.isEmpty ? label : "\(path).\(label)", into: &text)
        }
    }
}

/// 64-bit FNV-1a.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func mix(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
    }
}
