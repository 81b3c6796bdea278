/// A JSON text could not be read as the requested message.
///
/// ``path`` names where, from the top-level message: `a.b[2].c`, or `m["key"]` in a map, using
/// the names the input used. ``offset`` is the byte offset in the input where reading stopped.
public struct JSONDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name in words.
        public let description: String
        private init(_ description: String) { self.description = description }

        /// The input is not JSON (RFC 8259), or ends early.
        public static let malformedJSON = Code("malformed JSON")
        /// An object key names no field of the message.
        public static let unknownField = Code("unknown field")
        /// A field appeared twice (under either of its names), or two members of one oneof appeared.
        public static let duplicateField = Code("duplicate field")
        /// A value has the wrong JSON type or is out of range for its field.
        public static let invalidValue = Code("invalid value")
        /// Objects and arrays nest deeper than ``JSONDecodingOptions/recursionLimit``.
        public static let recursionLimitExceeded = Code("recursion limit exceeded")
        /// The input is larger than ``JSONDecodingOptions/maxInputSize``.
        public static let inputTooLarge = Code("input too large")
        /// A `google.protobuf.Any` names a type that is not in the ``TypeRegistry``.
        public static let unknownAnyType = Code("unknown Any type")
        /// A proto2 `required` field is missing.
        public static let missingRequiredField = Code("missing required field")
    }

    /// What went wrong.
    public var code: Code
    /// Where in the message: field names joined by dots, with `[index]` and `["key"]`.
    public var path: String
    /// The byte offset in the input where reading stopped.
    public var offset: Int
    /// A sentence for people.
    public var detail: String

    /// An error at `offset`, with no path yet (enclosing fields add theirs as it unwinds).
    public init(_ code: Code, _ detail: String, offset: Int = 0, path: String = "") {
        self.code = code
        self.detail = detail
        self.offset = offset
        self.path = path
    }

    /// `JSON <code> at <path> (byte N): detail`.
    public var description: String {
        let location = path.isEmpty ? "at byte \(offset)" : "at \(path) (byte \(offset))"
        return "JSON \(code) \(location): \(detail)"
    }

    /// This error as seen from the enclosing message, where it happened inside `component`
    /// (`name`, `[3]` or `["key"]`).
    func inside(_ component: String) -> JSONDecodingError {
        var error = self
        if path.isEmpty {
            error.path = component
        } else if path.hasPrefix("[") {
            error.path = component + path
        } else {
            error.path = component + "." + path
        }
        return error
    }
}

/// A message could not be written as JSON: a value has no JSON form.
public struct JSONEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name in words.
        public let description: String
        private init(_ description: String) { self.description = description }

        /// A Timestamp, Duration or FieldMask holds a value its JSON form cannot express (a time
        /// outside years 1–9999, nanos out of range, a path that does not round-trip).
        public static let invalidValue = Code("invalid value")
        /// A `google.protobuf.Any` holds a type that is not in the ``TypeRegistry``.
        public static let unknownAnyType = Code("unknown Any type")
        /// Messages nest deeper than ``JSONEncodingOptions/recursionLimit``.
        public static let recursionLimitExceeded = Code("recursion limit exceeded")
        /// Bytes inside an Any (or a string field) are not valid protobuf binary or UTF-8.
        public static let malformedBinary = Code("malformed binary")
    }

    /// What went wrong.
    public var code: Code
    /// Where in the message, as in ``JSONDecodingError/path``.
    public var path: String
    /// A sentence for people.
    public var detail: String

    /// An error with no path yet.
    public init(_ code: Code, _ detail: String, path: String = "") {
        self.code = code
        self.detail = detail
        self.path = path
    }

    /// `cannot write JSON at <path>: <code>: detail`.
    public var description: String {
        path.isEmpty ? "cannot write JSON: \(code): \(detail)" : "cannot write JSON at \(path): \(code): \(detail)"
    }

    func inside(_ component: String) -> JSONEncodingError {
        var error = self
        error.path = path.isEmpty ? component : (path.hasPrefix("[") ? component + path : component + "." + path)
        return error
    }
}
