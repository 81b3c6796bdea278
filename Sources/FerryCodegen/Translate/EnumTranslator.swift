import FerryCodec

/// Translates an enum.
///
/// Open enums (proto3) get an `unrecognized(Int32)` case so that numbers from newer schemas
/// survive a round trip; closed enums (proto2) are `Int32`-backed and the decoder moves unknown
/// numbers to the message's unknown fields. Aliases (`allow_alias`) become `static let`s that
/// name the first case with the same number.
struct EnumTranslator {
    let context: FileContext

    struct Case {
        var name: String
        var number: Int32
        var index: Int
    }

    /// The cases (first value per number) and aliases of an enum, with collision-free names.
    static func cases(of e: Google_Protobuf_EnumDescriptorProto, open: Bool) -> (cases: [Case], aliases: [Case]) {
        var used: Set<String> = []
        var numbers: Set<Int32> = []
        var cases: [Case] = []
        var aliases: [Case] = []
        for (i, value) in e.value.enumerated() {
            var name = NameFormatting.sanitized(
                NameFormatting.enumCaseName(value: value.name ?? "", enumName: e.name ?? "")
            )
            if SwiftKeywords.enumMembers.contains(name) || (open && SwiftKeywords.openEnumMembers.contains(name)) {
                name += "_"
            }
            while used.contains(name) { name += "_" }
            used.insert(name)
            let number = value.number ?? 0
            let item = Case(name: name, number: number, index: i)
            if numbers.insert(number).inserted { cases.append(item) } else { aliases.append(item) }
        }
        return (cases, aliases)
    }

    func translate(
        _ e: Google_Protobuf_EnumDescriptorProto,
        symbol: TypeSymbol,
        path: [Int]
    ) throws(GeneratorError) -> SwiftNode {
        let open = !symbol.isClosedEnum
        let (cases, aliases) = Self.cases(of: e, open: open)
        guard let first = cases.first else { throw GeneratorError("enum \(symbol.fullName) has no values") }
        let access = context.access
        let localName = symbol.swiftName.split(separator: ".").last.map(String.init) ?? symbol.swiftName
        var body: [SwiftNode] = []
        for c in cases {
            body.append(context.comment(path + [2, c.index]))
            body.append(
                .line(
                    open
                        ? "case \(NameFormatting.escaped(c.name))  // = \(c.number)"
                        : "case \(NameFormatting.escaped(c.name)) = \(c.number)"
                )
            )
        }
        if open { body.append(.line("case unrecognized(Int32)")) }
        if !aliases.isEmpty {
            body.append(.blank)
            for alias in aliases {
                body.append(context.comment(path + [2, alias.index]))
                let target = cases.first { $0.number == alias.number }?.name ?? first.name
                body.append(
                    .line(
                        """
                        \(access)static let \(NameFormatting.escaped(alias.name)) = \
                        \(localName).\(NameFormatting.escaped(target))
                        """
                    )
                )
            }
        }
        body.append(.blank)
        body.append(
            .line(
                """
                \(access)static var descriptor: FerryCodec.Google_Protobuf_EnumDescriptorProto \
                { \(descriptorExpression(symbol)) }
                """
            )
        )
        body.append(.line("\(access)init() { self = .\(NameFormatting.escaped(first.name)) }"))
        if open {
            body.append(.blank)
            var inits: [SwiftNode] = cases.map {
                .line("case \($0.number): self = .\(NameFormatting.escaped($0.name))")
            }
            inits.append(.line("default: self = .unrecognized(rawValue)"))
            body.append(.block("\(access)init(rawValue: Int32)", [.block("switch rawValue", inits)]))
            body.append(.blank)
            var raws: [SwiftNode] = cases.map { .line("case .\(NameFormatting.escaped($0.name)): \($0.number)") }
            raws.append(.line("case .unrecognized(let number): number"))
            body.append(.block("\(access)var rawValue: Int32", [.block("switch self", raws)]))
        }
        let conformance = open ? "FerryCodec.DescribedEnum" : "Int32, FerryCodec.DescribedEnum"
        return .group([
            context.comment(path),
            .block("\(access)enum \(localName): \(conformance)", body),
        ])
    }

    /// Top-level enums have a one-element index path; nested ones end with their index in the
    /// innermost message's `enum_type`.
    private func descriptorExpression(_ symbol: TypeSymbol) -> String {
        let path = symbol.indexPath
        let messagePath = path.dropLast().map(String.init).joined(separator: ", ")
        return
            """
            FerryCodec.EmbeddedDescriptor.enumType(\(context.namespace).descriptor, [\(messagePath)], \
            \(path.last ?? 0))
            """
    }
}
