/// The byte offsets at which the lines of a file start, for offset → line/column look-ups.
public struct LineIndex: Sendable, Hashable {
    /// Width of a tab stop, as protoc's tokenizer counts columns.
    public static let tabWidth = 8

    /// Byte offset of the first byte of each line; `lineStarts[0] == 0`.
    public let lineStarts: [Int]

    /// Indexes the lines of `bytes` (lines end at `\n`).
    public init(_ bytes: [UInt8]) {
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The number of lines (a file without a trailing newline still has its last line).
    public var lineCount: Int { lineStarts.count }

    /// The location of `offset` in `bytes`, which must be the bytes this index was built from.
    public func location(at offset: Int, in bytes: [UInt8]) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= clamped { low = mid } else { high = mid - 1 }
        }
        var column = 0
        var position = lineStarts[low]
        while position < clamped {
            column = Self.advance(column: column, over: bytes[position])
            position += 1
        }
        return SourceLocation(offset: clamped, line: low + 1, column: column + 1)
    }

    /// The 0-based column after `byte` when it starts at 0-based `column`.
    @inline(__always)
    static func advance(column: Int, over byte: UInt8) -> Int {
        byte == UInt8(ascii: "\t") ? column + tabWidth - column % tabWidth : column + 1
    }
}
