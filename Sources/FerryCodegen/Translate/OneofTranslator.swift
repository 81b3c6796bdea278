import FerryCodec

/// Translates the (non-synthetic) oneofs of a message into nested enums held by one Optional
/// property each: `var payment: Payment?` with `enum Payment { case card(Card) ... }`.
struct OneofTranslator {
    let context: FileContext
    let message: Google_Protobuf_DescriptorProto
    let symbol: TypeSymbol
    let fields: [FieldModel]

    /// The property name of oneof `index`.
    func propertyName(_ index: Int) -> String {
        let proto = message.oneofDecl[index].name ?? "oneof\(index)"
        var name = NameFormatting.propertyName(proto)
        // A oneof's name may camel-case to the name of one of the message's fields.
        while fields.contains(where: { $0.oneofIndex == nil && $0.name == name }) { name += "_" }
        return NameFormatting.escaped(name)
    }

    /// The nested enum's name; suffixed when it would take a nested type's or a reserved name.
    func typeName(_ index: Int) -> String {
        var name = NameFormatting.typeName(
            NameFormatting.upperCamel(message.oneofDecl[index].name ?? "Oneof\(index)"),
            isEnum: true
        )
        let nestedNames = Set(
            message.nestedType.map { NameFormatting.typeName($0.name ?? "", isEnum: false) }
                + message.enumType.map { NameFormatting.typeName($0.name ?? "", isEnum: true) }
        )
        while nestedNames.contains(name) { name += "Oneof" }
        return name
    }

    func property(_ index: Int) -> SwiftNode {
        .group([
            context.comment(pathOfMessage + [8, index]),
            .line("\(context.access)var \(propertyName(index)): \(typeName(index))?"),
        ])
    }

    /// The message's own source path, for comments of its oneofs.
    var pathOfMessage: [Int] {
        var path = [4, symbol.indexPath[0]]
        for i in symbol.indexPath.dropFirst() { path += [3, i] }
        return path
    }

    func declaration(_ index: Int, path: [Int]) throws(GeneratorError) -> SwiftNode {
        var cases: [SwiftNode] = []
        for field in fields where field.oneofIndex == index {
            cases.append(context.comment(path + [2, field.index]))
            cases.append(.line("\(field.boxed ? "indirect " : "")case \(field.escapedName)(\(field.value.swiftType))"))
        }
        return .block("\(context.access)enum \(typeName(index)): Sendable, Hashable", cases)
    }
}
