import Benchmark
import CSVIngest
import Columnar
import Kernels
import Foundation
import PlainLoops

// 10 million scores (one decimal, 0–100) in 6,786 groups: a province's cases by unit.
let rowCount = 10_000_000
let groupCount = 6_786

let scores: [Double] = {
    var generator = SplitMix64(seed: 7)
    return (0..<rowCount).map { _ in Double(generator.next() % 1001) / 10 }
}()

let groupIds: [Int32] = {
    var generator = SplitMix64(seed: 11)
    return (0..<rowCount).map { _ in Int32(truncatingIfNeeded: generator.next() % UInt64(groupCount)) }
}()

// The same as the columns the grouped kernels take.
let scoreColumn = ColumnBuffer(scores)
let groupIdColumn = ColumnBuffer(groupIds)

// 10 million 64-bit ticket keys (the draw's ticket prefixes) over the same groups.
let ticketKeys: [UInt64] = {
    var generator = SplitMix64(seed: 13)
    return (0..<rowCount).map { _ in generator.next() }
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 2,
                                           maxDuration: .seconds(4), maxIterations: 40)

    // The buffer read at the memory's pace: the yardstick for the kernels below.
    Benchmark("plain C sum, 10M doubles") { benchmark in
        _ = scores.count
        benchmark.startMeasurement()
        scores.withUnsafeBufferPointer { blackHole(plain_sum($0.baseAddress, $0.count)) }
    }

    Benchmark("threshold count: SIMD8, 10M") { benchmark in
        _ = scores.count
        benchmark.startMeasurement()
        blackHole(ThresholdCount.countBelow(scores, threshold: 70))
    }
    Benchmark("threshold count: scalar twin, 10M") { benchmark in
        _ = scores.count
        benchmark.startMeasurement()
        blackHole(ThresholdCount.countBelowScalar(scores, threshold: 70))
    }
    Benchmark("threshold count: plain C, 10M") { benchmark in
        _ = scores.count
        benchmark.startMeasurement()
        scores.withUnsafeBufferPointer { blackHole(plain_count_below($0.baseAddress, $0.count, 70)) }
    }

    Benchmark("grouped count/sum/min/max/below: parts on all cores, 10M") { benchmark in
        _ = (scores.count, groupIds.count)
        benchmark.startMeasurement()
        blackHole(GroupedStatistics.compute(values: scoreColumn, validity: nil, groupIds: groupIdColumn, groupCount: groupCount,
                                            belowThresholds: [70, 90]))
    }
    Benchmark("grouped count/sum/min/max/below: scalar twin, 10M") { benchmark in
        _ = (scores.count, groupIds.count)
        benchmark.startMeasurement()
        blackHole(GroupedStatistics.computeScalar(values: scoreColumn, validity: nil, groupIds: groupIdColumn, groupCount: groupCount,
                                                  belowThresholds: [70, 90]))
    }
    Benchmark("grouped count/sum: plain C, 10M") { benchmark in
        _ = (scores.count, groupIds.count)
        var counts = [Int](repeating: 0, count: groupCount)
        var sums = [Double](repeating: 0, count: groupCount)
        benchmark.startMeasurement()
        scores.withUnsafeBufferPointer { values in
            groupIds.withUnsafeBufferPointer { ids in
                counts.withUnsafeMutableBufferPointer { counts in
                    sums.withUnsafeMutableBufferPointer { sums in
                        plain_grouped_count_sum(values.baseAddress, ids.baseAddress, values.count, counts.baseAddress, sums.baseAddress)
                    }
                }
            }
        }
        blackHole(sums)
    }
    Benchmark("grouped medians: parts on all cores, 10M") { benchmark in
        _ = (scores.count, groupIds.count)
        benchmark.startMeasurement()
        blackHole(GroupedStatistics.medians(values: scoreColumn, validity: nil, groupIds: groupIdColumn, groupCount: groupCount))
    }

    // The draw's selection: each group's 8 smallest keys (5 drawn, 3 replacements).
    let limits = [Int](repeating: 8, count: groupCount)
    for (name, width) in [("parts on all cores", ConcurrentTasks.processorCount), ("SIMD8, 1 thread", 1)] {
        Benchmark("smallest keys per group (k = 8): \(name), 10M") { benchmark in
            _ = (ticketKeys.count, groupIds.count)
            benchmark.startMeasurement()
            blackHole(SmallestKeys.select(keys: ticketKeys, groups: groupIds, limits: limits, width: width))
        }
    }
    Benchmark("smallest keys per group (k = 8): scalar twin, 10M") { benchmark in
        _ = (ticketKeys.count, groupIds.count)
        benchmark.startMeasurement()
        blackHole(SmallestKeys.selectScalar(keys: ticketKeys, groups: groupIds, limits: limits))
    }
    Benchmark("keys and groups summed: plain C, 10M") { benchmark in
        _ = (ticketKeys.count, groupIds.count)
        benchmark.startMeasurement()
        ticketKeys.withUnsafeBufferPointer { keys in
            groupIds.withUnsafeBufferPointer { ids in
                blackHole(plain_sum_keys_groups(keys.baseAddress, ids.baseAddress, keys.count))
            }
        }
    }

    // Ingest of a generated cases export (`make bench` writes it), serial and on every core.
    let csv = ProcessInfo.processInfo.environment["PINGCHA_BENCH_CSV"] ?? "/tmp/pingcha-bench/cases-1000000/cases.csv"
    if FileManager.default.fileExists(atPath: csv) {
        Benchmark("libcsv alone, no-op callbacks: cases.csv (1M rows), 1 thread",
                  configuration: .init(metrics: [.wallClock], warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)) { _ in
            blackHole(plain_libcsv_records(csv))
        }
        // The encoding check over the export's bytes (two thirds of them in Chinese characters).
        if let text = FileManager.default.contents(atPath: csv).map({ [UInt8]($0) }) {
            Benchmark("UTF-8 check: SIMD16, cases.csv (1M rows)") { _ in
                text.withUnsafeBytes { blackHole(EncodingDetector.checkUTF8($0)) }
            }
            Benchmark("UTF-8 check: scalar twin, cases.csv (1M rows)") { _ in
                text.withUnsafeBytes { blackHole(EncodingDetector.checkUTF8Scalar($0)) }
            }
            Benchmark("bytes ≥ 0x80 counted: plain C, cases.csv (1M rows)") { _ in
                text.withUnsafeBufferPointer { blackHole(plain_count_high_bytes($0.baseAddress, $0.count)) }
            }
            // The record reader alone, with a no-op handler, 1 thread: the vectorised tokenizer
            // (libcsv reads what it hands over; none of this file), and libcsv for every record.
            for fastPath in [true, false] {
                Benchmark("record reader, no-op handler: \(fastPath ? "vectorised tokenizer" : "libcsv"), cases.csv (1M rows), 1 thread",
                          configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 1, maxDuration: .seconds(10),
                                               maxIterations: 10)) { _ in
                    var records = 0
                    let reader = RecordReader(fastPath: fastPath) { _ in records += 1 }
                    text.withUnsafeBytes { bytes in
                        try? reader.parse(bytes)
                        try? reader.finish()
                    }
                    blackHole(records)
                }
            }
        }
        for threads in [1, 2] {
            Benchmark("ingest cases.csv (1M rows), \(threads) thread(s)",
                      configuration: .init(metrics: [.wallClock, .peakMemoryResident], warmupIterations: 1,
                                           maxDuration: .seconds(20), maxIterations: 5)) { _ in
                var options = LoadOptions()
                options.schema = .cases
                options.threads = threads
                blackHole(try CSVLoader.load(path: csv, options: options).table.rowCount)
            }
        }
    }
}
