import InjectorCore
import Testing
@testable import InjectorPlant

@Suite struct SensorTests {
    func sensor(_ parameters: SensorParameters<Kilopascals>) -> SensorModel<Kilopascals> {
        SensorModel(parameters, rng: Xoshiro256StarStar(seed: 1))
    }
    func ms(_ t: Double) -> Instant { .origin + .milliseconds(t) }

    @Test func anIdealSensorReadsTheTruth() {
        var s = sensor(SensorParameters())
        let reading = s.sample(truth: Kilopascals(123.4), at: ms(1))
        #expect(reading == SensorSample(value: Kilopascals(123.4), sampledAt: ms(1)))
    }

    @Test func offsetAndQuantisationApply() {
        var s = sensor(SensorParameters(offset: Kilopascals(5), resolution: Kilopascals(0.25)))
        // 100.1 + 5 = 105.1 → nearest 0.25 step is 105.0.
        #expect(s.sample(truth: Kilopascals(100.1), at: ms(1)).value == Kilopascals(105))
    }

    @Test func latencyReportsTheTruthFromThatLongAgo() {
        var s = sensor(SensorParameters(latency: .milliseconds(3)))
        var last: SensorSample<Kilopascals>?
        for t in 1...10 { last = s.sample(truth: Kilopascals(Double(t)), at: ms(Double(t))) }
        #expect(last == SensorSample(value: Kilopascals(7), sampledAt: ms(7)))
    }

    @Test func roundingWithoutTheCLibraryMatchesRoundedForEveryKindOfInput() {
        var special: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                 0x1p51 - 0.5, -(0x1p51 - 0.5), 0x1p51, 0x1p51 + 1, 0x1p52 + 1, 1e300, -1e300,
                                 .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                 4503599627370495.5, -4503599627370495.5, 2251799813685247.5]
        var rng = Xoshiro256StarStar(seed: 9)
        for _ in 0..<100_000 {
            let magnitude = Double(bitPattern: rng.next() >> 2 & 0x43FF_FFFF_FFFF_FFFF)   // up to ~2^65
            special.append(rng.next() & 1 == 0 ? magnitude : -magnitude)
            special.append(Double(Int64(truncatingIfNeeded: rng.next()) >> 20) / 2)         // ties and integers
        }
        for x in special {
            let expected = x.rounded()
            #expect(roundedToNearest(x).bitPattern == expected.bitPattern, "\(x)")
        }
        #expect(roundedToNearest(.nan).isNaN)
    }

    @Test func quantisationByAnExactInverseMatchesDividing() {
        // 0.25 kPa counts are a power of two (multiplied by 4); 0.3 kPa is not (divided).
        for resolution in [0.25, 0.3] {
            var s = sensor(SensorParameters(resolution: Kilopascals(resolution)))
            var rng = Xoshiro256StarStar(seed: 3)
            for t in 1...10_000 {
                let truth = rng.uniform(in: -500...5_000)
                let expected = (truth / resolution).rounded() * resolution
                #expect(s.sample(truth: Kilopascals(truth), at: ms(Double(t))).value.rawValue == expected)
            }
        }
    }

    @Test func theDelayLineAnswersAsAFullSearchWouldEvenWhenTimeGoesBack() {
        // Reference: the newest entry at or before the time, else the oldest kept.
        var line = DelayLine()
        var kept: [(value: Double, time: Int64)] = []
        var rng = Xoshiro256StarStar(seed: 4)
        var now: Int64 = 0
        for i in 0..<20_000 {
            // Mostly forward 1 ms ticks, sometimes a jump back or a repeated time.
            let r = rng.uniform()
            now += r < 0.02 ? -Int64(rng.next() % 5_000_000) : r < 0.05 ? 0 : 1_000_000
            line.record(Double(i), at: Instant(nanoseconds: now))
            kept.append((Double(i), now))
            if kept.count > DelayLine.capacity { kept.removeFirst() }
            let latency = Int64(rng.next() % 4 == 0 ? rng.next() % 200_000_000 : 2_000_000)
            let target = now - latency
            let expected = kept.last(where: { $0.time <= target }) ?? kept[0]
            let got = line.value(atOrBefore: Instant(nanoseconds: target))
            #expect(got.value == expected.value && got.at == Instant(nanoseconds: expected.time))
        }
    }

    @Test func noiseHasTheStatedSpread() {
        var s = sensor(SensorParameters(noise: Kilopascals(2)))
        let values = (1...20_000).map { s.sample(truth: Kilopascals(1000), at: ms(Double($0))).value.rawValue }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(mean - 1000) < 0.1)
        #expect(abs(sd - 2) < 0.1)
    }

    @Test func aStuckSensorFreezesWhileTheTruthMoves() {
        var s = sensor(SensorParameters(fault: SensorFault(.stuck, from: ms(5))))
        for t in 1...4 { _ = s.sample(truth: Kilopascals(Double(t)), at: ms(Double(t))) }
        let stuck = s.sample(truth: Kilopascals(50), at: ms(5))
        let later = s.sample(truth: Kilopascals(90), at: ms(9))
        #expect(stuck.value == Kilopascals(4) && later.value == Kilopascals(4))
        #expect(later.status == .valid && later.sampledAt == ms(9))
    }

    @Test func driftGrowsFromTheFaultsStart() {
        var s = sensor(SensorParameters(fault: SensorFault(.drift(perSecond: Kilopascals(100)), from: ms(1000))))
        #expect(s.sample(truth: Kilopascals(10), at: ms(999)).value == Kilopascals(10))
        #expect(abs(s.sample(truth: Kilopascals(10), at: ms(3000)).value.rawValue - 210) < 1e-9)
    }

    @Test func dropoutRepeatsTheLastSampleAsMissingAndStale() {
        var s = sensor(SensorParameters(fault: SensorFault(.dropout, from: ms(3), until: ms(6))))
        _ = s.sample(truth: Kilopascals(1), at: ms(1))
        _ = s.sample(truth: Kilopascals(2), at: ms(2))
        let dropped = s.sample(truth: Kilopascals(5), at: ms(5))
        #expect(dropped == SensorSample(value: Kilopascals(2), sampledAt: ms(2), status: .missing))
        #expect(s.sample(truth: Kilopascals(6), at: ms(6)) == SensorSample(value: Kilopascals(6), sampledAt: ms(6)))
    }

    @Test func aNoiseBurstWidensTheSpreadOnlyWhileItLasts() {
        var s = sensor(SensorParameters(fault: SensorFault(.noiseBurst(standardDeviation: Kilopascals(50)),
                                                           from: ms(100), until: ms(200))))
        let quiet = (1..<100).map { s.sample(truth: Kilopascals(10), at: ms(Double($0))).value }
        let burst = (100..<200).map { s.sample(truth: Kilopascals(10), at: ms(Double($0))).value }
        #expect(quiet.allSatisfy { $0 == Kilopascals(10) })
        #expect(burst.contains { abs($0.rawValue - 10) > 20 })
    }

    @Test func outOfRangeReadsTheStuckRailValue() {
        var s = sensor(SensorParameters(fault: SensorFault(.outOfRange(.megapascals(9)), from: ms(2))))
        #expect(s.sample(truth: Kilopascals(10), at: ms(2)).value == .megapascals(9))
    }

    @Test func aStuckInputIgnoresTheSwitchWhileActive() {
        let fault = StuckInputFault(level: .inactive, from: ms(10), until: ms(20))
        #expect(fault.apply(to: .active, at: ms(5)) == .active)
        #expect(fault.apply(to: .active, at: ms(15)) == .inactive)
        #expect(fault.apply(to: .active, at: ms(20)) == .active)
    }
}

@Suite struct DeterminismTests {
    struct Observation: Equatable {
        var state: PlantState
        var pressure: SensorSample<Kilopascals>
        var position: SensorSample<Microliters>
    }

    func run(seed: UInt64) -> [Observation] {
        var plant = primedPlant(age: 7) { $0.leaks.vein = .vein(opensAbove: Kilopascals(60)) }
        var sensors = PlantSensors(seed: seed)
        var observations: [Observation] = []
        ConstantRateInjection(flow: MicrolitersPerSecond(70), duration: .seconds(5)).run(&plant) { s in
            let reading = sensors.read(s)
            observations.append(Observation(state: s, pressure: reading.pressure, position: reading.plungerPosition))
        }
        return observations
    }

    @Test func oneSeedGivesTheSameObservationsBitForBit() {
        let a = run(seed: 2024)
        let b = run(seed: 2024)
        #expect(a == b)
        let c = run(seed: 2025)
        #expect(a.map(\.state) == c.map(\.state))
        #expect(a.map(\.pressure) != c.map(\.pressure))
    }
}
