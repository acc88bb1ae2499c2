import FuzzSupport

/// The entry libFuzzer's own runtime refers to; the same test.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzSheet(data, size) }

runFuzzer { data, size in fuzzSheet(data, size) }
