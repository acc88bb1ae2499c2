import CSVIngest

/// Random bytes as an export: the serial load and chunked loads (chunks cut every few bytes,
/// so that cuts fall next to every quote) must give the same table, rejects and errors, with
/// and without recovery; a crash, a hang or a difference is a failure.
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzFile.write(UnsafeBufferPointer(start: data, count: size))
    for recover in [false, true] {
        var options = LoadOptions()
        options.noSchema = size % 2 == 0
        options.collectRejects = recover
        options.threads = 1
        let serial = FuzzFile.signature(path: FuzzFile.path, options: options)
        for chunkBytes in [3, 17] {
            options.threads = 2
            options.chunkBytes = chunkBytes
            let chunked = FuzzFile.signature(path: FuzzFile.path, options: options)
            if chunked != serial {
                fatalError("serial and chunked loads differ (recover \(recover), chunks of \(chunkBytes) bytes):\n--- serial\n\(serial)\n--- chunked\n\(chunked)")
            }
        }
    }
    return 0
}
