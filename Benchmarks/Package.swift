// swift-tools-version: 6.1
// Benchmarks live in their own package so that the main build and test never pay
// for package-benchmark. Run: cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "InjectorBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "CementInjector", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0",
                 traits: ["MallocInterposer"]),
    ],
    targets: [
        // The frames the benchmarks time, shared by the codec and capture benchmarks.
        .target(
            name: "BenchmarkSamples",
            dependencies: [
                .product(name: "InjectorCore", package: "CementInjector"),
                .product(name: "InjectorProtocol", package: "CementInjector"),
            ],
            path: "Benchmarks/BenchmarkSamples"),
        .executableTarget(
            name: "ControllerTick",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "InjectorCore", package: "CementInjector"),
            ],
            path: "Benchmarks/ControllerTick",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
        .executableTarget(
            name: "ProtocolCodec",
            dependencies: [
                "BenchmarkSamples",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "InjectorCore", package: "CementInjector"),
                .product(name: "InjectorProtocol", package: "CementInjector"),
            ],
            path: "Benchmarks/ProtocolCodec",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
        .executableTarget(
            name: "SimulatorLockstep",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "InjectorCore", package: "CementInjector"),
                .product(name: "InjectorSimulation", package: "CementInjector"),
            ],
            path: "Benchmarks/SimulatorLockstep",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
        .executableTarget(
            name: "CaptureThroughput",
            dependencies: [
                "BenchmarkSamples",
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "InjectorCore", package: "CementInjector"),
                .product(name: "InjectorProtocol", package: "CementInjector"),
                .product(name: "InjectorLogger", package: "CementInjector"),
            ],
            path: "Benchmarks/CaptureThroughput",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),
    ],
    swiftLanguageModes: [.v6]
)
