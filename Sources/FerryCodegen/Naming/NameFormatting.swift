import FerryCodec

/// Turns protobuf identifiers into Swift identifiers.
///
/// The rules are fixed so that names are predictable from the .proto alone:
/// - type names keep their spelling; top-level types get their package as a prefix
///   (`acme.v1_beta.User` → `Acme_V1Beta_User`);
/// - field and oneof names become lowerCamelCase (`price_cents` → `priceCents`);
/// - enum value names lose the enum's UPPER_SNAKE name as a prefix and become lowerCamelCase
///   (`ORDER_STATUS_PAID` in `OrderStatus` → `paid`);
/// - Swift keywords are escaped with backticks; names colliding with members generated code
///   already has get a trailing underscore (`unknownFields` → `unknownFields_`).
public enum NameFormatting {
    /// `price_cents` → `priceCents`, `FIELD_NAME11` → `fieldName11`, `_x` → `x`.
    public static func lowerCamel(_ name: String) -> String {
        let words = splitWords(name)
        guard let first = words.first else { return "_" }
        var out = lowercasedLead(first)
        for word in words.dropFirst() { out += capitalize(word) }
        return out
    }

    /// `price_cents` → `PriceCents`.
    public static func upperCamel(_ name: String) -> String {
        let words = splitWords(name)
        guard !words.isEmpty else { return "_" }
        return words.map(capitalize).joined()
    }

    /// `OrderStatus` → `ORDER_STATUS`, `JSType` → `JS_TYPE`.
    public static func upperSnake(_ name: String) -> String {
        var out = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            if c.isUppercase, i > 0 {
                let previous = chars[i - 1]
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { out += "_" }
            }
            out += c.uppercased()
        }
        return out
    }

    /// What goes before a file's top-level type names.
    public enum TypePrefix: Sendable, Hashable {
        /// The package in UpperCamel parts joined by `_`, then `_` (`acme.v1` → `Acme_V1_User`).
        case package(String)
        /// The file's `option swift_prefix`, used as written with nothing between (`AV1` → `AV1User`).
        case swiftPrefix(String)
    }

    /// The prefix of `file`'s top-level types: its `swift_prefix` option when set, else its package.
    static func typePrefix(_ file: Google_Protobuf_FileDescriptorProto) -> TypePrefix {
        if let swiftPrefix = file.options?.swiftPrefix { return .swiftPrefix(swiftPrefix) }
        return .package(packagePrefix(file.package ?? ""))
    }

    /// Turns a dotted package into its Swift type-name prefix: each part in UpperCamel, joined
    /// by `_` (`protobuf_unittest` → `ProtobufUnittest`, `acme.v1` → `Acme_V1`); empty when the
    /// file has no package.
    public static func packagePrefix(_ package: String) -> String {
        guard !package.isEmpty else { return "" }
        return package.split(separator: ".").map { upperCamel(String($0)) }.joined(separator: "_")
    }

    /// The Swift case name of an enum value: the enum's UPPER_SNAKE prefix is dropped when what
    /// remains is still a valid identifier.
    public static func enumCaseName(value: String, enumName: String) -> String {
        let prefix = upperSnake(enumName) + "_"
        var name = value
        if value.uppercased().hasPrefix(prefix) {
            let rest = String(value.dropFirst(prefix.count))
            if let first = rest.first, !first.isNumber, rest.contains(where: { $0.isLetter }) { name = rest }
        }
        return lowerCamel(name.lowercased())
    }

    /// Wraps a Swift keyword in backticks.
    public static func escaped(_ identifier: String) -> String {
        SwiftKeywords.reserved.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A type name that does not collide with the names generated code uses.
    public static func typeName(_ protoName: String, isEnum: Bool) -> String {
        var name = sanitized(protoName)
        if SwiftKeywords.reservedTypeNames.contains(name) { name += isEnum ? "Enum" : "Message" }
        return name
    }

    /// A property name (unescaped): lowerCamelCase, renamed if it collides with a message member.
    public static func propertyName(_ protoName: String) -> String {
        var name = sanitized(lowerCamel(protoName))
        if SwiftKeywords.messageMembers.contains(name) { name += "_" }
        return name
    }

    // MARK: - Helpers

    static func splitWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for c in name {
            if c == "_" {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if let p = previous, p.isNumber, c.isLetter, !current.isEmpty {
                // A letter after digits starts a word, as protoc's camel-casing does (`field0name5` → `field0Name5`).
                words.append(current)
                current = String(c)
            } else {
                current.append(c)
            }
            previous = c
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Lowercases the leading run of capitals, keeping the capital that starts the next word:
    /// `FieldName` → `fieldName`, `URLPath` → `urlPath`, `FIELD` → `field`.
    static func lowercasedLead(_ word: String) -> String {
        let chars = Array(word)
        var run = 0
        while run < chars.count, chars[run].isUppercase { run += 1 }
        if run > 1, run < chars.count, chars[run].isLowercase { run -= 1 }
        return chars[..<run].map { $0.lowercased() }.joined() + String(chars[run...])
    }

    static func capitalize(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }

    /// Replaces characters Swift identifiers cannot hold (protobuf names are ASCII letters,
    /// digits and underscores, so this only guards a leading digit).
    static func sanitized(_ name: String) -> String {
        guard let first = name.first else { return "_" }
        return first.isNumber ? "_" + name : name
    }
}
