import InjectorCore
import InjectorProtocol
import Testing
@testable import InjectorConsole

/// The terminal view's keys and frame, typed and read as a person over SSH would.
@Suite struct TerminalViewTests {
    static func type(_ text: String, _ input: inout TerminalInput, _ bench: inout Bench) {
        for byte in text.utf8 { input.feed(byte, &bench.console.session, at: bench.now) }
    }

    /// The screen with its escape sequences removed, as lines.
    static func plain(_ frame: String) -> [String] {
        // By scalar: "\r\n" is one Character in Swift.
        var out = String.UnicodeScalarView()
        var inEscape = false
        for c in frame.unicodeScalars {
            if inEscape {
                if c.properties.isAlphabetic { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else if c != "\r" {
                out.append(c)
            }
        }
        return String(out).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func keysAskConfirmAndSend() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        bench.firmware.switches[.enable] = .active
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        var input = TerminalInput()
        Self.type("p", &input, &bench)
        #expect(input.mode == .confirming)
        #expect(input.feedback.hasSuffix("[y/n]"))
        Self.type("n", &input, &bench)
        #expect(input.feedback == "cancelled: nothing sent")
        bench.run(.milliseconds(100))
        #expect(bench.firmware.commandsSeen.isEmpty)
        Self.type("py", &input, &bench)
        #expect(input.feedback == "sent prime")
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .priming })
        // Space pauses at once.
        Self.type(" ", &input, &bench)
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .idle })
        #expect(bench.firmware.commandsSeen == [.prime, .pause])
    }

    @Test func aValueIsTypedWithBackspaceAndEnter() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        var input = TerminalInput()
        Self.type("R", &input, &bench)
        #expect(input.mode == .value(.setRate, ""))
        Self.type("455\u{7F}\r", &input, &bench)
        #expect(input.mode == .confirming)
        #expect(input.feedback.contains("Set the target flow to 45 µL/s"))
        Self.type("y", &input, &bench)
        bench.run(.milliseconds(100))
        #expect(bench.firmware.commandsSeen == [.setRate(MicrolitersPerSecond(45))])
        Self.type("\u{03}", &input, &bench)
        #expect(input.quit)
    }

    @Test func theScreenFitsTheTerminalAndShowsStateValuesAndKeys() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry != nil && $0.isConnected })
        bench.run(.seconds(1))
        let frame = TerminalScreen.render(bench.console.session, input: TerminalInput(), width: 80, height: 24)
        #expect(frame.hasPrefix("\u{1B}[H"), "drawn in place from the top left")
        #expect(frame.hasSuffix("\u{1B}[J"))
        #expect(!frame.contains("\n\u{1B}[J"), "no scroll past the last line")
        let lines = Self.plain(frame)
        #expect(lines.count == 24)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.contains { $0.hasPrefix("STATE IDLE") })
        #expect(lines.contains { $0.hasPrefix("pressure    150.0 kPa") })
        #expect(lines.contains { $0.contains("p prime") })
        #expect(lines.contains { $0.contains("identified firmware 1.2.3") })
    }

    @Test func aLostLinkAndAnEStopTakeTheSecondLineInRed() {
        var bench = Bench(console: fastConfiguration(), firmware: fastConfiguration())
        #expect(bench.run(upTo: .seconds(1)) { $0.isConnected && $0.telemetry != nil })
        bench.firmware.switches[.eStop] = .active
        #expect(bench.run(upTo: .seconds(1)) { $0.telemetry?.state == .eStopped })
        var frame = TerminalScreen.render(bench.console.session, input: TerminalInput(), width: 100, height: 30)
        #expect(frame.contains(TerminalScreen.alarmStyle + "!! E-STOP"))
        #expect(Self.plain(frame)[1].hasPrefix("!! E-STOP — motion stopped"))
        bench.cut = true
        #expect(bench.run(upTo: .seconds(1)) { if case .lost = $0.link { true } else { false } })
        frame = TerminalScreen.render(bench.console.session, input: TerminalInput(), width: 100, height: 30)
        #expect(Self.plain(frame)[1].hasPrefix("!! LINK LOST"))
        #expect(Self.plain(frame)[2].hasSuffix("(last known)"))
    }
}
