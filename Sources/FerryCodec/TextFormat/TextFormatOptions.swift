/// How ``DescribedMessage/textFormatString(options:)`` writes protobuf's text format.
public struct TextFormatEncodingOptions: Sendable {
    /// Print fields the schema does not know, by number (`5: 150`); off by default, as in protoc.
    public var printUnknownFields = false
    /// Everything on one line, fields separated by spaces (what `debugDescription` uses).
    public var singleLine = false
    /// The message types an Any may hold: those print expanded, `[type.googleapis.com/T] { ... }`.
    public var typeRegistry = TypeRegistry()
    /// How deeply messages may nest.
    public var recursionLimit = 100

    /// The default options.
    public init() {}
}

/// How ``DescribedMessage/init(textFormatString:options:)`` reads protobuf's text format.
public struct TextFormatDecodingOptions: Sendable {
    /// Accept a message whose proto2 `required` fields are missing.
    public var allowPartial = false
    /// The message types an expanded Any (`[type.googleapis.com/T] { ... }`) may name.
    public var typeRegistry = TypeRegistry()
    /// How deeply messages may nest.
    public var recursionLimit = 100
    /// The largest input read, in bytes (the binary default).
    public var maxInputSize = DecodingOptions().maxMessageSize

    /// The default options.
    public init() {}
}

/// A text-format input could not be read as the requested message.
public struct TextFormatDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The line (from 1) where reading stopped.
    public var line: Int
    /// The column (from 1, in bytes) where reading stopped.
    public var column: Int
    /// A sentence for people.
    public var detail: String

    /// An error at `line` and `column`.
    public init(line: Int, column: Int, detail: String) {
        self.line = line
        self.column = column
        self.detail = detail
    }

    /// `text format error at LINE:COLUMN: detail`.
    public var description: String { "text format error at \(line):\(column): \(detail)" }
}

/// A message could not be written in text format (it nests too deeply, or an Any holds bytes
/// that are not protobuf binary).
public struct TextFormatEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A sentence for people.
    public var detail: String

    /// An error described by `detail`.
    public init(_ detail: String) { self.detail = detail }

    /// `cannot write text format: detail`.
    public var description: String { "cannot write text format: \(detail)" }
}
