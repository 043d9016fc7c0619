#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Testing

/// `BoardLines` through a call table that requests every line at once (libgpiod v2).
@Suite struct GroupRequestTests {
    static func board() throws -> BoardConfiguration {
        try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
    }

    @Test func oneRequestCarriesEveryLineWithEnableFirstAtDisabled() throws {
        let fake = FakeGPIO()
        fake.groupRequests = true
        let lines = try BoardLines.open(try Self.board(), calls: fake.calls)
        let s = fake.state.withLock { $0 }
        #expect(s.groupRequests.count == 1)
        let group = try #require(s.groupRequests.first)
        #expect(group.count == 4 + 7)
        #expect(group.first == GPIOLineSettings(offset: 22, role: "ENABLE", direction: .output(initial: .high)))
        let eStop = try #require(group.first { $0.role == "eStop" })
        #expect(eStop.direction == .input(bias: .pullUp, debounce: BoardLines.defaultInputDebounce))
        #expect(lines.chip.label == "fake-chip")
        #expect(lines.inputLines.first?.debounce == .microseconds(500))
        lines.release(disabling: .activeLow)
        #expect(Set(fake.state.withLock { $0.released }) == Set([22, 17, 27, 23, 5, 6, 13, 19, 26, 20, 21]))
    }

    @Test func aBusyLineFailsTheWholeRequestAndNamesItsHolder() throws {
        let fake = FakeGPIO()
        fake.groupRequests = true
        fake.requestFailure = (5, EBUSY)
        fake.state.withLock { $0.heldBy[5] = "gpioset" }
        let board = try Self.board()
        do {
            _ = try BoardLines.open(board, calls: fake.calls)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .busy)
            #expect(error.advice.contains("line 5 (eStop) is held by \"gpioset\""))
        }
        let s = fake.state.withLock { $0 }
        #expect(s.requests.isEmpty && s.released.isEmpty)
    }
}
