// swift-tools-version: 6.1
import PackageDescription

/// The kernels run without dynamic exclusivity checks in release builds, and check their
/// invariants in debug builds (`Kernels.checksInvariants`). Elsewhere the checks stay on; the
/// few class fields that ingest's per-field loop touches are marked `@exclusivity(unchecked)`
/// one by one (swift_beginAccess was 6% of a cold load without).
let kernelSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    .define("PINGCHA_KERNEL_CHECKS", .when(configuration: .debug)),
]

let package = Package(
    name: "Pingcha",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pingcha", targets: ["pingcha"]),
        // The engine alone, for the kernel benchmarks (Benchmarks/Kernels) and the fuzz targets (Fuzz).
        .library(name: "PingchaEngine", targets: ["Kernels", "Columnar", "Vocabulary", "CSVIngest", "Query"]),
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
        .target(name: "CMappedFiles"),
        .target(name: "CSIMDBits"),
        // The SIMD and parallel kernels, each beside its scalar twin; safe signatures outside,
        // the pointer work inside.
        .target(name: "Kernels", dependencies: ["CMemoryHints"], swiftSettings: kernelSettings),
        .target(name: "Columnar", dependencies: ["Kernels", "CMemoryHints", "CMappedFiles"]),
        // The exports' headers, aliases, types and ranges, declared once for every module.
        .target(name: "Vocabulary", dependencies: ["Columnar"]),
        .target(
            name: "CSVIngest",
            dependencies: ["CLibCSV", "CFreeXL", "CCRC32", "CSIMDBits", "CMappedFiles", "Kernels", "Columnar", "Vocabulary", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "Query", dependencies: ["Kernels", "Columnar", "CMemoryHints", "CSIMDBits"]),
        .target(
            name: "Evaluation",
            dependencies: ["Kernels", "Columnar", "Vocabulary", "Query", "Reporting", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/rules.json"), .copy("Resources/standards")]
        ),
        .target(name: "Reporting", dependencies: ["Kernels", "Columnar", "Vocabulary", "CXLSXWriter"]),
        .target(name: "DatasetGenerator", dependencies: ["Columnar", "Vocabulary"]),
        .target(
            name: "PingchaCLI",
            dependencies: [
                "Kernels", "CMemoryHints", "CMappedFiles", "Columnar", "Vocabulary", "CSVIngest", "Query", "Evaluation", "Reporting", "DatasetGenerator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "pingcha", dependencies: ["PingchaCLI"]),
        // Shared test helpers: run a command in-process or as the binary, write fixtures, read JSON.
        .target(name: "PingchaTestSupport", dependencies: ["PingchaCLI"], path: "Tests/PingchaTestSupport"),
        .testTarget(name: "ColumnarTests", dependencies: ["Kernels", "Columnar"]),
        .testTarget(name: "CSVIngestTests", dependencies: ["CSVIngest", "CSIMDBits", "CMappedFiles", "Kernels", "Columnar", "Vocabulary", "DatasetGenerator", "PingchaTestSupport"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Kernels", "Columnar", "CSVIngest"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Query", "Kernels", "Columnar", "CSVIngest"]),
        .testTarget(name: "CLITests", dependencies: ["PingchaCLI", "PingchaTestSupport", "Reporting", "CSVIngest", "Columnar", "Vocabulary"]),
    ]
)
