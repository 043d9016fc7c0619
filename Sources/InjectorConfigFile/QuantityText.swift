import InjectorCore

/// Reads "2.39 mm", "0.9 mL", "4 mL/min", "3.5 MPa", "1.5 s" into the core's unit types.
///
/// A value in a configuration file always carries its unit, so a file cannot be
/// misread by a factor of a thousand; a bare number is accepted only where the field
/// is dimensionless (a fraction, a count).
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

    /// The factor from each accepted unit to the type's own unit.
    static let volume: [String: Double] = ["µL": 1, "uL": 1, "mm3": 1, "mL": 1000, "cc": 1000]
    static let pressure: [String: Double] = ["kPa": 1, "MPa": 1000, "Pa": 0.001, "mmHg": 0.133322, "bar": 100]
    static let length: [String: Double] = ["mm": 1, "cm": 10, "µm": 0.001, "um": 0.001]
    static let flow: [String: Double] = ["µL/s": 1, "uL/s": 1, "mL/s": 1000, "mL/min": 1000.0 / 60, "µL/min": 1.0 / 60, "uL/min": 1.0 / 60]
    static let acceleration: [String: Double] = ["µL/s²": 1, "uL/s^2": 1, "uL/s2": 1, "µL/s^2": 1, "mL/s²": 1000, "mL/s^2": 1000]
    static let compliance: [String: Double] = ["µL/kPa": 1, "uL/kPa": 1, "µL/MPa": 0.001, "uL/MPa": 0.001]
    static let time: [String: Double] = ["s": 1, "ms": 0.001, "min": 60]
    static let stepRate: [String: Double] = ["steps/s": 1, "Hz": 1, "kHz": 1000]
    static let frequency: [String: Double] = ["Hz": 1, "kHz": 1000]

    static func unitList(_ units: [String: Double]) -> String {
        units.keys.sorted().joined(separator: ", ")
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
