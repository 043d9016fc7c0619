import InjectorConfigFile
import Testing
@testable import InjectorCore

@Suite struct ConfigurationFileTests {
    static let shipped: String = {
        let here = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + here + "/hardware/configs/lumbar-10ml-11g.yaml"
    }()

    @Test func theShippedConfigurationLoadsAndEqualsTheDefaults() throws {
        let loaded = try ConfigurationFile.load(path: Self.shipped)
        #expect(loaded.configuration == InjectorConfiguration())
    }

    @Test func unitsAreConverted() throws {
        let c = try ConfigurationFile.parse(yaml: """
            rates:
              injectionFlow: 3 mL/min
            pressure:
              limit: 2500 kPa
            faults:
              occlusionPressure: 2 MPa
            needle:
              deadVolume: 500 uL
              length: 12.7 cm
            cement:
              workingPhaseEnd: 540 s
            procedure:
              anteriorCapacity: 12 mL
              level: T8
            """)
        #expect(c.rates.injectionFlow == MicrolitersPerSecond(50))
        #expect(c.pressure.limit == Kilopascals(2500))
        #expect(c.needle.deadVolume == Microliters(500))
        #expect(abs(c.needle.length.rawValue - 127) < 1e-9)
        #expect(c.cement.workingPhaseEnd == .minutes(9))
        #expect(c.procedure.anteriorCapacity == .direct(.milliliters(12)))
        #expect(c.procedure.level.description == "T8")
    }

    @Test func everyProblemIsNamedUnknownKeysUnreadableValuesAndRanges() {
        do {
            _ = try ConfigurationFile.load(yaml: """
                needle:
                  bore: 12 mm
                  lenght: 127 mm
                pressure:
                  limit: 3.5
                rates:
                  mode: fast
                procedure:
                  fillFractionLimit: 0.9
                colour: blue
                """)
            Issue.record("a bad file was accepted")
        } catch {
            let byField = Dictionary(grouping: error.problems, by: \.field)
            #expect(byField["needle.bore"]?.first?.allowed == "0.5 … 5 mm")
            #expect(byField["needle.lenght"]?.first?.value == "unknown key")
            #expect(byField["needle.lenght"]?.first?.allowed.contains("length") == true)
            #expect(byField["pressure.limit"]?.first?.allowed.contains("MPa") == true) // a unit is required
            #expect(byField["rates.mode"]?.first?.allowed == "one of bolus, continuous")
            #expect(byField["procedure.fillFractionLimit"]?.first?.allowed == "0.05 … 0.5")
            #expect(byField["colour"]?.first?.value == "unknown key")
            #expect(error.problems.count == 6)
        }
    }

    @Test func anUnreadableDocumentIsOneClearProblem() {
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(yaml: "needle: [unclosed") }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(path: "/nonexistent/config.yaml") }
    }
}
