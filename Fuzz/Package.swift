// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for pingcha: the ingest (random bytes as a CSV file, the serial and the
// chunked load compared, with and without recovery), the query language (random and mutated
// statements parsed, bound and run on a small table) and the worksheet scanner (random bytes as
// a sheet part, whole and cut into chunks). A package of its own, built only by
// `make fuzz` with `-sanitize=fuzzer,address`, so that `make test` never builds it.
let package = Package(
    name: "PingchaFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".engine/pingcha"),  // a link to the repository, made by `make fuzz`
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer", .product(name: "PingchaEngine", package: "pingcha")]),
        .executableTarget(name: "FuzzIngest", dependencies: ["FuzzSupport", .product(name: "PingchaEngine", package: "pingcha")]),
        .executableTarget(name: "FuzzQuery", dependencies: ["FuzzSupport", .product(name: "PingchaEngine", package: "pingcha")]),
        .executableTarget(name: "FuzzSheet", dependencies: ["FuzzSupport", .product(name: "PingchaEngine", package: "pingcha")]),
    ]
)
