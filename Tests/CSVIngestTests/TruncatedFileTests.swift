@testable import CSVIngest
import CMappedFiles
import Foundation
import PingchaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// An export that another program truncates while pingcha has it mapped: the read past its new
/// end raises SIGBUS, and the handler names the file on standard error and ends the process with
/// status 74 instead of a crash. The read is made in a child process (`fork`), so that the test
/// process goes on; the child sets the language itself, since other tests set it too.
@Suite struct TruncatedFileTests {
    @Test(arguments: [false, true]) func aFileTruncatedWhileMappedIsNamedAndEndsWith74(english: Bool) throws {
        let path = Fixtures.write(String(repeating: "A-1,宁北县城市管理局,84.6\n", count: 2000), name: "shrinking-\(english).csv")
        let file = try MappedFile(path: path)
        pingcha_handle_truncated_mappings(english ? 1 : 0)
        #expect(truncate(path, 0) == 0)
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let child = fork()
        if child == 0 {
            pingcha_handle_truncated_mappings(english ? 1 : 0)
            dup2(ends[1], STDERR_FILENO)
            let last = file.bytes[file.count - 1]  // past the file's new end
            _exit(Int32(last))  // not reached when the handler works
        }
        close(ends[1])
        var status: Int32 = 0
        waitpid(child, &status, 0)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let count = read(ends[0], &chunk, chunk.count), count > 0 { output += chunk[0..<count] }
        close(ends[0])
        // Exited (no signal in the low seven bits), with status 74 in the next byte.
        #expect(status & 0x7F == 0)
        #expect((status >> 8) & 0xFF == 74)
        let expected = english
            ? "pingcha: error: the file \(path) became shorter while it was being read (another program truncated or rewrote it). "
                + "Run the command again once the file no longer changes.\n"
            : "pingcha：错误：文件 \(path) 在读取过程中变短了（被其他程序截断或改写）。请等文件不再变化后重新运行。\n"
        #expect(String(decoding: output, as: UTF8.self) == expected)
        withExtendedLifetime(file) {}
    }

    /// Notes are given back: more mappings than places, one after another, are each noted.
    @Test func notesAreGivenBack() {
        for _ in 0..<200 {
            let note = pingcha_note_mapping(UnsafeRawPointer(bitPattern: 0x1000), 4096, "/nowhere")
            #expect(note >= 0)
            pingcha_forget_mapping(note)
        }
    }
}
