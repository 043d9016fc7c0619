import Foundation
import InjectorCore
import Testing
@testable import InjectorConsole

/// What the browser gets: valid JSON with the state, the actions and why each is
/// disabled, and only the samples and entries it has not had.
@Suite struct DashboardJSONTests {
    static func parse(_ json: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func theSnapshotIsValidJSONWithStateActionsAndNewSamplesOnly() throws {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        bench.run(.seconds(1))
        let s = bench.console.session
        let all = try Self.parse(DashboardJSON.render(s, samplesFrom: 0, entriesFrom: 0, feedback: "sent \"prime\"\n"))
        let link = try #require(all["link"] as? [String: Any])
        #expect(link["status"] as? String == "connected")
        #expect(link["banner"] is NSNull)
        let t = try #require(all["telemetry"] as? [String: Any])
        #expect(t["state"] as? String == "idle")
        #expect(t["pressure_kPa"] as? Double == 150)
        #expect((t["switches"] as? [[String: Any]])?.count == 8)
        let actions = try #require(all["actions"] as? [[String: Any]])
        #expect(actions.count == ConsoleAction.allCases.count)
        let prime = try #require(actions.first { $0["id"] as? String == "prime" })
        #expect(prime["disabled"] as? String == "enable (pedal) is not held")
        let pause = try #require(actions.first { $0["id"] as? String == "pause" })
        #expect(pause["disabled"] as? String == "not allowed while idle")
        let query = try #require(actions.first { $0["id"] as? String == "queryStatus" })
        #expect(query["disabled"] is NSNull)
        #expect(all["feedback"] as? String == "sent \"prime\"\n")
        let samples = try #require(all["samples"] as? [[Double]])
        #expect(samples.count == s.history.count && samples.count > 10)
        #expect(samples.last?[2] == 150)

        let none = try Self.parse(DashboardJSON.render(s, samplesFrom: s.history.nextIndex,
                                                       entriesFrom: s.log.nextIndex, feedback: ""))
        #expect((none["samples"] as? [Any])?.isEmpty == true)
        #expect((none["entries"] as? [Any])?.isEmpty == true)
    }

    @Test func aLostLinkIsTheBannerAndEveryButtonSaysSo() throws {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.isConnected })
        bench.cut = true
        #expect(bench.run(upTo: .seconds(1)) { if case .lost = $0.link { true } else { false } })
        let d = try Self.parse(DashboardJSON.render(bench.console.session, samplesFrom: 0, entriesFrom: 0, feedback: ""))
        let link = try #require(d["link"] as? [String: Any])
        #expect(link["status"] as? String == "lost")
        #expect((link["banner"] as? String)?.hasPrefix("LINK LOST") == true)
        let actions = try #require(d["actions"] as? [[String: Any]])
        #expect(actions.allSatisfy { ($0["disabled"] as? String)?.hasPrefix("link lost") == true })
        #expect((d["telemetry"] as? [String: Any])?["current"] as? Bool == false)
    }

    @Test func textIsEscapedAndNonFiniteNumbersAreNull() {
        #expect(DashboardJSON.text("a\"b\\c\n\u{01}é") == "\"a\\\"b\\\\c\\n\\u0001é\"")
        #expect(DashboardJSON.number(.nan) == "null")
        #expect(DashboardJSON.number(-1.25) == "-1.250")
    }
}
