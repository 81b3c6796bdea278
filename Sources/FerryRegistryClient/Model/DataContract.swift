import Foundation

/// A schema's metadata in Confluent's data contracts: tags on parts of the schema, free properties
/// (owner, team, application version) and the names of sensitive properties.
///
/// Metadata takes part in a schema's identity: the same text with other metadata is another schema
/// (another id, another version). A registration that carries none inherits the subject's latest.
public struct SchemaMetadata: Codable, Sendable, Hashable {
    /// Tags by schema path (`Order.email` → `["PII"]`).
    public var tags: [String: [String]]?
    /// Free key-value properties.
    public var properties: [String: String]?
    /// Names of properties whose values are secrets.
    public var sensitive: [String]?

    /// Creates metadata.
    public init(tags: [String: [String]]? = nil, properties: [String: String]? = nil, sensitive: [String]? = nil) {
        self.tags = tags
        self.properties = properties
        self.sensitive = sensitive
    }

    /// The same metadata in one form: tag lists and sensitive names sorted and without repeats (they
    /// are sets to Confluent), so that two spellings of one metadata compare equal.
    public var canonical: SchemaMetadata {
        SchemaMetadata(
            tags: tags?.mapValues { Array(Set($0)).sorted() },
            properties: properties,
            sensitive: sensitive.map { Array(Set($0)).sorted() }
        )
    }
}

/// One rule of a data contract: a condition or transform that clients run when they write or read
/// (domain and encoding rules) or when they move data between versions (migration rules). The
/// registry stores rules; clients execute them.
public struct SchemaRule: Codable, Sendable, Hashable {
    /// The rule's name, unique within its rule set.
    public var name: String
    /// What it is for, for people.
    public var doc: String?
    /// `CONDITION` (checks, fails the message) or `TRANSFORM` (changes it); required (a rule set
    /// whose rule lacks it is refused by ``SchemaRuleSet/validate()``).
    public var kind: String?
    /// When it runs: `UPGRADE`, `DOWNGRADE`, `UPDOWN` (migration rules); `WRITE`, `READ`, `WRITEREAD`;
    /// required like ``kind``.
    public var mode: String?
    /// The executor that runs it (`CEL`, `CEL_FIELD`, `JSONATA`, `ENCRYPT`, ...).
    public var type: String?
    /// The schema tags whose fields it applies to.
    public var tags: [String]?
    /// Parameters for the executor.
    public var params: [String: String]?
    /// The rule's expression.
    public var expr: String?
    /// What to do when it succeeds (an action name, or two joined by a comma for write and read).
    public var onSuccess: String?
    /// What to do when it fails (`ERROR`, `NONE`, `DLQ`, ...).
    public var onFailure: String?
    /// Whether clients skip it.
    public var disabled: Bool?

    /// Creates a rule.
    public init(
        name: String,
        doc: String? = nil,
        kind: String,
        mode: String,
        type: String? = nil,
        tags: [String]? = nil,
        params: [String: String]? = nil,
        expr: String? = nil,
        onSuccess: String? = nil,
        onFailure: String? = nil,
        disabled: Bool? = nil
    ) {
        self.name = name
        self.doc = doc
        self.kind = kind
        self.mode = mode
        self.type = type
        self.tags = tags
        self.params = params
        self.expr = expr
        self.onSuccess = onSuccess
        self.onFailure = onFailure
        self.disabled = disabled
    }
}

/// A data contract's rules: migration rules between versions, domain rules on values, encoding rules
/// on the serialized bytes.
///
/// Like ``SchemaMetadata``, a rule set takes part in a schema's identity and is inherited from the
/// subject's latest version by a registration that carries none.
public struct SchemaRuleSet: Codable, Sendable, Hashable {
    /// Rules between versions (`UPGRADE`, `DOWNGRADE`, `UPDOWN`).
    public var migrationRules: [SchemaRule]?
    /// Rules on message values (`WRITE`, `READ`, `WRITEREAD`).
    public var domainRules: [SchemaRule]?
    /// Rules on serialized payloads (`WRITE`, `READ`, `WRITEREAD`).
    public var encodingRules: [SchemaRule]?

    /// Creates a rule set.
    public init(
        migrationRules: [SchemaRule]? = nil,
        domainRules: [SchemaRule]? = nil,
        encodingRules: [SchemaRule]? = nil
    ) {
        self.migrationRules = migrationRules
        self.domainRules = domainRules
        self.encodingRules = encodingRules
    }

    /// Checks what Confluent's registry checks: every rule named, names unique across the set, a
    /// known kind, and a mode that fits the rule's list.
    ///
    /// - Throws: 42201 (``RegistryError/Code/invalidSchema``) naming the first rule at fault.
    public func validate() throws(RegistryError) {
        var names = Set<String>()
        let lists: [(String, [SchemaRule]?, Set<String>)] = [
            ("migrationRules", migrationRules, ["UPGRADE", "DOWNGRADE", "UPDOWN"]),
            ("domainRules", domainRules, ["WRITE", "READ", "WRITEREAD"]),
            ("encodingRules", encodingRules, ["WRITE", "READ", "WRITEREAD"]),
        ]
        for (list, rules, modes) in lists {
            for rule in rules ?? [] {
                guard !rule.name.isEmpty else {
                    throw RegistryError(.invalidSchema, "Invalid rule set: a rule in \(list) has no name")
                }
                guard names.insert(rule.name).inserted else {
                    throw RegistryError(.invalidSchema, "Invalid rule set: more than one rule is named '\(rule.name)'")
                }
                guard let kind = rule.kind, ["CONDITION", "TRANSFORM"].contains(kind) else {
                    throw RegistryError(
                        .invalidSchema,
                        "Invalid rule set: rule '\(rule.name)' has kind '\(rule.kind ?? "")' (CONDITION or TRANSFORM)"
                    )
                }
                guard let mode = rule.mode, modes.contains(mode) else {
                    throw RegistryError(
                        .invalidSchema,
                        """
                        Invalid rule set: rule '\(rule.name)' in \(list) has mode \
                        '\(rule.mode ?? "")' (\(modes.sorted().joined(separator: ", ")))
                        """
                    )
                }
                guard let type = rule.type, !type.isEmpty else {
                    throw RegistryError(.invalidSchema, "Invalid rule set: rule '\(rule.name)' names no type")
                }
            }
        }
    }

    /// The same rule set with each rule's tags sorted and without repeats (a set to Confluent).
    public var canonical: SchemaRuleSet {
        func canonical(_ rules: [SchemaRule]?) -> [SchemaRule]? {
            rules?.map { rule in
                var rule = rule
                rule.tags = rule.tags.map { Array(Set($0)).sorted() }
                return rule
            }
        }
        return SchemaRuleSet(
            migrationRules: canonical(migrationRules),
            domainRules: canonical(domainRules),
            encodingRules: canonical(encodingRules)
        )
    }
}

/// The JSON text a data-contract part is stored as: canonical (sorted keys and sets), so equal parts
/// store equal text.
public enum DataContractJSON {
    /// The canonical JSON of `value`, or nil for nil.
    public static func encode<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The part stored as `json`, or nil for nil (or for text that is not one, which a store never holds).
    public static func decode<T: Decodable>(_ type: T.Type, from json: String?) -> T? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}
