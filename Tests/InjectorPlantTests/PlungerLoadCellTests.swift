import InjectorCore
import Testing
@testable import InjectorPlant

@Suite struct PlungerLoadCellTests {
    func ms(_ t: Double) -> Instant { .origin + .milliseconds(t) }

    /// An ideal load cell (no noise, no latency) with 30 kPa of seal friction.
    func ideal() -> PlungerLoadCell {
        PlungerLoadCell(SensorParameters(), friction: Kilopascals(30), restAfter: .milliseconds(50), seed: 1)
    }

    @Test func frictionOpposesTheMotionAndVanishesAtRest() {
        var cell = ideal()
        let p = Kilopascals(800)
        #expect(cell.read(syringePressure: p, displacedVolume: Microliters(100), at: ms(0)).value == p)
        // Pushing: the load cell carries the friction too.
        #expect(cell.read(syringePressure: p, displacedVolume: Microliters(101), at: ms(1)).value == Kilopascals(830))
        // Between microsteps the plunger is still moving.
        #expect(cell.read(syringePressure: p, displacedVolume: Microliters(101), at: ms(40)).value == Kilopascals(830))
        // Still for longer than `restAfter`: friction no longer adds.
        #expect(cell.read(syringePressure: p, displacedVolume: Microliters(101), at: ms(52)).value == p)
        // Backing off: friction pulls the other way.
        #expect(cell.read(syringePressure: p, displacedVolume: Microliters(99), at: ms(53)).value == Kilopascals(770))
    }

    @Test func theDefaultLoadCellIsNoisyLateAndSeededApartFromTheOtherSensors() {
        var a = PlungerLoadCell(seed: 7), b = PlungerLoadCell(seed: 7), c = PlungerLoadCell(seed: 8)
        var sum = 0.0, squares = 0.0, differs = false
        let n = 4000
        for i in 0..<n {
            let t = ms(Double(i))
            let ra = a.read(syringePressure: Kilopascals(1000), displacedVolume: .zero, at: t)
            let rb = b.read(syringePressure: Kilopascals(1000), displacedVolume: .zero, at: t)
            let rc = c.read(syringePressure: Kilopascals(1000), displacedVolume: .zero, at: t)
            #expect(ra == rb)                       // same seed, same readings
            if ra.value != rc.value { differs = true }
            // 12.5 ms latency on 1 ms ticks: the newest truth at or before 12.5 ms ago is 13 ms old.
            if i == n - 1 { #expect(t - ra.sampledAt == .milliseconds(13)) }
            let e = ra.value.rawValue - 1000
            sum += e
            squares += e * e
        }
        #expect(differs)
        let mean = sum / Double(n), sd = (squares / Double(n) - mean * mean).squareRoot()
        #expect(abs(mean) < 0.3)                    // 3 kPa noise: the mean of 4000 is within 0.3 kPa
        #expect(sd > 2.7 && sd < 3.3)
    }
}
