import InjectorCore
import InjectorHardware
import Testing

@Suite struct IIOTests {
    let calibration = LinearCalibration(zeroMillivolts: 500, unitsPerMillivolt: 2.5)

    @Test func readsRawTimesScaleThroughTheCalibration() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device1/in_voltage2_raw", "12000\n")
        sysfs.write("iio:device1/in_voltage2_scale", "0.125000000\n")
        let channel = try IIOChannel(root: sysfs.path, device: "iio:device1", channel: 2)
        #expect(channel.scale == 0.125)
        let sensor = IIOPressureSensor(channel: channel, calibration: calibration, rawLimits: -32767...32767)
        let now = Instant(nanoseconds: 42)
        // 12000 × 0.125 = 1500 mV → (1500 − 500) × 2.5 = 2500 kPa.
        #expect(sensor.sample(at: now) == SensorSample(value: Kilopascals(2500), sampledAt: now))
        // A new value is read each time (pread at offset 0 of the open file).
        sysfs.write("iio:device1/in_voltage2_raw", "-400\n")
        #expect(sensor.sample(at: now).value == Kilopascals((-50 - 500) * 2.5))
    }

    @Test func offsetFileAndScaleOverrideAreHonoured() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "100")
        sysfs.write("iio:device0/in_voltage0_offset", "20\n")
        let channel = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 0, scaleOverride: 2)
        #expect(try channel.readMillivolts() == 240)
    }

    @Test func readErrorsGarbageAndSaturationAreErrorSamples() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.1875\n")
        let channel = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 0)
        let sensor = IIOPressureSensor(channel: channel, calibration: calibration, rawLimits: -32000...32000)
        let now = Instant(nanoseconds: 7)
        #expect(sensor.sample(at: now).status == .valid)
        sysfs.write("iio:device0/in_voltage0_raw", "32767\n")
        #expect(sensor.sample(at: now).status == .error)
        sysfs.write("iio:device0/in_voltage0_raw", "12x4\n")
        #expect(sensor.sample(at: now).status == .error)
        sysfs.write("iio:device0/in_voltage0_raw", "")
        #expect(sensor.sample(at: now).status == .error)
        #expect(sensor.readFailures == 3)
        // An error sample keeps the last good value and the time of the attempt.
        let s = sensor.sample(at: now)
        #expect(s.sampledAt == now && s.value == Kilopascals(625))
    }

    @Test func missingDeviceListsTheDevicesPresent() {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device3/name", "ads1115\n")
        do {
            _ = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 0)
            Issue.record("expected a failure")
        } catch {
            #expect(error.kind == .notFound)
            #expect(error.advice.contains("iio:device3"))
        }
        let empty = TemporaryDirectory()
        defer { empty.destroy() }
        do {
            _ = try IIOChannel(root: empty.path, device: "iio:device0", channel: 0)
            Issue.record("expected a failure")
        } catch {
            #expect(error.advice.contains("No IIO devices"))
        }
    }

    @Test func missingChannelAndBadScaleAreReported() {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "1\n")
        sysfs.write("iio:device0/in_voltage0_scale", "zero\n")
        #expect(throws: HardwareError.self) { _ = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 1) }
        #expect(throws: HardwareError.self) { _ = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 0) }
    }

    @Test func twoPointCalibration() {
        let c = LinearCalibration(millivolts: 500, value: 0, millivolts: 4500, value: 10_000)
        #expect(c.zeroMillivolts == 500 && c.unitsPerMillivolt == 2.5)
        #expect(c.value(millivolts: 2500) == 5000)
    }

    @Test func backgroundSamplerHandsOverTheLatestSampleWithItsOwnTime() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.1875\n")
        let channel = try IIOChannel(root: sysfs.path, device: "iio:device0", channel: 0)
        let background = BackgroundPressureSensor(
            IIOPressureSensor(channel: channel, calibration: calibration, rawLimits: -32767...32767),
            interval: .milliseconds(1))
        defer { background.sampler.stop() }
        let clock = SystemClock()
        var sample = background.sample(at: clock.now())
        for _ in 0..<200 where sample.status != .valid {
            clock.sleep(until: clock.now() + .milliseconds(1))
            sample = background.sample(at: clock.now())
        }
        #expect(sample.status == .valid && sample.value == Kilopascals(625))
        #expect(sample.sampledAt <= clock.now())
    }
}
