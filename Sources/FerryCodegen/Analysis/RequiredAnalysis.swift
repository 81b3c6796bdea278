import FerryCodec

/// Decides which messages need a generated `isInitialized`: those from which a message with a
/// `required` field can be reached through message fields (singular, repeated, map values,
/// oneof cases), the message itself included.
struct RequiredAnalysis {
    private var memo: [String: Bool] = [:]
    private let symbols: SymbolTable

    init(symbols: SymbolTable) { self.symbols = symbols }

    /// Whether the message with this full name (leading dot) can be uninitialized.
    mutating func needsCheck(_ typeName: String) -> Bool {
        if let known = memo[typeName] { return known }
        var seen: Set<String> = [typeName]
        var stack = [typeName]
        var result = false
        while let current = stack.popLast(), !result {
            guard let symbol = symbols.types[current], let message = symbol.message else { continue }
            for field in message.field {
                if symbol.features.merged(field.options?.features).isRequired(field) {
                    result = true
                    break
                }
                guard field.type == .message || field.type == .group, let target = field.typeName else { continue }
                if seen.insert(target).inserted { stack.append(target) }
            }
        }
        memo[typeName] = result
        return result
    }
}
