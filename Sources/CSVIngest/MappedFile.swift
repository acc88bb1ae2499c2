#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMappedFiles
import Columnar

/// A read-only memory map of a whole file; the only owner of the mapping.
final class MappedFile {
    let path: String
    private let base: UnsafeMutableRawPointer?
    let count: Int
    /// The mapping's note (`pingcha_note_mapping`): a read past the end of the file, should
    /// another program truncate it while it is read, is then reported with its name.
    private let note: Int32

    /// Maps `path`.
    ///
    /// - Throws: `PingchaError` (.missingInput) when the file cannot be opened.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw PingchaError.cannotOpen(path, reason: reason)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw PingchaError.cannotStat(path)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw PingchaError.isFolder(path)
        }
        count = Int(status.st_size)
        if count == 0 {
            base = nil
            note = -1
            return
        }
        let mapping = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapping, mapping != MAP_FAILED else {
            throw PingchaError.cannotRead(path)
        }
        madvise(mapping, count, MADV_SEQUENTIAL)
        base = mapping
        note = pingcha_note_mapping(mapping, count, path)
    }

    deinit {
        pingcha_forget_mapping(note)
        if let base { munmap(base, count) }
    }

    /// Gives back the memory of the whole pages inside `range` of a read-only file mapping
    /// (offsets from `address`, the mapping's start): the kernel drops them from the process
    /// and reads them again from the page cache if they are touched later, so the bytes stay
    /// the same. This keeps a load's resident memory near its columns' size, not the file's.
    static func release(mappingAt address: UInt, _ range: Range<Int>) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (address + UInt(range.lowerBound) + UInt(page - 1)) / UInt(page) * UInt(page)
        let end = (address + UInt(range.upperBound)) / UInt(page) * UInt(page)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        madvise(pointer, Int(end - start), MADV_DONTNEED)
    }

    /// The file's bytes; valid while this object lives.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }
}
