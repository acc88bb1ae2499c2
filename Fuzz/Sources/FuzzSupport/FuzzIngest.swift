import CSVIngest

/// Random bytes as an export. The reference is libcsv reading serially (`--parser libcsv`); the
/// vectorised tokenizer reading serially, and in chunks cut every few bytes (so that cuts fall
/// next to every quote), must give the same table, rejects and errors, with and without
/// recovery. A crash, a hang, a memory error or a difference is a failure.
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzFile.write(UnsafeBufferPointer(start: data, count: size))
    for recover in [false, true] {
        var options = LoadOptions()
        options.noSchema = size % 2 == 0
        options.collectRejects = recover
        options.threads = 1
        options.parser = .libcsv
        let reference = FuzzFile.signature(path: FuzzFile.path, options: options)
        options.parser = .vectorised
        for chunkBytes in [nil, 3, 17] as [Int?] {
            options.threads = chunkBytes == nil ? 1 : 2
            options.chunkBytes = chunkBytes
            let read = FuzzFile.signature(path: FuzzFile.path, options: options)
            if read != reference {
                fatalError("""
                    libcsv alone and the vectorised tokenizer differ (recover \(recover), \(chunkBytes.map { "chunks of \($0) bytes" } ?? "serial")):
                    --- libcsv
                    \(reference)
                    --- vectorised
                    \(read)
                    """)
            }
        }
    }
    return 0
}
