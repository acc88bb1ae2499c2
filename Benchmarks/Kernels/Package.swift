// swift-tools-version: 6.1
import PackageDescription

// package-benchmark targets for pingcha's ingest and kernels, each kernel beside the plain C
// loop over the same buffer. A package of its own, so that `make test` never builds the
// benchmark tool. Run with `make bench-kernels` (or `swift package benchmark` here).
let package = Package(
    name: "PingchaKernelBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".engine/pingcha"),  // a link to the repository, made by `make bench-kernels`
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "PlainLoops", cSettings: [.unsafeFlags(["-O3", "-march=native"])], linkerSettings: [.linkedLibrary("csv")]),
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                "PlainLoops",
                .product(name: "PingchaEngine", package: "pingcha"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/KernelBenchmarks",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
