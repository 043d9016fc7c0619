import Foundation
import Testing
@testable import InjectorConfigFile
@testable import InjectorCore

@Suite struct ConfigurationFileTests {
    static let configs: String = {
        let here = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + here + "/hardware/configs"
    }()
    static let shipped = configs + "/lumbar-10ml-11g.yaml"

    /// The shipped file, extended: the keys below override it.
    func overriding(_ keys: String) -> String { "extends: lumbar-10ml-11g.yaml\n" + keys }

    func problems(_ yaml: String, directory: String = configs) -> [ConfigurationProblem] {
        do {
            _ = try ConfigurationFile.load(yaml: yaml, directory: directory)
            return []
        } catch { return error.problems }
    }

    @Test func theShippedConfigurationLoadsAndEqualsTheDefaults() throws {
        let loaded = try ConfigurationFile.load(path: Self.shipped)
        #expect(loaded.configuration == InjectorConfiguration())
    }

    @Test func unitsAreConverted() throws {
        let c = try ConfigurationFile.parse(yaml: overriding("""
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
            """), directory: Self.configs)
        #expect(c.rates.injectionFlow == MicrolitersPerSecond(50))
        #expect(c.pressure.limit == Kilopascals(2500))
        #expect(c.needle.deadVolume == Microliters(500))
        #expect(abs(c.needle.length.rawValue - 127) < 1e-9)
        #expect(c.cement.workingPhaseEnd == .minutes(9))
        #expect(c.procedure.anteriorCapacity == .direct(.milliliters(12)))   // replaces the body-volume form
        #expect(c.procedure.level.description == "T8")
    }

    @Test func everyProblemIsNamedUnknownKeysUnreadableValuesAndRanges() {
        let found = problems(overriding("""
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
            """))
        let byField = Dictionary(grouping: found, by: \.field)
        #expect(byField["needle.bore"]?.first?.allowed == "0.5 … 5 mm")
        #expect(byField["needle.lenght"]?.first?.value == "unknown key")
        #expect(byField["needle.lenght"]?.first?.allowed.hasPrefix("did you mean \"length\"?") == true)
        #expect(byField["pressure.limit"]?.first?.allowed.contains("MPa") == true) // a unit is required
        #expect(byField["rates.mode"]?.first?.allowed == "one of bolus, continuous")
        #expect(byField["procedure.fillFractionLimit"]?.first?.allowed == "0.05 … 0.5")
        #expect(byField["colour"]?.first?.value == "unknown key")
        #expect(found.count == 6)
    }

    @Test func anEmptyFileIsRefusedNamingEveryKeyWithItsUnitAndRange() {
        let found = problems("")
        #expect(Set(found.map(\.field)) == Set(ConfigurationField.all.map(\.path)))
        #expect(found.allSatisfy { $0.value == "missing" })
        let bore = found.first { $0.field == "needle.bore" }
        #expect(bore?.allowed == "0.5 … 5 mm; a number with a unit: cm, mm, um, µm")
        let flow = found.first { $0.field == "rates.injectionFlow" }
        #expect(flow?.allowed.hasPrefix("1 µL/s … ceilings.maxFlow; a number with a unit:") == true)
        #expect(found.first { $0.field == "rates.mode" }?.allowed == "one of bolus, continuous")
        // A comment-only file is as empty.
        #expect(problems("# nothing chosen yet\n").count == found.count)
    }

    @Test func aOneKeyFileIsRefusedNamingEveryOtherKey() {
        let found = problems("tickRate: 1 kHz\n")
        let expected = Set(ConfigurationField.all.map(\.path)).subtracting(["tickRate"])
        #expect(Set(found.map(\.field)) == expected)
        #expect(found.count == expected.count)
    }

    /// What `injector-firmware config-hash --config empty.yaml` runs: it exits 2 when
    /// this throws (it used to print the hash of the built-in defaults and exit 0).
    @Test func theFileLoaderTheHashCommandUsesRefusesAnEmptyFile() throws {
        let path = NSTemporaryDirectory() + "empty-\(UInt64.random(in: 0...UInt64.max)).yaml"
        try Data().write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(path: path) }
    }

    @Test func anExtendingFileIsHashedAsItsResolvedConfiguration() throws {
        let plain = try ConfigurationFile.load(path: Self.shipped).configuration
        let same = try ConfigurationFile.parse(yaml: overriding(""), directory: Self.configs)
        #expect(ConfigurationFingerprint.hash(same) == ConfigurationFingerprint.hash(plain))
        let faster = try ConfigurationFile.parse(yaml: overriding("rates: {injectionFlow: 70 µL/s}\n"),
                                                 directory: Self.configs)
        #expect(faster.rates.injectionFlow == MicrolitersPerSecond(70))
        #expect(ConfigurationFingerprint.hash(faster) != ConfigurationFingerprint.hash(plain))
        // A missing base file is one problem, named under `extends`.
        #expect(problems("extends: nowhere.yaml\n").first?.field.hasPrefix("extends: ") == true)
    }

    @Test func extendsCyclesAndOverlongChainsAreRefused() throws {
        let dir = NSTemporaryDirectory() + "extends-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func write(_ name: String, _ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        try write("a.yaml", "extends: b.yaml\n")
        try write("b.yaml", "extends: a.yaml\n")
        let cycle = problems("extends: a.yaml\n", directory: dir)
        #expect(cycle.contains { $0.allowed.hasPrefix("a file not already extended") })
        // A chain one longer than the bound, ending in the shipped file.
        let depth = ConfigurationFile.maximumExtendsDepth
        for i in 0..<depth { try write("c\(i).yaml", "extends: c\(i + 1).yaml\n") }
        try write("c\(depth).yaml", "extends: \(Self.shipped)\n")
        #expect(problems("extends: c0.yaml\n", directory: dir).contains { $0.allowed.hasPrefix("at most \(depth) files") })
        try write("c1.yaml", "extends: \(Self.shipped)\n")
        #expect(problems("extends: c0.yaml\n", directory: dir).isEmpty)
    }

    @Test func anUnreadableDocumentIsOneClearProblem() {
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(yaml: "needle: [unclosed") }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(path: "/nonexistent/config.yaml") }
    }
}
