#if canImport(Glibc)
import Glibc
#endif

/// Which GPIO chip a board's lines are on, named by what the kernel calls it rather
/// than by its number: chip numbers move between kernels (on a Pi 5 before 6.6.45 the
/// header is `gpiochip4`, after it `gpiochip0`), labels do not (`pinctrl-rp1`).
public struct GPIOChipSelector: Equatable, Sendable, CustomStringConvertible {
    /// The chip's label, as `gpiodetect` prints it in brackets.
    public var label: String
    /// A chip to open instead of searching ("gpiochip0" or a path); it must carry `label`.
    public var chip: String?

    public init(label: String, chip: String? = nil) {
        self.label = label
        self.chip = chip
    }

    public var description: String { chip.map { "\($0) [\(label)]" } ?? "the chip labelled \"\(label)\"" }
}

extension GPIOChip {
    /// Opens the chip `selector` names: `selector.chip` if given (refused if its label
    /// differs), otherwise the one chip in `devDirectory` whose label matches. No match
    /// and several matches are refused, listing every chip with its label.
    public static func open(_ selector: GPIOChipSelector, calls: GPIOCalls = .libgpiod,
                            devDirectory: String = "/dev") throws(HardwareError) -> GPIOChip {
        if let name = selector.chip {
            let chip = try open(name, calls: calls, devDirectory: devDirectory)
            guard chip.label == selector.label else {
                throw HardwareError(.configuration, device: "\(name) [\(chip.label)]",
                                    detail: "its label is \"\(chip.label)\", the board file's gpio.label is "
                                        + "\"\(selector.label)\"",
                                    advice: "Chips here: \(survey(calls, devDirectory).listing). Remove gpio.chip to "
                                        + "open the chip by its label, or correct gpio.label")
            }
            return chip
        }
        let found = survey(calls, devDirectory, keeping: selector.label)
        if found.matches.count == 1 { return found.matches[0] }
        throw searchError(selector.label, found, calls: calls, devDirectory: devDirectory)
    }

    /// What a search saw: every chip's name and label (or why it did not open), and
    /// the open chips whose label matched.
    struct Survey {
        var entries: [String] = []
        var matches: [GPIOChip] = []
        var openFailures: [Int32] = []
        var listing: String { entries.isEmpty ? "none" : entries.joined(separator: ", ") }
    }

    static func survey(_ calls: GPIOCalls, _ devDirectory: String, keeping label: String? = nil) -> Survey {
        var survey = Survey()
        for name in listChips(in: devDirectory) {
            switch calls.openChip(devDirectory + "/" + name) {
            case .success(let handle):
                let chip = GPIOChip(name: name, handle: handle, calls: calls)
                survey.entries.append("\(name) [\(chip.label)]")
                if let label, chip.label == label { survey.matches.append(chip) }
            case .failure(let code):
                survey.entries.append("\(name) (\(systemMessage(code.code)))")
                survey.openFailures.append(code.code)
            }
        }
        return survey
    }

    private static func searchError(_ label: String, _ found: Survey, calls: GPIOCalls,
                                    devDirectory: String) -> HardwareError {
        let device = "gpio.label \"\(label)\""
        if found.matches.count > 1 {
            return HardwareError(.configuration, device: device,
                                 detail: "\(found.matches.count) chips carry this label: "
                                    + found.matches.map(\.name).joined(separator: ", "),
                                 advice: "Set gpio.chip in the board file to the one the board's lines are on")
        }
        if found.entries.isEmpty { return openError(ENOENT, name: device, api: calls.apiVersion(), devDirectory: devDirectory) }
        if let denied = found.openFailures.first(where: { $0 == EACCES || $0 == EPERM }) {
            return openError(denied, name: device, api: calls.apiVersion(), devDirectory: devDirectory)
        }
        return HardwareError(.configuration, device: device, detail: "no GPIO chip carries this label",
                             advice: "Chips here: \(found.listing). Set gpio.label to the one the board's lines are "
                                + "on (`gpiodetect`); on a Raspberry Pi 4 it is pinctrl-bcm2711, on a Pi 5 pinctrl-rp1")
    }
}
