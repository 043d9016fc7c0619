#if canImport(Glibc)
import Glibc
#endif

/// An IIO device named in a board file: either its directory (`iio:device0`) or the
/// driver's name for it (`ads1115`, the device's `name` attribute). Device numbers
/// follow probe order, which changes when another IIO device (a second ADC, a
/// temperature sensor) appears; the name does not.
public enum IIODeviceName {
    /// `iio:deviceN` for `device`: itself when it is a directory name, otherwise the one
    /// device under `root` whose `name` is `device`. Refused when none or several match,
    /// listing every device with its name.
    public static func resolve(_ device: String, root: String) throws(HardwareError) -> String {
        if device.hasPrefix("iio:device") { return device }
        let devices = IIOChannel.listDevices(root: root).map { ($0, name(of: $0, root: root)) }
        let matches = devices.filter { $0.1 == device }.map(\.0)
        if matches.count == 1 { return matches[0] }
        let listing = devices.isEmpty ? "none" : devices.map { "\($0.0) [\($0.1 ?? "no name")]" }.joined(separator: ", ")
        throw HardwareError(.configuration, device: "IIO device \"\(device)\"",
                            detail: matches.isEmpty ? "no IIO device has this name"
                                : "\(matches.count) IIO devices have this name: \(matches.joined(separator: ", "))",
                            advice: "IIO devices under \(root): \(listing). "
                                + (matches.isEmpty ? "Load the ADC's driver (dtoverlay=ads1115 in config.txt) or set "
                                    + "the board file's device to one of these names"
                                    : "Name the device by its directory (iio:deviceN) in the board file"))
    }

    /// The device's `name` attribute, without its newline; `nil` if it has none.
    public static func name(of device: String, root: String) -> String? {
        guard let file = fopen("\(root)/\(device)/name", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        return String(decoding: line.prefix { $0 != 0 && $0 != 0x0A }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
