import InjectorCore
import InjectorProtocol

/// A hand-written SVG of a run: pressure, volumes and flow over time, three panels
/// sharing the time axis. Long runs are reduced to the minimum and maximum of each
/// pixel column, so a one-tick pressure spike still shows.
public enum SVGPlot {
    struct Series {
        var name: String
        var color: String
        var value: (TelemetryReport) -> Double?
    }

    struct Panel {
        var title: String
        var unit: String
        var series: [Series]
    }

    public static func render(_ rows: [TelemetryReport], title: String = "injector run") -> String {
        let width = 1000.0, panelHeight = 220.0, left = 80.0, right = 20.0, top = 40.0, gap = 50.0
        let panels = [
            Panel(title: "Syringe pressure", unit: "kPa", series: [
                Series(name: "pressure", color: "#c0392b") { $0.pressure.rawValue }]),
            Panel(title: "Volume", unit: "µL", series: [
                Series(name: "delivered", color: "#2471a3") { $0.delivered.rawValue },
                Series(name: "committed", color: "#7fb3d5") { $0.committed.rawValue },
                Series(name: "cap", color: "#555555") { $0.cap.rawValue },
                Series(name: "plunger", color: "#27ae60") { $0.plungerPosition?.rawValue }]),
            Panel(title: "Flow", unit: "µL/s", series: [
                Series(name: "commanded flow", color: "#8e44ad") { $0.commandedFlow.rawValue }]),
        ]
        let height = top + Double(panels.count) * (panelHeight + gap)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="16">\(escape(title))</text>

            """
        guard let first = rows.first, let last = rows.last else {
            return svg + "<text x=\"\(left)\" y=\"80\">no telemetry in this capture</text>\n</svg>\n"
        }
        let t0 = Double(first.time.nanoseconds) / 1e9
        let t1 = max(t0 + 1e-3, Double(last.time.nanoseconds) / 1e9)
        let plotWidth = width - left - right
        for (i, panel) in panels.enumerated() {
            let y0 = top + Double(i) * (panelHeight + gap)
            var lo = Double.infinity, hi = -Double.infinity
            for s in panel.series { for r in rows { if let v = s.value(r), v.isFinite { lo = min(lo, v); hi = max(hi, v) } } }
            if !lo.isFinite { lo = 0; hi = 1 }
            if hi - lo < 1e-9 { hi = lo + 1 }
            let pad = (hi - lo) * 0.05
            lo -= pad; hi += pad
            func x(_ t: Double) -> Double { left + (t - t0) / (t1 - t0) * plotWidth }
            func y(_ v: Double) -> Double { y0 + panelHeight - (v - lo) / (hi - lo) * panelHeight }
            svg += "<text x=\"\(left)\" y=\"\(f(y0 - 8))\" font-weight=\"bold\">\(escape(panel.title)) (\(escape(panel.unit)))</text>\n"
            svg += "<rect x=\"\(left)\" y=\"\(f(y0))\" width=\"\(f(plotWidth))\" height=\"\(f(panelHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
            for k in 0...4 {
                let v = lo + (hi - lo) * Double(k) / 4
                svg += "<line x1=\"\(left)\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(TelemetryCSV.num((v * 10).rounded() / 10))</text>\n"
            }
            for k in 0...5 {
                let t = t0 + (t1 - t0) * Double(k) / 5
                svg += "<text x=\"\(f(x(t)))\" y=\"\(f(y0 + panelHeight + 16))\" text-anchor=\"middle\">\(TelemetryCSV.num((t * 100).rounded() / 100)) s</text>\n"
            }
            var legendX = left + plotWidth - 10
            for s in panel.series.reversed() {
                svg += "<text x=\"\(f(legendX))\" y=\"\(f(y0 - 8))\" text-anchor=\"end\" fill=\"\(s.color)\">\(escape(s.name))</text>\n"
                legendX -= Double(s.name.count) * 7 + 16
                let points = reduced(rows, s.value, columns: Int(plotWidth), t0: t0, t1: t1)
                guard !points.isEmpty else { continue }
                svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.2\" points=\""
                svg += points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
                svg += "\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// At most two points (min and max, in time order) per pixel column.
    static func reduced(_ rows: [TelemetryReport], _ value: (TelemetryReport) -> Double?, columns: Int,
                        t0: Double, t1: Double) -> [(Double, Double)] {
        var out: [(Double, Double)] = []
        var column = -1
        var minPoint: (Double, Double)?, maxPoint: (Double, Double)?
        func flush() {
            guard let a = minPoint, let b = maxPoint else { return }
            if a.0 == b.0 && a.1 == b.1 { out.append(a) } else { out += a.0 <= b.0 ? [a, b] : [b, a] }
        }
        for r in rows {
            guard let v = value(r), v.isFinite else { continue }
            let t = Double(r.time.nanoseconds) / 1e9
            let c = Int((t - t0) / (t1 - t0) * Double(columns))
            if c != column {
                flush()
                column = c
                minPoint = (t, v); maxPoint = (t, v)
            } else {
                if v < minPoint!.1 { minPoint = (t, v) }
                if v > maxPoint!.1 { maxPoint = (t, v) }
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
