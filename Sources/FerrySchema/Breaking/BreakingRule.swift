/// One breaking-change rule: an ID as buf spells it, what it protects, and the categories that
/// apply it.
///
/// Rules are values; ``BreakingRule/all`` lists every rule Ferry knows, in the order of
/// docs/compatibility.md. A ``BreakingChecker`` runs the rules of the categories it is given.
public struct BreakingRule: Sendable, Hashable, CustomStringConvertible {
    /// The rule's ID, e.g. `FIELD_WIRE_COMPATIBLE_TYPE`.
    public let id: String
    /// One line saying what the rule checks.
    public let summary: String
    /// The categories whose checks include this rule.
    public let categories: Set<BreakingCategory>

    private init(_ id: String, _ categories: [BreakingCategory], _ summary: String) {
        self.id = id
        self.summary = summary
        self.categories = Set(categories)
    }

    /// The rule's ID, as in ``id``.
    public var description: String { id }

    /// Hashes by ID (rules with the same ID are the same rule).
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Rules are equal when their IDs are.
    public static func == (lhs: BreakingRule, rhs: BreakingRule) -> Bool { lhs.id == rhs.id }

    /// The rule with ID `id`, if Ferry knows it.
    public static func named(_ id: String) -> BreakingRule? { all.first { $0.id == id } }

    private static let fileOnly: [BreakingCategory] = [.file]
    private static let generated: [BreakingCategory] = [.file, .package]
    private static let json: [BreakingCategory] = [.file, .package, .wireJSON]
    private static let every: [BreakingCategory] = [.file, .package, .wireJSON, .wire]

    // MARK: Deletions that break generated code

    /// A file of the old schemas is missing.
    public static let fileNoDelete = BreakingRule("FILE_NO_DELETE", fileOnly, "Files are not deleted.")
    /// A message disappeared from its file.
    public static let messageNoDelete = BreakingRule(
        "MESSAGE_NO_DELETE",
        fileOnly,
        "Messages are not deleted from a file."
    )
    /// An enum disappeared from its file.
    public static let enumNoDelete = BreakingRule("ENUM_NO_DELETE", fileOnly, "Enums are not deleted from a file.")
    /// An extension disappeared from its file.
    public static let extensionNoDelete = BreakingRule(
        "EXTENSION_NO_DELETE",
        fileOnly,
        "Extensions are not deleted from a file."
    )
    /// A service disappeared from its file.
    public static let serviceNoDelete = BreakingRule(
        "SERVICE_NO_DELETE",
        fileOnly,
        "Services are not deleted from a file."
    )
    /// A package of the old schemas has no file left.
    public static let packageNoDelete = BreakingRule("PACKAGE_NO_DELETE", [.package], "Packages are not deleted.")
    /// A message disappeared from its package.
    public static let packageMessageNoDelete = BreakingRule(
        "PACKAGE_MESSAGE_NO_DELETE",
        [.package],
        "Messages are not deleted from a package."
    )
    /// An enum disappeared from its package.
    public static let packageEnumNoDelete = BreakingRule(
        "PACKAGE_ENUM_NO_DELETE",
        [.package],
        "Enums are not deleted from a package."
    )
    /// An extension disappeared from its package.
    public static let packageExtensionNoDelete = BreakingRule(
        "PACKAGE_EXTENSION_NO_DELETE",
        [.package],
        "Extensions are not deleted from a package."
    )
    /// A service disappeared from its package.
    public static let packageServiceNoDelete = BreakingRule(
        "PACKAGE_SERVICE_NO_DELETE",
        [.package],
        "Services are not deleted from a package."
    )
    /// A method disappeared from its service.
    public static let rpcNoDelete = BreakingRule("RPC_NO_DELETE", generated, "Methods are not deleted from a service.")
    /// A field number disappeared from its message.
    public static let fieldNoDelete = BreakingRule(
        "FIELD_NO_DELETE",
        generated,
        "Fields are not deleted from a message."
    )
    /// An enum value number disappeared from its enum.
    public static let enumValueNoDelete = BreakingRule(
        "ENUM_VALUE_NO_DELETE",
        generated,
        "Enum values are not deleted from an enum."
    )
    /// A oneof (other than proto3 `optional`'s synthetic one) disappeared from its message.
    public static let oneofNoDelete = BreakingRule(
        "ONEOF_NO_DELETE",
        generated,
        "Oneofs are not deleted from a message."
    )
    /// Part of an extension range disappeared.
    public static let extensionMessageNoDelete = BreakingRule(
        "EXTENSION_MESSAGE_NO_DELETE",
        generated,
        "Extension ranges are not deleted from a message."
    )

    // MARK: Changes that break generated code

    /// An enum changed between closed (proto2) and open (proto3).
    public static let enumSameType = BreakingRule("ENUM_SAME_TYPE", generated, "Enums stay open or closed.")
    /// A field changed between optional with implicit presence, optional with explicit presence, required,
    /// repeated and map.
    public static let fieldSameCardinality = BreakingRule(
        "FIELD_SAME_CARDINALITY",
        generated,
        "Fields keep their cardinality."
    )
    /// A string or bytes field changed its C++ string type (`ctype`).
    public static let fieldSameCppStringType = BreakingRule(
        "FIELD_SAME_CPP_STRING_TYPE",
        generated,
        "String and bytes fields keep their C++ string type."
    )
    /// A string field changed whether Java validates UTF-8 (`java_string_check_utf8` or syntax).
    public static let fieldSameJavaUTF8Validation = BreakingRule(
        "FIELD_SAME_JAVA_UTF8_VALIDATION",
        generated,
        "String fields keep Java's UTF-8 validation."
    )
    /// A 64-bit integer field changed its `jstype` option.
    public static let fieldSameJSType = BreakingRule(
        "FIELD_SAME_JSTYPE",
        generated,
        "64-bit integer fields keep their jstype option."
    )
    /// A string field changed whether parsers validate UTF-8 (proto3 does, proto2 does not).
    public static let fieldSameUTF8Validation = BreakingRule(
        "FIELD_SAME_UTF8_VALIDATION",
        generated,
        "String fields keep their UTF-8 validation."
    )
    /// A field changed its type, or names another message or enum.
    public static let fieldSameType = BreakingRule("FIELD_SAME_TYPE", generated, "Fields keep their type.")
    /// A file changed its syntax.
    public static let fileSameSyntax = BreakingRule("FILE_SAME_SYNTAX", generated, "Files keep their syntax.")
    /// A message set `no_standard_descriptor_accessor`.
    public static let messageNoRemoveStandardDescriptorAccessor = BreakingRule(
        "MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR",
        generated,
        "Messages keep their standard descriptor accessor."
    )
    /// `cc_enable_arenas` changed.
    public static let fileSameCcEnableArenas = BreakingRule(
        "FILE_SAME_CC_ENABLE_ARENAS",
        generated,
        "Files keep cc_enable_arenas."
    )
    /// `cc_generic_services` changed.
    public static let fileSameCcGenericServices = BreakingRule(
        "FILE_SAME_CC_GENERIC_SERVICES",
        generated,
        "Files keep cc_generic_services."
    )
    /// `csharp_namespace` changed.
    public static let fileSameCsharpNamespace = BreakingRule(
        "FILE_SAME_CSHARP_NAMESPACE",
        generated,
        "Files keep csharp_namespace."
    )
    /// `go_package` changed.
    public static let fileSameGoPackage = BreakingRule("FILE_SAME_GO_PACKAGE", generated, "Files keep go_package.")
    /// `java_generic_services` changed.
    public static let fileSameJavaGenericServices = BreakingRule(
        "FILE_SAME_JAVA_GENERIC_SERVICES",
        generated,
        "Files keep java_generic_services."
    )
    /// `java_multiple_files` changed.
    public static let fileSameJavaMultipleFiles = BreakingRule(
        "FILE_SAME_JAVA_MULTIPLE_FILES",
        generated,
        "Files keep java_multiple_files."
    )
    /// `java_outer_classname` changed.
    public static let fileSameJavaOuterClassname = BreakingRule(
        "FILE_SAME_JAVA_OUTER_CLASSNAME",
        generated,
        "Files keep java_outer_classname."
    )
    /// `java_package` changed.
    public static let fileSameJavaPackage = BreakingRule(
        "FILE_SAME_JAVA_PACKAGE",
        generated,
        "Files keep java_package."
    )
    /// `objc_class_prefix` changed.
    public static let fileSameObjcClassPrefix = BreakingRule(
        "FILE_SAME_OBJC_CLASS_PREFIX",
        generated,
        "Files keep objc_class_prefix."
    )
    /// `optimize_for` changed.
    public static let fileSameOptimizeFor = BreakingRule(
        "FILE_SAME_OPTIMIZE_FOR",
        generated,
        "Files keep optimize_for."
    )
    /// `php_class_prefix` changed.
    public static let fileSamePhpClassPrefix = BreakingRule(
        "FILE_SAME_PHP_CLASS_PREFIX",
        generated,
        "Files keep php_class_prefix."
    )
    /// `php_metadata_namespace` changed.
    public static let fileSamePhpMetadataNamespace = BreakingRule(
        "FILE_SAME_PHP_METADATA_NAMESPACE",
        generated,
        "Files keep php_metadata_namespace."
    )
    /// `php_namespace` changed.
    public static let fileSamePhpNamespace = BreakingRule(
        "FILE_SAME_PHP_NAMESPACE",
        generated,
        "Files keep php_namespace."
    )
    /// `py_generic_services` changed.
    public static let fileSamePyGenericServices = BreakingRule(
        "FILE_SAME_PY_GENERIC_SERVICES",
        generated,
        "Files keep py_generic_services."
    )
    /// `ruby_package` changed.
    public static let fileSameRubyPackage = BreakingRule(
        "FILE_SAME_RUBY_PACKAGE",
        generated,
        "Files keep ruby_package."
    )
    /// `swift_prefix` changed.
    public static let fileSameSwiftPrefix = BreakingRule(
        "FILE_SAME_SWIFT_PREFIX",
        generated,
        "Files keep swift_prefix."
    )

    // MARK: Changes that break JSON

    /// An enum that supported JSON (proto3) no longer does fully (proto2).
    public static let enumSameJSONFormat = BreakingRule("ENUM_SAME_JSON_FORMAT", json, "Enums keep their JSON support.")
    /// A message that supported JSON (proto3) no longer does fully (proto2).
    public static let messageSameJSONFormat = BreakingRule(
        "MESSAGE_SAME_JSON_FORMAT",
        json,
        "Messages keep their JSON support."
    )
    /// An enum value number gained a name it did not have (JSON carries names).
    public static let enumValueSameName = BreakingRule("ENUM_VALUE_SAME_NAME", json, "Enum values keep their names.")
    /// A field's `json_name` changed.
    public static let fieldSameJSONName = BreakingRule("FIELD_SAME_JSON_NAME", json, "Fields keep their JSON name.")
    /// A field was renamed (JSON and text format carry names).
    public static let fieldSameName = BreakingRule("FIELD_SAME_NAME", json, "Fields keep their names.")
    /// A field was deleted without reserving its name.
    public static let fieldNoDeleteUnlessNameReserved = BreakingRule(
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        [.wireJSON],
        "Fields are not deleted unless their name is reserved."
    )
    /// An enum value was deleted without reserving its name.
    public static let enumValueNoDeleteUnlessNameReserved = BreakingRule(
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        [.wireJSON],
        "Enum values are not deleted unless their name is reserved."
    )
    /// A field's cardinality changed in a way the binary or the JSON encoding cannot absorb.
    public static let fieldWireJSONCompatibleCardinality = BreakingRule(
        "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
        [.wireJSON],
        "Fields keep a wire- and JSON-compatible cardinality."
    )
    /// A field's type changed in a way the binary or the JSON encoding cannot absorb.
    public static let fieldWireJSONCompatibleType = BreakingRule(
        "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
        [.wireJSON],
        "Fields keep a wire- and JSON-compatible type."
    )

    // MARK: Changes that break the binary encoding

    /// A field's default value changed (proto2): the same bytes read as another value.
    public static let fieldSameDefault = BreakingRule("FIELD_SAME_DEFAULT", every, "Fields keep their default value.")
    /// A field moved into, out of or between oneofs.
    public static let fieldSameOneof = BreakingRule("FIELD_SAME_ONEOF", every, "Fields stay in the same oneof.")
    /// A file changed its package (every type's full name changes).
    public static let fileSamePackage = BreakingRule("FILE_SAME_PACKAGE", every, "Files keep their package.")
    /// A required field was added or deleted (old readers or writers reject the message).
    public static let messageSameRequiredFields = BreakingRule(
        "MESSAGE_SAME_REQUIRED_FIELDS",
        every,
        "Messages keep the same required fields."
    )
    /// A reserved range or name of an enum was deleted.
    public static let reservedEnumNoDelete = BreakingRule(
        "RESERVED_ENUM_NO_DELETE",
        every,
        "Enums keep their reserved ranges and names."
    )
    /// A reserved range or name of a message was deleted.
    public static let reservedMessageNoDelete = BreakingRule(
        "RESERVED_MESSAGE_NO_DELETE",
        every,
        "Messages keep their reserved ranges and names."
    )
    /// A method changed between client streaming and unary requests.
    public static let rpcSameClientStreaming = BreakingRule(
        "RPC_SAME_CLIENT_STREAMING",
        every,
        "Methods keep client streaming."
    )
    /// A method changed between server streaming and unary responses.
    public static let rpcSameServerStreaming = BreakingRule(
        "RPC_SAME_SERVER_STREAMING",
        every,
        "Methods keep server streaming."
    )
    /// A method's `idempotency_level` changed (it decides GET and retries).
    public static let rpcSameIdempotencyLevel = BreakingRule(
        "RPC_SAME_IDEMPOTENCY_LEVEL",
        every,
        "Methods keep their idempotency level."
    )
    /// A method's request type changed.
    public static let rpcSameRequestType = BreakingRule(
        "RPC_SAME_REQUEST_TYPE",
        every,
        "Methods keep their request type."
    )
    /// A method's response type changed.
    public static let rpcSameResponseType = BreakingRule(
        "RPC_SAME_RESPONSE_TYPE",
        every,
        "Methods keep their response type."
    )
    /// A field was deleted without reserving its number.
    public static let fieldNoDeleteUnlessNumberReserved = BreakingRule(
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        [.wireJSON, .wire],
        "Fields are not deleted unless their number is reserved."
    )
    /// An enum value was deleted without reserving its number.
    public static let enumValueNoDeleteUnlessNumberReserved = BreakingRule(
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        [.wireJSON, .wire],
        "Enum values are not deleted unless their number is reserved."
    )
    /// A field's cardinality changed in a way the binary encoding cannot absorb.
    public static let fieldWireCompatibleCardinality = BreakingRule(
        "FIELD_WIRE_COMPATIBLE_CARDINALITY",
        [.wire],
        "Fields keep a wire-compatible cardinality."
    )
    /// A field's type changed in a way the binary encoding cannot absorb.
    public static let fieldWireCompatibleType = BreakingRule(
        "FIELD_WIRE_COMPATIBLE_TYPE",
        [.wire],
        "Fields keep a wire-compatible type."
    )

    /// Every rule, in the order docs/compatibility.md lists them.
    public static let all: [BreakingRule] = [
        .fileNoDelete, .messageNoDelete, .enumNoDelete, .extensionNoDelete, .serviceNoDelete,
        .packageNoDelete, .packageMessageNoDelete, .packageEnumNoDelete, .packageExtensionNoDelete,
        .packageServiceNoDelete,
        .rpcNoDelete, .fieldNoDelete, .enumValueNoDelete, .oneofNoDelete, .extensionMessageNoDelete,
        .enumSameType, .fieldSameCardinality, .fieldSameCppStringType, .fieldSameJavaUTF8Validation, .fieldSameJSType,
        .fieldSameUTF8Validation, .fieldSameType, .fileSameSyntax, .messageNoRemoveStandardDescriptorAccessor,
        .fileSameCcEnableArenas, .fileSameCcGenericServices, .fileSameCsharpNamespace, .fileSameGoPackage,
        .fileSameJavaGenericServices, .fileSameJavaMultipleFiles, .fileSameJavaOuterClassname, .fileSameJavaPackage,
        .fileSameObjcClassPrefix, .fileSameOptimizeFor, .fileSamePhpClassPrefix, .fileSamePhpMetadataNamespace,
        .fileSamePhpNamespace, .fileSamePyGenericServices, .fileSameRubyPackage, .fileSameSwiftPrefix,
        .enumSameJSONFormat, .messageSameJSONFormat, .enumValueSameName, .fieldSameJSONName, .fieldSameName,
        .fieldNoDeleteUnlessNameReserved, .enumValueNoDeleteUnlessNameReserved, .fieldWireJSONCompatibleCardinality,
        .fieldWireJSONCompatibleType,
        .fieldSameDefault, .fieldSameOneof, .fileSamePackage, .messageSameRequiredFields, .reservedEnumNoDelete,
        .reservedMessageNoDelete, .rpcSameClientStreaming, .rpcSameServerStreaming, .rpcSameIdempotencyLevel,
        .rpcSameRequestType, .rpcSameResponseType, .fieldNoDeleteUnlessNumberReserved,
        .enumValueNoDeleteUnlessNumberReserved, .fieldWireCompatibleCardinality, .fieldWireCompatibleType,
    ]

    /// The rules `category` applies.
    public static func rules(of category: BreakingCategory) -> [BreakingRule] {
        all.filter { $0.categories.contains(category) }
    }
}
