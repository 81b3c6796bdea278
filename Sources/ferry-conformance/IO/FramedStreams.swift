#if canImport(Glibc)
import Glibc

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    Glibc.read(fd, buffer, count)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.write(fd, buffer, count)
}
#elseif canImport(Darwin)
import Darwin

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    Darwin.read(fd, buffer, count)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.write(fd, buffer, count)
}
#endif

/// The conformance protocol's framing over raw file descriptors: each frame is a 4-byte
/// little-endian length followed by that many bytes.
///
/// Reads and writes go straight to `read(2)` and `write(2)`, so nothing is buffered in this
/// process: a frame is on its way to the runner as soon as ``write(frame:)`` returns.
struct FramedStreams {
    /// Why the input stopped before a whole frame arrived.
    struct StreamError: Error, CustomStringConvertible {
        var description: String
    }

    let input: Int32
    let output: Int32

    init(input: Int32 = 0, output: Int32 = 1) {
        self.input = input
        self.output = output
    }

    /// Reads the next frame; `nil` when the input ends cleanly between frames.
    ///
    /// - Throws: ``StreamError`` when the input ends inside a frame or cannot be read.
    func readFrame() throws(StreamError) -> [UInt8]? {
        guard let header = try read(count: 4, allowingCleanEnd: true) else { return nil }
        let length = UInt32(header[0]) | UInt32(header[1]) << 8 | UInt32(header[2]) << 16 | UInt32(header[3]) << 24
        return try read(count: Int(length), allowingCleanEnd: false) ?? []
    }

    /// Writes one frame: its length, then its bytes.
    func write(frame: [UInt8]) throws(StreamError) {
        guard let length = UInt32(exactly: frame.count) else {
            throw StreamError(description: "a response of \(frame.count) bytes does not fit the 4-byte length")
        }
        let header: [UInt8] = [
            UInt8(truncatingIfNeeded: length), UInt8(truncatingIfNeeded: length >> 8),
            UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 24),
        ]
        try writeAll(header + frame)
    }

    /// Reads exactly `count` bytes. The buffer grows with what arrives, never by the announced
    /// length alone, so a bogus length cannot make this process allocate gigabytes up front.
    private func read(count: Int, allowingCleanEnd: Bool) throws(StreamError) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < count {
            let wanted = min(chunk.count, count - bytes.count)
            let got = chunk.withUnsafeMutableBytes { systemRead(input, $0.baseAddress, wanted) }
            if got < 0 {
                if errno == EINTR { continue }
                throw StreamError(description: "reading standard input failed (errno \(errno))")
            }
            if got == 0 {
                if bytes.isEmpty && allowingCleanEnd { return nil }
                throw StreamError(description: "input ended after \(bytes.count) of \(count) bytes of a frame")
            }
            bytes.append(contentsOf: chunk[0..<got])
        }
        return bytes
    }

    private func writeAll(_ bytes: [UInt8]) throws(StreamError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                systemWrite(output, $0.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw StreamError(description: "writing standard output failed (errno \(errno))")
            }
            offset += written
        }
    }
}
