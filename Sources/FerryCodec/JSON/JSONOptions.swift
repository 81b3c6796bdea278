/// How ``DescribedMessage/jsonString(options:)`` writes JSON (protobuf's JSON printer options).
public struct JSONEncodingOptions: Sendable {
    /// Print fields without presence (proto3 scalars, repeated fields, maps) even at their
    /// default value, as `0`, `""`, `[]` or `{}`. Off by default, as in every protobuf runtime.
    public var alwaysPrintFieldsWithoutPresence = false
    /// Name fields as in the .proto file (`foo_bar`) instead of by their JSON name (`fooBar`).
    public var useProtoFieldNames = false
    /// Print enum values as numbers instead of names.
    public var enumsAsIntegers = false
    /// The message types a `google.protobuf.Any` may hold; an Any whose type is not here cannot
    /// be printed (its fields' names are unknown) and fails with ``JSONEncodingError/Code/unknownAnyType``.
    public var typeRegistry = TypeRegistry()
    /// How deeply messages may nest. Generated messages built in code have no depth limit of
    /// their own, and printing recurses once per level.
    public var recursionLimit = 100

    /// The default options.
    public init() {}
}

/// How ``DescribedMessage/init(jsonString:options:)`` reads JSON (protobuf's JSON parser options).
public struct JSONDecodingOptions: Sendable {
    /// Skip object keys that name no field, and enum names that name no value, instead of failing.
    public var ignoreUnknownFields = false
    /// Accept a message whose proto2 `required` fields are missing.
    public var allowPartial = false
    /// The message types a `google.protobuf.Any` may hold (see ``JSONEncodingOptions/typeRegistry``).
    public var typeRegistry = TypeRegistry()
    /// How deeply JSON objects and arrays may nest (protobuf's parsers default to 100).
    public var recursionLimit = 100
    /// The largest JSON input read, in bytes; larger input fails with
    /// ``JSONDecodingError/Code/inputTooLarge`` before any parsing. The binary default.
    public var maxInputSize = DecodingOptions().maxMessageSize

    /// The default options.
    public init() {}
}
