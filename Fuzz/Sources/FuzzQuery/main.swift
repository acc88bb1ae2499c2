import FuzzSupport

/// The entry libFuzzer's own runtime refers to; the same test.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { fuzzQuery(data, size) }

prepareQueryFuzzing()
runFuzzer { data, size in fuzzQuery(data, size) }
