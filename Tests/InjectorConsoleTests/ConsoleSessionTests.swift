import InjectorCore
import InjectorProtocol
import Testing
@testable import InjectorConsole

/// The session core against the real controller and firmware session, in wire bytes.
@Suite struct ConsoleSessionTests {
    @Test func identifiesAMatchingFirmwareAndShowsItsTelemetry() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.console.session.link == .identifying)
        #expect(bench.run(upTo: .seconds(1)) { $0.isConnected && $0.telemetry != nil })
        guard case .connected(let identity) = bench.console.session.link else { return }
        #expect(identity.firmwareVersion == FirmwareVersion(major: 1, minor: 2, patch: 3))
        #expect(bench.console.session.telemetry?.state == .idle)
        bench.run(.seconds(2))
        // Telemetry every tick of the bench, thinned to one sample per 50 ms.
        #expect((39...41).contains(bench.console.session.history.count))
        // Heartbeats keep the firmware's host link up.
        #expect(bench.firmware.endpoint.isHostLinkUp)
    }

    @Test func aFirmwareWithAnotherConfigurationIsRefusedAndNeverCommanded() {
        var other = fastConfiguration()
        other.rates.maxInjectionFlow = MicrolitersPerSecond(120)
        var bench = Bench(console: fastConfiguration(), firmware: other)
        #expect(bench.run(upTo: .seconds(1)) { if case .refused = $0.link { true } else { false } })
        let outcome = bench.console.session.request(.queryStatus, at: bench.now)
        #expect(outcome.refusal?.contains("expected 0x") == true, "\(outcome)")
        bench.run(.seconds(1))
        #expect(bench.firmware.commandsSeen.isEmpty)
        #expect(ConsoleDisplay.alarmBanner(bench.console.session)?.hasPrefix("FIRMWARE REFUSED") == true)
    }

    /// Prime needs the pedal; the console says so before sending; with the pedal held
    /// it asks, and only the yes sends it; pause goes at once.
    @Test func primeIsConfirmedAndPauseIsNot() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        let early = bench.console.session.request(.prime, at: bench.now)
        #expect(early == .refused(Refusal.enableNotHeld.description))
        bench.firmware.switches[.enable] = .active
        bench.run(.milliseconds(50))
        let asked = bench.console.session.request(.prime, at: bench.now)
        #expect(asked.question?.contains("dead volume 50 µL") == true, "\(asked)")
        bench.run(.milliseconds(200))
        #expect(bench.firmware.commandsSeen.isEmpty, "nothing is sent before the yes")
        #expect(bench.console.session.confirm(at: bench.now) == .sent(.prime))
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .priming })
        #expect(bench.console.session.log.entries.contains { $0.text == "prime accepted" })
        #expect(bench.console.session.request(.pause, at: bench.now) == .sent(.pause))
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .idle })
        #expect(bench.firmware.commandsSeen == [.prime, .pause])
    }

    /// Through a whole injection to a pause: the resume question names the pause reason
    /// in capitals, and the command sent acknowledges exactly that reason.
    @Test func resumeNamesThePauseReasonAndAcknowledgesIt() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        bench.firmware.switches[.enable] = .active
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        func go(_ action: ConsoleAction, _ state: InjectorState, _ bench: inout Bench) {
            let outcome = bench.console.session.request(action, at: bench.now)
            if case .needsConfirmation = outcome { _ = bench.console.session.confirm(at: bench.now) }
            #expect(bench.run(upTo: .seconds(30)) { $0.telemetry?.state == state }, "\(action) → \(state)")
        }
        _ = bench.console.session.request(.cementMixed, at: bench.now)
        go(.prime, .primed, &bench)
        go(.arm, .armed, &bench)
        bench.run(.seconds(1))   // the cement's working phase opens 1 s after mixing
        go(.start, .injecting, &bench)
        go(.posteriorQuarter, .paused, &bench)
        let asked = bench.console.session.request(.resume, at: bench.now)
        #expect(asked.question?.contains("POSTERIOR QUARTER REACHED") == true, "\(asked)")
        _ = bench.console.session.confirm(at: bench.now)
        bench.run(.milliseconds(100))
        #expect(bench.firmware.commandsSeen.last == .resume(acknowledging: .posteriorQuarterReached))
    }

    @Test func aSilentFirmwareIsALostLinkUntilItAnswersAgain() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.isConnected })
        bench.cut = true
        #expect(bench.run(upTo: .seconds(1)) { if case .lost = $0.link { true } else { false } })
        #expect(ConsoleDisplay.alarmBanner(bench.console.session)?.hasPrefix("LINK LOST") == true)
        #expect(bench.console.session.unavailability(.pause)?.hasPrefix("link lost") == true)
        #expect(bench.console.session.log.entries.contains { $0.severity == .alarm && $0.text.hasPrefix("LINK LOST") })
        bench.cut = false
        #expect(bench.run(upTo: .seconds(2)) { $0.isConnected })
        #expect(ConsoleDisplay.alarmBanner(bench.console.session) == nil)
    }

    @Test func aValueOutOfItsRangeIsRefusedNamingFieldAndRange() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        #expect(bench.console.session.request(.setRate, value: "2000000", at: bench.now)
            == .refused("rate: 2000000 µL/s is outside 0.0 – 1000000.0 µL/s"))
        #expect(bench.console.session.request(.setRate, value: "fast", at: bench.now)
            == .refused("rate: \"fast\" is not a number; allowed 0.0 – 1000000.0 µL/s"))
        #expect(bench.console.session.request(.setRate, at: bench.now)
            == .refused("rate: a value is needed, 0.0 – 1000000.0 µL/s"))
        #expect(bench.console.session.request(.setRate, value: "40", at: bench.now).question != nil)
        _ = bench.console.session.confirm(at: bench.now)
        bench.run(.milliseconds(100))
        #expect(bench.firmware.commandsSeen == [.setRate(MicrolitersPerSecond(40))])
    }
}

extension ConsoleSession.Outcome {
    var question: String? { if case .needsConfirmation(let prompt) = self { prompt } else { nil } }
    var refusal: String? { if case .refused(let why) = self { why } else { nil } }
}
