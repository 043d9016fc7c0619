/// A hand-written SVG of a run fit for a design review: pressure, volumes and flow
/// over time from the start, three panels sharing the time axis; the controller's
/// states as bands behind them, faults and pauses marked across all three, the
/// pressure limit and the cap as lines, ticks at round numbers, and a legend with a
/// swatch for each series that has data. Long runs are reduced to the minimum and
/// maximum of each pixel column, so a one-tick pressure spike still shows.
public enum SVGPlot {
    struct Series {
        var column: String
        var name: String
        var color: String
        var dashed = false
    }

    struct Panel {
        var title: String
        var unit: String
        var series: [Series]
    }

    static let panels = [
        Panel(title: "Pressure", unit: "kPa", series: [
            Series(column: "pressure_kPa", name: "pressure (reading)", color: "#c0392b"),
            Series(column: "syringe_pressure_kPa", name: "syringe pressure (true)", color: "#e59866")]),
        Panel(title: "Volume", unit: "µL", series: [
            Series(column: "delivered_uL", name: "delivered", color: "#2471a3"),
            Series(column: "committed_uL", name: "committed", color: "#7fb3d5"),
            Series(column: "plunger_uL", name: "plunger", color: "#27ae60"),
            Series(column: "displaced_uL", name: "displaced (true)", color: "#16a085"),
            Series(column: "leaked_uL", name: "leaked (true)", color: "#d35400"),
            Series(column: "cap_uL", name: "cap", color: "#333333", dashed: true)]),
        Panel(title: "Flow", unit: "µL/s", series: [
            Series(column: "commanded_flow_uL_per_s", name: "commanded flow", color: "#8e44ad")]),
    ]

    /// Background colour of each state's band.
    static let stateColors: [String: String] = [
        "idle": "#f4f4f4", "priming": "#e8f0fe", "primed": "#dbe7fb", "armed": "#fdf3d3", "injecting": "#e2f3e2",
        "releasing": "#fde3cf", "paused": "#fff1a8", "complete": "#e9e7fb", "e-stopped": "#f6bcbc", "faulted": "#f2a5a5",
    ]

    struct Layout {
        let width = 1000.0, left = 80.0, right = 20.0, top = 78.0, panelHeight = 200.0, gap = 64.0
        var plotWidth: Double { width - left - right }
        var height: Double { top + Double(SVGPlot.panels.count) * (panelHeight + gap) + 10 }
        func panelTop(_ i: Int) -> Double { top + Double(i) * (panelHeight + gap) }
    }

    public static func render(_ data: PlotData, title: String = "injector run") -> String {
        let l = Layout()
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(l.width))" height="\(Int(l.height))" viewBox="0 0 \(Int(l.width)) \(Int(l.height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(l.left)" y="22" font-size="16">\(escape(title))</text>

            """
        guard let t0 = data.times.first, let last = data.times.last else {
            return svg + "<text x=\"\(l.left)\" y=\"80\">no telemetry in this capture</text>\n</svg>\n"
        }
        let time = NiceScale(min(0, t0), max(last, 1e-3), count: 10)
        svg += stateLegend(data, l)
        for (i, panel) in panels.enumerated() { svg += render(panel, index: i, data, time, l) }
        svg += "<text x=\"\(f(l.left + l.plotWidth / 2))\" y=\"\(f(l.height - 14))\" text-anchor=\"middle\">time from start (s)</text>\n"
        return svg + "</svg>\n"
    }

    static func render(_ panel: Panel, index: Int, _ data: PlotData, _ time: NiceScale, _ l: Layout) -> String {
        let y0 = l.panelTop(index)
        let present = panel.series.filter { s in data.values[s.column]?.contains { $0.isFinite } ?? false }
        let limit = index == 0 ? data.pressureLimitKPa : nil
        var lo = Double.infinity, hi = -Double.infinity
        for s in present { for v in data.values[s.column]! where v.isFinite { lo = min(lo, v); hi = max(hi, v) } }
        if let limit { lo = min(lo, limit); hi = max(hi, limit) }
        let scale = NiceScale(lo, hi)
        func x(_ t: Double) -> Double { l.left + (t - time.lower) / (time.upper - time.lower) * l.plotWidth }
        func y(_ v: Double) -> Double { y0 + l.panelHeight - (v - scale.lower) / (scale.upper - scale.lower) * l.panelHeight }
        var svg = "<text x=\"\(l.left)\" y=\"\(f(y0 - 10))\" font-weight=\"bold\">\(escape(panel.title)) (\(escape(panel.unit)))</text>\n"
        svg += bands(data, x: x, top: y0, height: l.panelHeight)
        svg += axes(scale, time, x: x, y: y, top: y0, l)
        if let limit {
            svg += "<line x1=\"\(l.left)\" x2=\"\(f(l.left + l.plotWidth))\" y1=\"\(f(y(limit)))\" y2=\"\(f(y(limit)))\" stroke=\"#922b21\" stroke-width=\"1.5\" stroke-dasharray=\"8 4\"/>"
            svg += "<text x=\"\(f(l.left + 6))\" y=\"\(f(y(limit) - 4))\" fill=\"#922b21\">pressure limit \(TelemetryCSV.num(limit)) kPa</text>\n"
        }
        for s in present {
            let points = reduced(data.times, data.values[s.column]!, columns: Int(l.plotWidth), from: time.lower, to: time.upper)
            svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.4\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "") points=\""
            svg += points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ") + "\"/>\n"
        }
        svg += marks(data, x: x, top: y0, height: l.panelHeight, labelled: index == 0)
        svg += legend(present, right: l.left + l.plotWidth, y: y0 - 10)
        return svg
    }

    /// One band per run of a state, behind the curves.
    static func bands(_ data: PlotData, x: (Double) -> Double, top: Double, height: Double) -> String {
        var svg = "", start = 0
        for i in 1...data.states.count where i == data.states.count || data.states[i] != data.states[start] {
            let a = x(data.times[start]), b = x(i < data.times.count ? data.times[i] : data.times[i - 1])
            if let color = stateColors[data.states[start]], b > a {
                svg += "<rect x=\"\(f(a))\" y=\"\(f(top))\" width=\"\(f(b - a))\" height=\"\(f(height))\" fill=\"\(color)\"/>"
            }
            start = i
        }
        return svg + "\n"
    }

    static func axes(_ scale: NiceScale, _ time: NiceScale, x: (Double) -> Double, y: (Double) -> Double,
                     top: Double, _ l: Layout) -> String {
        var svg = "<rect x=\"\(l.left)\" y=\"\(f(top))\" width=\"\(f(l.plotWidth))\" height=\"\(f(l.panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
        for v in scale.ticks {
            svg += "<line x1=\"\(l.left)\" x2=\"\(f(l.left + l.plotWidth))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#000\" stroke-opacity=\"0.08\"/>"
            svg += "<text x=\"\(f(l.left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(scale.label(v))</text>\n"
        }
        for t in time.ticks {
            svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(top + l.panelHeight))\" y2=\"\(f(top + l.panelHeight + 4))\" stroke=\"#999\"/>"
            svg += "<text x=\"\(f(x(t)))\" y=\"\(f(top + l.panelHeight + 17))\" text-anchor=\"middle\">\(time.label(t))</text>\n"
        }
        return svg
    }

    /// Faults (red), pauses (orange, dashed) and other hazards (grey, dotted) across the
    /// panel; the first panel names the faults and pauses.
    static func marks(_ data: PlotData, x: (Double) -> Double, top: Double, height: Double, labelled: Bool) -> String {
        var svg = ""
        for (k, m) in data.markers.enumerated() {
            let style: String
            switch m.kind {
            case .fault: style = "stroke=\"#c0392b\" stroke-width=\"1.6\""
            case .pause: style = "stroke=\"#d68910\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\""
            case .other: style = "stroke=\"#7f8c8d\" stroke-width=\"1\" stroke-dasharray=\"2 3\""
            }
            svg += "<line x1=\"\(f(x(m.seconds)))\" x2=\"\(f(x(m.seconds)))\" y1=\"\(f(top))\" y2=\"\(f(top + height))\" \(style)><title>\(escape(m.label))</title></line>"
            if labelled && m.kind != .other && k < 30 {
                svg += "<text x=\"\(f(x(m.seconds) + 3))\" y=\"\(f(top + 12 + Double(k % 4) * 12))\" font-size=\"10\" fill=\"\(m.kind == .fault ? "#c0392b" : "#9a6400")\">\(escape(m.label))</text>"
            }
            svg += "\n"
        }
        return svg
    }

    /// Swatch and name of each series drawn, right-aligned above the panel.
    static func legend(_ series: [Series], right: Double, y: Double) -> String {
        var svg = "", at = right
        for s in series.reversed() {
            at -= Double(s.name.count) * 6.6
            svg += "<text x=\"\(f(at))\" y=\"\(f(y))\">\(escape(s.name))</text>"
            svg += "<line x1=\"\(f(at - 24))\" x2=\"\(f(at - 4))\" y1=\"\(f(y - 4))\" y2=\"\(f(y - 4))\" stroke=\"\(s.color)\" stroke-width=\"3\"\(s.dashed ? " stroke-dasharray=\"6 3\"" : "")/>\n"
            at -= 40
        }
        return svg
    }

    /// A swatch per state that has a band, under the title.
    static func stateLegend(_ data: PlotData, _ l: Layout) -> String {
        var seen: [String] = []
        for s in data.states where stateColors[s] != nil && !seen.contains(s) { seen.append(s) }
        var svg = "<text x=\"\(l.left)\" y=\"44\" fill=\"#555\">states:</text>", at = l.left + 50
        for s in seen {
            svg += "<rect x=\"\(f(at))\" y=\"34\" width=\"14\" height=\"12\" fill=\"\(stateColors[s]!)\" stroke=\"#bbb\"/>"
            svg += "<text x=\"\(f(at + 18))\" y=\"44\">\(escape(s))</text>"
            at += 30 + Double(s.count) * 6.6
        }
        return svg + "\n"
    }

    /// At most two points (min and max, in time order) per pixel column.
    static func reduced(_ times: [Double], _ values: [Double], columns: Int, from t0: Double, to t1: Double) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var column = Int.min
        var minPoint = (0.0, 0.0), maxPoint = (0.0, 0.0)
        func flush() {
            guard column != Int.min else { return }
            if minPoint == maxPoint { out.append(minPoint) } else { out += minPoint.0 <= maxPoint.0 ? [minPoint, maxPoint] : [maxPoint, minPoint] }
        }
        for (t, v) in zip(times, values) where v.isFinite {
            let c = Int((t - t0) / (t1 - t0) * Double(columns))
            if c != column {
                flush()
                column = c
                (minPoint, maxPoint) = ((t, v), (t, v))
            } else {
                if v < minPoint.1 { minPoint = (t, v) }
                if v > maxPoint.1 { maxPoint = (t, v) }
            }
        }
        flush()
        return out
    }

    static func f(_ v: Double) -> String { TelemetryCSV.num(v) }

    static func escape(_ s: String) -> String {
        var r = ""
        for c in s {
            switch c {
            case "<": r += "&lt;"
            case ">": r += "&gt;"
            case "&": r += "&amp;"
            case "\"": r += "&quot;"
            default: r.append(c)
            }
        }
        return r
    }
}
