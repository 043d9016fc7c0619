// swift-tools-version: 6.1
// libFuzzer target for the protocol's stream decoder. Its own package so that the
// main build never links the fuzzer runtime. Run: ./run.sh SECONDS
import PackageDescription

let package = Package(
    name: "InjectorFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "CementInjector", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ProtocolFuzz",
            dependencies: [.product(name: "InjectorProtocol", package: "CementInjector")]),
    ],
    swiftLanguageModes: [.v6]
)
