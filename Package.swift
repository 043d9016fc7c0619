// swift-tools-version: 6.1
// The injector: a deterministic controller core, its serial protocol, the edges
// that touch hardware, and the host-side simulator and logger.
import PackageDescription

let package = Package(
    name: "CementInjector",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "InjectorCore", targets: ["InjectorCore"]),
        .library(name: "InjectorProtocol", targets: ["InjectorProtocol"]),
        .library(name: "InjectorPlant", targets: ["InjectorPlant"]),
        .library(name: "InjectorSimulation", targets: ["InjectorSimulation"]),
        .library(name: "InjectorHardware", targets: ["InjectorHardware"]),
        .library(name: "InjectorFirmware", targets: ["InjectorFirmware"]),
        .library(name: "InjectorLogger", targets: ["InjectorLogger"]),
        .library(name: "InjectorToolSupport", targets: ["InjectorToolSupport"]),
        .library(name: "InjectorConsole", targets: ["InjectorConsole"]),
        .library(name: "InjectorRouter", targets: ["InjectorRouter"]),
        .executable(name: "injector-sim", targets: ["injector-sim"]),
        .executable(name: "injector-firmware", targets: ["injector-firmware"]),
        .executable(name: "injector-log", targets: ["injector-log"]),
        .executable(name: "injector-console", targets: ["injector-console"]),
        .executable(name: "injector-router", targets: ["injector-router"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // Only injector-console, which serves the web dashboard, uses these: their first
        // build takes minutes (swift-nio and its friends).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // C libraries, found through pkg-config; each module map includes a local shim.
        .systemLibrary(
            name: "CGPIOD", pkgConfig: "libgpiod",
            providers: [.apt(["libgpiod-dev"])]),
        .systemLibrary(
            name: "CSerialPort", pkgConfig: "libserialport",
            providers: [.apt(["libserialport-dev"])]),

        // The controller core: pure, no I/O, no clocks, no threads, no globals.
        .target(name: "InjectorCore"),
        // The wire protocol: framing, CRC, messages. Pure, shared by every side.
        .target(name: "InjectorProtocol", dependencies: ["InjectorCore"]),
        // Byte links: libserialport ports, termios ptys, sockets.
        .target(name: "InjectorLinks", dependencies: ["InjectorCore", "InjectorProtocol", "CSerialPort"]),
        // One stable C surface over libgpiod v1/v2 and prctl, for InjectorHardware.
        // libgpiod is linked from pkg-config's Libs only (through CGPIOD), so that a v2
        // build links the v2 library its header belongs to.
        .target(name: "CInjectorHardware", dependencies: ["CGPIOD"]),
        // Hardware edge: libgpiod lines, IIO ADCs, the real-time loop, board files.
        .target(name: "InjectorHardware", dependencies: [
            "InjectorCore", "CInjectorHardware", "InjectorConfigFile",
        ]),
        // The firmware's tick: controller, session, sensors and actuators (board or simulator).
        .target(name: "InjectorFirmware", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorHardware", "InjectorToolSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The serial logger's capture file, recorder, decoder and plots.
        .target(name: "InjectorLogger", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorToolSupport",
        ]),
        // What the three tools share: the one version, exit statuses, output-folder
        // checks, the terminal test, ISO 8601 times to the millisecond.
        .target(name: "InjectorToolSupport"),
        // The one strict YAML reader (configuration, board, scenario and campaign files)
        // and configuration files, decoded into the core's configuration.
        .target(name: "InjectorConfigFile", dependencies: [
            "InjectorCore", .product(name: "Yams", package: "Yams"),
        ]),
        // The operator console's session core and terminal view: pure state over HostEndpoint,
        // and the thread that serves its link.
        .target(name: "InjectorConsole", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorToolSupport",
        ]),
        // One process owns the device and serves several clients, recording both directions.
        .target(name: "InjectorRouter", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorLogger",
        ]),
        // The physical model of syringe, needle, cement and vertebral body.
        .target(name: "InjectorPlant", dependencies: ["InjectorCore"]),
        // Scenarios, lockstep runs, baseline, campaigns, reports.
        .target(name: "InjectorSimulation", dependencies: [
            "InjectorCore", "InjectorPlant", "InjectorProtocol", "InjectorLinks", "InjectorConfigFile",
        ]),

        .executableTarget(name: "injector-sim", dependencies: [
            "InjectorSimulation", "InjectorLinks", "InjectorToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "injector-firmware", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorHardware",
            "InjectorConfigFile", "InjectorFirmware", "InjectorToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "injector-log", dependencies: [
            "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorLogger", "InjectorToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "injector-console", dependencies: [
            "InjectorConsole", "InjectorCore", "InjectorLinks", "InjectorConfigFile", "InjectorToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ]),
        .executableTarget(name: "injector-router", dependencies: [
            "InjectorRouter", "InjectorLinks", "InjectorLogger", "InjectorToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "InjectorCoreTests", dependencies: [
            "InjectorCore", "InjectorConfigFile",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "InjectorProtocolTests", dependencies: [
            "InjectorCore", "InjectorProtocol",
            .product(name: "PropertyBased", package: "swift-property-based"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .testTarget(name: "InjectorLinksTests", dependencies: ["InjectorCore", "InjectorLinks", "InjectorProtocol"]),
        .testTarget(name: "InjectorPlantTests", dependencies: ["InjectorCore", "InjectorPlant"]),
        .testTarget(name: "InjectorHardwareTests", dependencies: [
            "InjectorHardware", "InjectorFirmware", "InjectorCore", "InjectorProtocol", "InjectorLinks",
            "InjectorConfigFile", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "InjectorLoggerTests", dependencies: [
            "InjectorLogger", "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorToolSupport",
        ]),
        // Runs the built tools: --version, completions, exit statuses, progress, log lines.
        .testTarget(name: "ToolTests", dependencies: ["InjectorToolSupport"]),
        .testTarget(name: "InjectorConsoleTests", dependencies: [
            "InjectorConsole", "InjectorRouter", "InjectorCore", "InjectorProtocol", "InjectorLinks", "InjectorLogger",
        ]),
        .testTarget(name: "InjectorSimulationTests", dependencies: [
            "InjectorCore", "InjectorPlant", "InjectorSimulation", "InjectorProtocol", "InjectorLinks",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
