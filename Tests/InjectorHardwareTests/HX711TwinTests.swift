#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorHardware
import Testing

/// A load cell behind an HX711 (the kernel's IIO hx711 driver) as the pressure twin:
/// the board file names it by its IIO name, it gets a sampler thread of its own (its
/// reads block for a conversion at 80 samples/s), and the overlay that makes the
/// device compiles.
@Suite struct HX711TwinTests {
    static let twinSection = """

        pressureTwin:
          device: hx711                    # the IIO device the hx711 driver registers
          channel: 0                       # channel A, gain 128
          scale: device
          zeroMillivolts: 0
          kilopascalsPerMillivolt: 40
          rawMinimum: -8388000             # 24-bit counts; the rails are ±8388607
          rawMaximum: 8388000
          sampleInterval: 12.5 ms          # RATE pin high: 80 samples/s
        """

    @Test func aTwinOnItsOwnDeviceGetsItsOwnSamplerThread() throws {
        let sysfs = TemporaryDirectory()
        defer { sysfs.destroy() }
        sysfs.write("iio:device0/name", "ads1115\n")
        sysfs.write("iio:device0/in_voltage0_raw", "4000\n")
        sysfs.write("iio:device0/in_voltage0_scale", "0.187500000\n")
        sysfs.write("iio:device1/name", "hx711\n")
        sysfs.write("iio:device1/in_voltage0_raw", "100000\n")
        sysfs.write("iio:device1/in_voltage0_scale", "0.000021\n")
        let yaml = BoardTests.boardYAML.replacingOccurrences("device: iio:device0", "device: ads1115") + Self.twinSection
        let board = try BoardConfigurationFile.parse(yaml: yaml)
        #expect(board.pressureTwin?.rawLimits == -8_388_000...8_388_000)
        let hardware = try BoardHardware.open(board, calls: FakeGPIO().calls, iioRoot: sysfs.path,
                                              backgroundSampling: true, samplerPriority: nil)
        defer { hardware.shutDown() }
        #expect(hardware.deviceSamplers.map(\.device) == ["iio:device0", "iio:device1"])
        #expect(hardware.deviceSamplers.map(\.interval) == [.milliseconds(2), .microseconds(12_500)])
        let clock = SystemClock()
        var twin = hardware.pressureTwin!.sample(at: clock.now())
        for _ in 0..<500 where twin.status != .valid {
            clock.sleep(until: clock.now() + .milliseconds(1))
            twin = hardware.pressureTwin!.sample(at: clock.now())
        }
        // 100 000 counts × 0.000021 mV × 40 kPa/mV = 84 kPa.
        #expect(twin.status == .valid)
        #expect(abs(twin.value.rawValue - 84) < 1e-9)
    }

    @Test func theOverlayCompiles() throws {
        let out = "/tmp/hx711-\(getpid()).dtbo"
        defer { unlink(out) }
        let command = "dtc -@ -q -I dts -O dtb -o \(out) \(repositoryRoot)/hardware/pi/hx711-overlay.dts"
        #expect(system(command) == 0, "dtc (device-tree-compiler, installed by .ci/run) failed")
        var info = stat()
        #expect(stat(out, &info) == 0 && info.st_size > 0)
    }
}
