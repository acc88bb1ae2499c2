// swift-tools-version: 6.1
import PackageDescription

/// The hot loops of ingest and the kernels run without dynamic exclusivity checks in release
/// builds: profiling showed swift_beginAccess/endAccess at about 9% of a cold load.
let hotLoopSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Pingcha",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pingcha", targets: ["pingcha"]),
        // The engine alone, for the kernel benchmarks (Benchmarks/Kernels) and the fuzz targets (Fuzz).
        .library(name: "PingchaEngine", targets: ["Columnar", "Vocabulary", "CSVIngest", "Query"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        .systemLibrary(
            name: "CXLSXWriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .systemLibrary(
            name: "CFreeXL",
            providers: [.apt(["libfreexl-dev"])]
        ),
        .systemLibrary(
            name: "CCRC32",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "CMemoryHints"),
        .target(name: "CSIMDBits"),
        .target(name: "Columnar", dependencies: ["CMemoryHints"], swiftSettings: hotLoopSettings),
        // The exports' headers, aliases, types and ranges, declared once for every module.
        .target(name: "Vocabulary", dependencies: ["Columnar"]),
        .target(
            name: "CSVIngest",
            dependencies: ["CLibCSV", "CFreeXL", "CCRC32", "CSIMDBits", "Columnar", "Vocabulary", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: hotLoopSettings
        ),
        .target(name: "Query", dependencies: ["Columnar"], swiftSettings: hotLoopSettings),
        .target(
            name: "Evaluation",
            dependencies: ["Columnar", "Vocabulary", "Query", "Reporting", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/rules.json"), .copy("Resources/standards")]
        ),
        .target(name: "Reporting", dependencies: ["Columnar", "Vocabulary", "CXLSXWriter"]),
        .target(name: "DatasetGenerator", dependencies: ["Columnar", "Vocabulary"]),
        .target(
            name: "PingchaCLI",
            dependencies: [
                "Columnar", "Vocabulary", "CSVIngest", "Query", "Evaluation", "Reporting", "DatasetGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "pingcha", dependencies: ["PingchaCLI"]),
        // Shared test helpers: run a command in-process or as the binary, write fixtures, read JSON.
        .target(name: "PingchaTestSupport", dependencies: ["PingchaCLI"], path: "Tests/PingchaTestSupport"),
        .testTarget(name: "ColumnarTests", dependencies: ["Columnar"]),
        .testTarget(name: "CSVIngestTests", dependencies: ["CSVIngest", "Columnar", "Vocabulary", "DatasetGenerator", "PingchaTestSupport"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Columnar", "CSVIngest"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Query", "Columnar", "CSVIngest"]),
        .testTarget(name: "CLITests", dependencies: ["PingchaCLI", "PingchaTestSupport", "Reporting", "CSVIngest", "Columnar", "Vocabulary"]),
    ]
)
