/// A position in a source file.
///
/// `line` and `column` are 1-based, as diagnostics print them. Columns count bytes, and a tab
/// advances to the next multiple of 8, exactly as protoc's tokenizer counts them, so that
/// ``zeroBasedLine`` and ``zeroBasedColumn`` equal the numbers protoc writes into
/// `SourceCodeInfo.Location.span`.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Byte offset from the start of the file.
    public var offset: Int
    /// 1-based line number.
    public var line: Int
    /// 1-based column number (bytes, tabs expanded to multiples of 8).
    public var column: Int

    /// Creates a location from a byte offset and a 1-based line and column.
    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The 0-based line, as used in protoc's SourceCodeInfo spans.
    public var zeroBasedLine: Int { line - 1 }
    /// The 0-based column, as used in protoc's SourceCodeInfo spans.
    public var zeroBasedColumn: Int { column - 1 }

    /// Whether `lhs` comes before `rhs` in the file (compares byte offsets).
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool { lhs.offset < rhs.offset }

    /// The location as diagnostics print it: `line:column`, both 1-based.
    public var description: String { "\(line):\(column)" }
}
