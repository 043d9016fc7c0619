import InjectorCore
import InjectorProtocol

/// The terminal view's frame: a full screen redrawn in place (cursor home, each line
/// cleared to its end, the rest of the screen cleared), so nothing scrolls and it
/// works over SSH with any ANSI terminal. Pure: the same session gives the same text.
public enum TerminalScreen {
    static let escape = "\u{1B}["
    static let reset = escape + "0m"
    static let alarmStyle = escape + "1;97;41m"
    static let boldStyle = escape + "1m"
    static let dimStyle = escape + "2m"

    /// The whole frame for a `width` × `height` terminal.
    public static func render(_ s: ConsoleSession, input: TerminalInput, width: Int, height: Int) -> String {
        var lines = body(s, width: width)
        let footer = keyLines(s, width: width) + promptLines(input, width: width)
        let room = max(0, height - lines.count - footer.count)
        lines += eventLines(s, count: room, width: width)
        lines += footer
        var out = escape + "H"
        for (i, line) in lines.prefix(height).enumerated() {
            out += line + escape + "K" + (i + 1 < min(height, lines.count) ? "\r\n" : "")
        }
        return out + escape + "J"
    }

    private static func body(_ s: ConsoleSession, width: Int) -> [String] {
        var lines = [styled(boldStyle, fit("injector-console   link: \(ConsoleDisplay.linkText(s))", width))]
        if let banner = ConsoleDisplay.alarmBanner(s) {
            lines.append(styled(alarmStyle, fit("!! " + banner + " !!", width, pad: true)))
        } else {
            lines.append("")
        }
        guard let t = s.telemetry else { return lines + ["(no telemetry yet)"] }
        let stale = s.isConnected ? "" : "  (last known)"
        lines.append(styled(boldStyle, fit("STATE \(t.state.description.uppercased())  reason: \(t.stateReason)  relief: \(t.relief)  alarm: \(ConsoleDisplay.alarmText(t.alarm))  driver: \(t.driver == .enabled ? "on" : "off")\(stale)", width)))
        let fill = t.cap.rawValue > 0 ? t.delivered.rawValue / t.cap.rawValue : 0
        lines.append(fit("pressure \(pad(ConsoleFormat.number(t.pressure.rawValue), 8)) kPa   flow \(pad(ConsoleFormat.number(t.commandedFlow.rawValue), 7)) µL/s   releases \(t.releaseCycles)", width))
        lines.append(fit("delivered \(pad(ConsoleFormat.number(t.delivered.rawValue), 8)) µL of cap \(ConsoleFormat.number(t.cap.rawValue)) µL  \(bar(fill, 20)) \(ConsoleFormat.number(fill * 100, decimals: 0)) %   committed \(ConsoleFormat.number(t.committed.rawValue)) µL", width))
        lines.append(fit(ConsoleDisplay.cementText(t, s.configuration.cement), width))
        let switches = ConsoleDisplay.switches(t).map { $0.active ? $0.name.uppercased() : "\($0.name):off" }
        lines.append(fit("switches: " + switches.joined(separator: " "), width))
        let hazards = ConsoleDisplay.hazards(t)
        lines.append(fit("hazards: " + (hazards.isEmpty ? "none" : hazards.joined(separator: ", ")), width))
        lines.append(fit("pressure, last \(ConsoleFormat.number(Double(s.history.count) * s.history.spacing.seconds, decimals: 0)) s: " + sparkline(s.history, width: max(10, width - 30)), width))
        return lines
    }

    private static func eventLines(_ s: ConsoleSession, count: Int, width: Int) -> [String] {
        guard count > 1 else { return [] }
        let entries = s.log.entries.suffix(count - 1)
        var lines = [styled(dimStyle, fit("── events " + String(repeating: "─", count: max(0, width - 11)), width))]
        for e in entries {
            let text = fit("\(pad(ConsoleFormat.number(e.time), 7)) s  \(e.text)", width)
            switch e.severity {
            case .alarm: lines.append(styled(alarmStyle, text))
            case .warning: lines.append(styled(boldStyle, text))
            case .info: lines.append(text)
            }
        }
        return lines + Array(repeating: "", count: max(0, count - lines.count))
    }

    /// The key list: available actions bright, unavailable ones dim.
    private static func keyLines(_ s: ConsoleSession, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var visible = 0
        for action in ConsoleAction.allCases {
            let key = action.key == " " ? "SPACE" : String(action.key)
            let item = "\(key) \(action.label)  "
            if visible + item.count > width {
                lines.append(line)
                line = ""
                visible = 0
            }
            line += s.unavailability(action) == nil ? styled(boldStyle, item) : styled(dimStyle, item)
            visible += item.count
        }
        return lines + [line + "^C quit"]
    }

    /// The prompt, wrapped over up to three lines: a confirmation's question must be
    /// read whole, "[y/n]" included.
    private static func promptLines(_ input: TerminalInput, width: Int) -> [String] {
        var text = "> " + input.feedback
        if case .value(_, let typed) = input.mode { text += typed + "_" }
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count > width, lines.count < 2, width > 1 {
            let cut = rest.prefix(width).lastIndex(of: " ").map { rest.index(after: $0) } ?? rest.index(rest.startIndex, offsetBy: width)
            lines.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        return lines + [fit(String(rest), width)]
    }

    static func styled(_ style: String, _ text: String) -> String { style + text + reset }

    static func fit(_ text: String, _ width: Int, pad: Bool = false) -> String {
        if text.count > width { return String(text.prefix(max(0, width - 1))) + "…" }
        return pad ? text + String(repeating: " ", count: width - text.count) : text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func bar(_ fraction: Double, _ cells: Int) -> String {
        let filled = Int((min(max(fraction, 0), 1) * Double(cells)).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled) + "]"
    }

    /// The pressure history in block characters, one per column, scaled to its own peak.
    static func sparkline(_ history: TelemetryHistory, width: Int) -> String {
        let samples = history.samples()
        guard !samples.isEmpty else { return "" }
        let blocks = Array("▁▂▃▄▅▆▇█")
        let peak = max(samples.map(\.pressureKPa).max() ?? 0, 1)
        let step = max(1, samples.count / width)
        var out = ""
        for i in stride(from: 0, to: samples.count, by: step) {
            let level = Int((max(samples[i].pressureKPa, 0) / peak * Double(blocks.count - 1)).rounded())
            out.append(blocks[level])
        }
        return out + " peak \(ConsoleFormat.number(peak)) kPa"
    }
}
