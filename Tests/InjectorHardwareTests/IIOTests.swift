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

    @Test func aDeviceSamplerHandsOverEachChannelsLatestSampleWithItsOwnTime() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.1875\n")
        sysfs.write("iio:device0/in_voltage1_raw", "8000\n")
        sysfs.write("iio:device0/in_voltage1_scale", "0.1875\n")
        let sensors = try (0...1).map { c in
            IIOPressureSensor(channel: try IIOChannel(root: sysfs.path, device: "iio:device0", channel: c),
                              calibration: calibration, rawLimits: -32767...32767)
        }
        let sampler = DeviceSampler(device: "iio:device0", interval: .milliseconds(5))
        let slots = sensors.map { sensor in sampler.add(interval: .milliseconds(1)) { sensor.sample(at: $0) } }
        #expect(sampler.interval == .milliseconds(1) && sampler.channelCount == 2)
        let clock = SystemClock()
        #expect(slots[0].latestSample(at: clock.now()).status == .missing)
        #expect(sampler.start(priority: nil))
        defer { sampler.stop() }
        var samples = slots.map { $0.latestSample(at: clock.now()) }
        for _ in 0..<200 where samples.contains(where: { $0.status != .valid }) {
            clock.sleep(until: clock.now() + .milliseconds(1))
            samples = slots.map { $0.latestSample(at: clock.now()) }
        }
        #expect(samples.map(\.value) == [Kilopascals(625), Kilopascals(2500)])
        #expect(samples.allSatisfy { $0.status == .valid && $0.sampledAt <= clock.now() })
        #expect(sampler.scheduling.withLock { $0 } == "default scheduling (no priority asked)")
    }

    @Test func aDeviceIsFoundByItsNameAndAMissingNameListsTheDevices() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/name", "cpu-thermal\n")
        sysfs.write("iio:device1/name", "ads1115\n")
        sysfs.write("iio:device2/in_voltage0_raw", "1\n")
        #expect(try IIODeviceName.resolve("ads1115", root: sysfs.path) == "iio:device1")
        #expect(try IIODeviceName.resolve("iio:device2", root: sysfs.path) == "iio:device2")
        do {
            _ = try IIODeviceName.resolve("ads1015", root: sysfs.path)
            Issue.record("found a device that is not there")
        } catch {
            #expect(error.detail == "no IIO device has this name")
            #expect(error.advice.contains("iio:device0 [cpu-thermal], iio:device1 [ads1115], iio:device2 [no name]"))
        }
        sysfs.write("iio:device2/name", "ads1115\n")
        do {
            _ = try IIODeviceName.resolve("ads1115", root: sysfs.path)
            Issue.record("an ambiguous name was accepted")
        } catch {
            #expect(error.detail.contains("2 IIO devices have this name"))
        }
    }
}
