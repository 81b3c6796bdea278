import FerryCodec

/// Words that cannot appear bare as Swift identifiers in the positions generated code uses them
/// (properties, enum cases, parameters), and type names that generated code relies on.
enum SwiftKeywords {
    /// Reserved words of the Swift grammar, plus contextual words that confuse declarations
    /// (`optional`, `required`) when used as case or property names. Escaped with backticks.
    static let reserved: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self",
        "super", "throws", "true", "try", "package", "required", "optional", "consume", "copy", "discard",
        "each", "borrowing", "consuming", "some", "any", "async", "convenience", "dynamic", "final", "indirect",
        "lazy", "mutating", "nonmutating", "override", "weak", "unowned", "Protocol", "Type",
    ]

    /// Type names that a generated type must not take, because generated code (or the Swift
    /// standard library it uses unqualified) refers to them: a nested message called `String`
    /// would otherwise change the meaning of every `String` below it.
    static let reservedTypeNames: Set<String> = [
        "Type", "Protocol", "Self", "Any", "AnyObject", "String", "Int", "Int8", "Int16", "Int32", "Int64",
        "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Float", "Double", "Bool", "Array", "Dictionary",
        "Optional", "Sendable", "Hashable", "Equatable", "Swift", "FerryCodec", "Error", "Never", "Void",
        "Character", "Set", "Result", "Hasher", "RawRepresentable",
    ]

    /// Instance members that every generated message or enum already has (from `Message`,
    /// `Hashable` or `RawRepresentable`); a field or case with such a name is renamed.
    static let messageMembers: Set<String> = [
        "unknownFields", "isInitialized", "serializedBytes", "serializedSize", "encode", "encodeFields", "decode",
        "merge",
        "hashValue", "hash", "debugDescription", "description", "init", "self", "Self", "Type", "Protocol", "super",
    ]

    /// Members of every generated enum besides its cases.
    static let enumMembers: Set<String> = ["rawValue", "hashValue", "hash", "descriptor", "init", "self", "Type"]
    /// Further members of generated open enums.
    static let openEnumMembers: Set<String> = ["unrecognized"]
}
