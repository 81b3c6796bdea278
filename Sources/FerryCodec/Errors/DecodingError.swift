/// An error thrown while decoding protobuf binary data.
///
/// Every failure of the decoder is one of these: truncated or malformed input never traps,
/// loops or allocates beyond the input's own size. ``fieldPath`` names the field in which the
/// failure happened, outermost field number first, so that `[5, 2]` means field 2 of the
/// message in field 5.
public struct DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case truncated
            case malformedVarint
            case invalidWireType
            case wrongWireType
            case invalidFieldNumber
            case invalidUTF8
            case lengthOutOfBounds
            case recursionLimitExceeded
            case messageTooLarge
            case unmatchedEndGroup
            case missingRequiredField
            case invalidValue
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The input ended in the middle of a tag, a value or a group.
        public static let truncated = Code(.truncated)
        /// A varint ran past ten bytes.
        public static let malformedVarint = Code(.malformedVarint)
        /// A tag carried wire type 6 or 7, which do not exist.
        public static let invalidWireType = Code(.invalidWireType)
        /// A known field arrived with a wire type its declared type cannot have.
        public static let wrongWireType = Code(.wrongWireType)
        /// A tag carried field number 0 or one above 2^29 - 1.
        public static let invalidFieldNumber = Code(.invalidFieldNumber)
        /// A `string` field held bytes that are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A length prefix pointed past the end of the enclosing message.
        public static let lengthOutOfBounds = Code(.lengthOutOfBounds)
        /// Messages or groups were nested deeper than ``DecodingOptions/recursionLimit``.
        public static let recursionLimitExceeded = Code(.recursionLimitExceeded)
        /// The input is larger than ``DecodingOptions/maxMessageSize``.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// An end-group tag did not close the group that was open (or closed none).
        public static let unmatchedEndGroup = Code(.unmatchedEndGroup)
        /// A proto2 `required` field was absent.
        public static let missingRequiredField = Code(.missingRequiredField)
        /// A value was well-formed on the wire but not allowed for its field.
        public static let invalidValue = Code(.invalidValue)

        /// The code in words, as error messages show it.
        public var description: String {
            switch wrapped {
            case .truncated: "truncated input"
            case .malformedVarint: "malformed varint"
            case .invalidWireType: "invalid wire type"
            case .wrongWireType: "wrong wire type for field"
            case .invalidFieldNumber: "invalid field number"
            case .invalidUTF8: "invalid UTF-8 in string field"
            case .lengthOutOfBounds: "length prefix past end of input"
            case .recursionLimitExceeded: "recursion limit exceeded"
            case .messageTooLarge: "message too large"
            case .unmatchedEndGroup: "unmatched end-group tag"
            case .missingRequiredField: "missing required field"
            case .invalidValue: "invalid value"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// Field numbers from the outermost message down to the field being read; empty when the
    /// failure happened outside any field (for example in a top-level tag).
    public var fieldPath: [Int]
    /// The full protobuf name of the outermost message being decoded, when known.
    public var messageName: String?
    /// Further detail for a person reading the error.
    public var detail: String

    /// An error of `code` in the field at `fieldPath` of the message `messageName`.
    public init(_ code: Code, fieldPath: [Int] = [], messageName: String? = nil, detail: String = "") {
        self.code = code
        self.fieldPath = fieldPath
        self.messageName = messageName
        self.detail = detail
    }

    /// The code, the field path, the message and the detail, in one line.
    public var description: String {
        var text = code.description
        if !fieldPath.isEmpty {
            text += " in field " + fieldPath.map(String.init).joined(separator: ".")
        }
        if let messageName {
            text += " of \(messageName)"
        }
        if !detail.isEmpty {
            text += ": " + detail
        }
        return text
    }

    /// The same error seen from the enclosing message: `field` is prepended to the path.
    public func nested(inField field: Int) -> DecodingError {
        var copy = self
        copy.fieldPath.insert(field, at: 0)
        return copy
    }
}

/// Limits and switches for decoding.
public struct DecodingOptions: Sendable, Hashable {
    /// How deeply messages and groups may nest. Protobuf's own runtimes default to 100.
    public var recursionLimit: Int
    /// The largest input accepted, in bytes. Protobuf's format cannot describe more than 2 GiB.
    public var maxMessageSize: Int
    /// Drop fields the schema does not know instead of keeping them for re-encoding.
    public var discardUnknownFields: Bool
    /// Accept messages whose proto2 `required` fields are absent.
    public var allowPartial: Bool
    /// Extensions whose values are checked as they are read: one that does not decode as its
    /// type fails the decode (see ``ExtensionRegistry``). Empty by default.
    public var extensions = ExtensionRegistry()

    /// Options with protobuf's defaults: depth 100, 2 GiB, unknown fields kept, required fields checked.
    public init(
        recursionLimit: Int = 100,
        maxMessageSize: Int = Int(Int32.max),
        discardUnknownFields: Bool = false,
        allowPartial: Bool = false
    ) {
        self.recursionLimit = recursionLimit
        self.maxMessageSize = maxMessageSize
        self.discardUnknownFields = discardUnknownFields
        self.allowPartial = allowPartial
    }
}
