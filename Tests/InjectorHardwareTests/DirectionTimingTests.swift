import InjectorConfigFile
import InjectorCore
import InjectorHardware
import Synchronization
import Testing

/// A clock that moves 100 ns at every read: spins end, and edges get distinct times.
final class TickingClock: MonotonicClock, @unchecked Sendable {
    private let time = Mutex(Instant(nanoseconds: 1_000_000_000))
    func now() -> Instant { time.withLock { $0 = $0 + Interval(nanoseconds: 100); return $0 } }
    func sleep(until deadline: Instant) { time.withLock { if $0 < deadline { $0 = deadline } } }
}

/// An output line that notes when each level was set, on a shared clock.
final class StampedLine: OutputLine, @unchecked Sendable {
    let name: String
    let clock: TickingClock
    var log: [(PinState, Instant)] = []
    init(_ name: String, _ clock: TickingClock) {
        self.name = name
        self.clock = clock
    }
    func set(_ state: PinState) throws(HardwareError) { log.append((state, clock.now())) }
}

@Suite struct DirectionTimingTests {
    @Test func directionWaitsOutTheHoldAndTheSetup() throws {
        let clock = TickingClock()
        let step = StampedLine("STEP", clock), dir = StampedLine("DIR", clock)
        let out = GPIOStepOutput(step: step, direction: dir, forwardLevel: .high, minimumPulse: .zero,
                                 directionSetup: .microseconds(3), directionHold: .microseconds(5), clock: clock)
        try out.setDirection(.forward)
        try out.pulse()
        try out.setDirection(.backward)
        try out.pulse()
        let fall = try #require(step.log.first { $0.0 == .low }?.1)
        let change = try #require(dir.log.last?.1)
        let rise = try #require(step.log.last { $0.0 == .high }?.1)
        #expect(change - fall >= .microseconds(5))
        #expect(rise - change >= .microseconds(3))
        #expect(dir.log.map(\.0) == [.high, .low])
    }

    @Test func directionTimesAreReadAndCheckedFromTheBoardFile() throws {
        let given = BoardTests.boardYAML.replacingOccurrences(
            "minimumWidth: 2 µs", "minimumWidth: 2 µs\n  directionSetup: 650 ns\n  directionHold: 1 µs")
        let board = try BoardConfigurationFile.parse(yaml: given)
        #expect(board.directionSetup == Interval(nanoseconds: 650) && board.directionHold == .microseconds(1))
        // Not given: the pulse width, as the output waited before.
        let old = try BoardConfigurationFile.parse(yaml: BoardTests.boardYAML)
        #expect(old.directionSetup == .microseconds(2) && old.directionHold == .microseconds(2))
        for (line, named) in [("directionSetup: 150 µs", "stepPulse.directionSetup: 0–100 µs"),
                              ("directionHold: -1 µs", "directionHold")] {
            let wrong = BoardTests.boardYAML.replacingOccurrences("minimumWidth: 2 µs", "minimumWidth: 2 µs\n  " + line)
            do {
                _ = try BoardConfigurationFile.parse(yaml: wrong)
                Issue.record("accepted \(line)")
            } catch {
                #expect(error.description.contains(named), "\(error)")
            }
        }
    }
}
