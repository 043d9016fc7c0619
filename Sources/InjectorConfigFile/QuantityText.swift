import InjectorCore

/// The units a dimensioned value may be written in, each with its factor to `symbol`,
/// the unit the value is stored in: "2.39 mm", "0.9 mL", "4 mL/min", "3.5 MPa", "1.5 s".
///
/// A dimensioned value in a file always carries its unit, so a file cannot be misread
/// by a factor of a thousand; a bare number is accepted only where the field is
/// dimensionless (a fraction, a count).
public struct UnitTable: Sendable {
    /// The stored unit.
    public let symbol: String
    let factors: [String: Double]

    /// The value of "12.5 kPa" in `symbol`; `nil` without a number or a known unit.
    public func value(of text: String) -> Double? {
        guard let (value, unit) = QuantityText.split(text), let factor = factors[unit], value.isFinite else { return nil }
        return value * factor
    }

    /// "a pressure with a unit: Pa, bar, kPa, MPa, mmHg".
    public var expected: String { "a number with a unit: " + factors.keys.sorted().joined(separator: ", ") }

    public static let volume = UnitTable(symbol: "µL", factors: ["µL": 1, "uL": 1, "mm3": 1, "mL": 1000, "cc": 1000])
    public static let pressure = UnitTable(symbol: "kPa", factors: ["kPa": 1, "MPa": 1000, "Pa": 0.001,
                                                                    "mmHg": 0.133322, "bar": 100])
    public static let length = UnitTable(symbol: "mm", factors: ["mm": 1, "cm": 10, "µm": 0.001, "um": 0.001])
    public static let flow = UnitTable(symbol: "µL/s", factors: ["µL/s": 1, "uL/s": 1, "mL/s": 1000, "mL/min": 1000.0 / 60,
                                                                 "µL/min": 1.0 / 60, "uL/min": 1.0 / 60])
    public static let acceleration = UnitTable(symbol: "µL/s²", factors: ["µL/s²": 1, "uL/s^2": 1, "uL/s2": 1,
                                                                          "µL/s^2": 1, "mL/s²": 1000, "mL/s^2": 1000])
    public static let compliance = UnitTable(symbol: "µL/kPa", factors: ["µL/kPa": 1, "uL/kPa": 1, "µL/MPa": 0.001,
                                                                         "uL/MPa": 0.001])
    public static let stiffness = UnitTable(symbol: "kPa/µL", factors: ["kPa/µL": 1, "kPa/uL": 1, "MPa/mL": 1])
    public static let stepRate = UnitTable(symbol: "steps/s", factors: ["steps/s": 1, "Hz": 1, "kHz": 1000])
    public static let frequency = UnitTable(symbol: "Hz", factors: ["Hz": 1, "kHz": 1000])
    /// Times stored as seconds (a time read into an `Interval` uses `nanoseconds`).
    public static let seconds = UnitTable(symbol: "s", factors: ["s": 1, "ms": 0.001, "min": 60])
    /// Times read into an `Interval`: the factor to whole nanoseconds, so "50 ms" is
    /// exactly 50 000 000 ns.
    public static let nanoseconds = UnitTable(symbol: "ns", factors: ["s": 1e9, "ms": 1e6, "µs": 1e3, "us": 1e3,
                                                                      "ns": 1, "min": 60e9])
    /// Bone permeability.
    public static let area = UnitTable(symbol: "m²", factors: ["m²": 1, "m2": 1, "m^2": 1])
    /// A power-law fluid's consistency.
    public static let consistency = UnitTable(symbol: "Pa·sⁿ", factors: ["Pa·sⁿ": 1, "Pa.s^n": 1, "Pa s^n": 1])
    public static let pressureRate = UnitTable(symbol: "kPa/s", factors: ["kPa/s": 1, "MPa/s": 1000])
    public static let volumeRate = UnitTable(symbol: "µL/s", factors: ["µL/s": 1, "uL/s": 1, "mL/s": 1000])
    /// A temperature (the cement's syringe).
    public static let temperature = UnitTable(symbol: "°C", factors: ["°C": 1, "degC": 1])
    public static let millivolts = UnitTable(symbol: "mV", factors: ["mV": 1, "V": 1000])
}

enum QuantityText {
    /// Splits "12.5 kPa" into 12.5 and "kPa"; `nil` if there is no leading number.
    static func split(_ text: String) -> (Double, String)? {
        let trimmed = text.trimmingCharacters(in: " \t")
        var end = trimmed.startIndex
        while end < trimmed.endIndex, "0123456789.+-eE".contains(trimmed[end]) {
            // An 'e' only belongs to the number when a digit or sign follows it.
            if "eE".contains(trimmed[end]) {
                let next = trimmed.index(after: end)
                guard next < trimmed.endIndex, "0123456789+-".contains(trimmed[next]) else { break }
            }
            end = trimmed.index(after: end)
        }
        guard let value = Double(trimmed[..<end]) else { return nil }
        return (value, String(trimmed[end...]).trimmingCharacters(in: " \t"))
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
