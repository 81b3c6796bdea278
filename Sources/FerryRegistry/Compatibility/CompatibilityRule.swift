/// One kind of schema change the checker recognizes, and whether it breaks compatibility.
///
/// Rules carry Confluent's names (`FIELD_KIND_CHANGED`, ...) so that verbose compatibility answers
/// read the same as Confluent's. docs/compatibility.md lists them as a table.
public struct CompatibilityRule: Sendable, Hashable, CustomStringConvertible {
    /// The rule's name, e.g. `FIELD_KIND_CHANGED`.
    public let name: String
    /// Whether a change of this kind makes the evolution incompatible.
    public let isBreaking: Bool

    private init(_ name: String, breaking: Bool) {
        self.name = name
        self.isBreaking = breaking
    }

    /// A one-line form for logs and messages.
    public var description: String { name }

    // MARK: Registry (Confluent-equivalent) rules

    /// The file's package changed (breaking).
    public static let packageChanged = CompatibilityRule("PACKAGE_CHANGED", breaking: true)
    /// A message was added (breaks FORWARD: the reverse is a removal) (compatible).
    public static let messageAdded = CompatibilityRule("MESSAGE_ADDED", breaking: false)
    /// A message was removed (breaking).
    public static let messageRemoved = CompatibilityRule("MESSAGE_REMOVED", breaking: true)
    /// A message changed position (payloads carry indexes of the writer's schema) (compatible).
    public static let messageMoved = CompatibilityRule("MESSAGE_MOVED", breaking: false)
    /// An enum was added (compatible).
    public static let enumAdded = CompatibilityRule("ENUM_ADDED", breaking: false)
    /// An enum was removed (compatible).
    public static let enumRemoved = CompatibilityRule("ENUM_REMOVED", breaking: false)
    /// An enum value was added (compatible).
    public static let enumConstAdded = CompatibilityRule("ENUM_CONST_ADDED", breaking: false)
    /// An enum value number got another name (compatible).
    public static let enumConstChanged = CompatibilityRule("ENUM_CONST_CHANGED", breaking: false)
    /// An enum value was removed (compatible).
    public static let enumConstRemoved = CompatibilityRule("ENUM_CONST_REMOVED", breaking: false)
    /// A field was added (compatible).
    public static let fieldAdded = CompatibilityRule("FIELD_ADDED", breaking: false)
    /// A field was removed (compatible).
    public static let fieldRemoved = CompatibilityRule("FIELD_REMOVED", breaking: false)
    /// A field number got another name (compatible).
    public static let fieldNameChanged = CompatibilityRule("FIELD_NAME_CHANGED", breaking: false)
    /// A field changed kind: scalar (incl. enum), message, map (breaking).
    public static let fieldKindChanged = CompatibilityRule("FIELD_KIND_CHANGED", breaking: true)
    /// A scalar changed outside its group: {int32, int64, uint32, uint64, bool, enum}, {sint32, sint64}, {string,
    /// bytes}, {fixed32, sfixed32}, {fixed64, sfixed64}, {float}, {double} (breaking).
    public static let fieldScalarKindChanged = CompatibilityRule("FIELD_SCALAR_KIND_CHANGED", breaking: true)
    /// A message field's type has another name (without package), or its message changed incompatibly (breaking).
    public static let fieldNamedTypeChanged = CompatibilityRule("FIELD_NAMED_TYPE_CHANGED", breaking: true)
    /// A numeric (or enum) field changed between explicit labels (optional, required, repeated) (breaking).
    public static let fieldNumericLabelChanged = CompatibilityRule("FIELD_NUMERIC_LABEL_CHANGED", breaking: true)
    /// A string or bytes field changed between explicit labels (compatible).
    public static let fieldStringOrBytesLabelChanged = CompatibilityRule(
        "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
        breaking: false
    )
    /// A proto2 required field was added (breaking).
    public static let requiredFieldAdded = CompatibilityRule("REQUIRED_FIELD_ADDED", breaking: true)
    /// A proto2 required field was removed (breaking).
    public static let requiredFieldRemoved = CompatibilityRule("REQUIRED_FIELD_REMOVED", breaking: true)
    /// A oneof was added (also: one existing field moved into a new oneof) (compatible).
    public static let oneofAdded = CompatibilityRule("ONEOF_ADDED", breaking: false)
    /// A oneof was removed (also: a lone oneof field moved to the top level) (compatible).
    public static let oneofRemoved = CompatibilityRule("ONEOF_REMOVED", breaking: false)
    /// A field was added to a oneof (compatible).
    public static let oneofFieldAdded = CompatibilityRule("ONEOF_FIELD_ADDED", breaking: false)
    /// A field was removed from a oneof and from the message (breaking).
    public static let oneofFieldRemoved = CompatibilityRule("ONEOF_FIELD_REMOVED", breaking: true)
    /// Several existing fields were moved into one oneof (breaking).
    public static let multipleFieldsMovedToOneof = CompatibilityRule("MULTIPLE_FIELDS_MOVED_TO_ONEOF", breaking: true)
    /// An existing field was moved into a oneof that already had fields (breaking).
    public static let fieldMovedToExistingOneof = CompatibilityRule("FIELD_MOVED_TO_EXISTING_ONEOF", breaking: true)

    /// Every registry rule, in the order docs/compatibility.md lists them.
    public static let registryRules: [CompatibilityRule] = [
        .packageChanged, .messageAdded, .messageRemoved, .messageMoved, .enumAdded, .enumRemoved,
        .enumConstAdded, .enumConstChanged, .enumConstRemoved, .fieldAdded, .fieldRemoved, .fieldNameChanged,
        .fieldKindChanged, .fieldScalarKindChanged, .fieldNamedTypeChanged, .fieldNumericLabelChanged,
        .fieldStringOrBytesLabelChanged, .requiredFieldAdded, .requiredFieldRemoved, .oneofAdded, .oneofRemoved,
        .oneofFieldAdded, .oneofFieldRemoved, .multipleFieldsMovedToOneof, .fieldMovedToExistingOneof,
    ]
}

/// One change between two schemas, found by one rule.
public struct SchemaDifference: Sendable, Hashable, CustomStringConvertible {
    /// The rule that recognized the change.
    public var rule: CompatibilityRule
    /// Where the change is, in Confluent's path notation: `#/Order/3` is field 3 of message `Order`,
    /// `#/Order/payment` the oneof `payment`.
    public var path: String
    /// The element's fully qualified name, e.g. `acme.v1.Order.total`.
    public var element: String
    /// Why the change matters, for people.
    public var reason: String

    /// Creates a difference.
    public init(rule: CompatibilityRule, path: String, element: String, reason: String) {
        self.rule = rule
        self.path = path
        self.element = element
        self.reason = reason
    }

    /// Whether this change breaks compatibility.
    public var isBreaking: Bool { rule.isBreaking }

    /// `element: reason [RULE]`, the one-line form `ferry breaking` prints.
    public var description: String { "\(element): \(reason) [\(rule.name)]" }
}
