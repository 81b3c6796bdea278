/// Generates random but valid `.proto` files for differential tests against protoc: unique
/// names, increasing field numbers, types that resolve, options protoc knows.
struct ProtoGenerator {
    var random: SplitMix64
    let proto3: Bool
    private var counter = 0
    private var messageNames: [String] = []
    private var enumNames: [String] = []

    init(seed: UInt64) {
        random = SplitMix64(state: seed)
        proto3 = seed % 2 == 0
    }

    private mutating func next() -> Int {
        counter += 1
        return counter
    }

    private mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &random) < percent }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }

    private mutating func comment(_ indent: String) -> String {
        guard chance(30) else { return "" }
        return pick([
            "\(indent)// c\(next())\n", "\(indent)/* b\(next()) */\n", "\n\(indent)// detached \(next())\n\n",
            "\(indent)/**\n\(indent) * doc\n\(indent) */\n",
        ])
    }

    private mutating func trailing() -> String { chance(20) ? " // t\(next())" : "" }

    static let scalars = [
        "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string", "bytes", "uint32",
        "sfixed32", "sfixed64", "sint32", "sint64",
    ]

    private mutating func defaultValue(for type: String) -> String? {
        switch type {
        case "double", "float": pick(["1.5", "-2", "inf", "-inf", "nan", "1e10", "0x10", ".25"])
        case "int32", "sint32", "sfixed32": pick(["-2147483648", "2147483647", "0x7f", "017", "0"])
        case "int64", "sint64", "sfixed64": pick(["-9223372036854775808", "42"])
        case "uint32", "fixed32": pick(["4294967295", "0"])
        case "uint64", "fixed64": pick(["18446744073709551615", "7"])
        case "bool": pick(["true", "false"])
        case "string": pick(["\"hello\"", "'it''s'", "\"\\n\\t\\\"\"", "\"\\u00e9\""])
        case "bytes": pick(["\"\\000\\001\\xff\"", "'abc'", "\"\\\\\""])
        default: nil
        }
    }

    private mutating func fieldType(allowMessages: Bool) -> String {
        if allowMessages, !messageNames.isEmpty, chance(30) { return pick(messageNames) }
        if !enumNames.isEmpty, chance(15) { return pick(enumNames) }
        return pick(Self.scalars)
    }

    private mutating func field(number: inout Int, indent: String, inOneof: Bool) -> String {
        number += 1
        let type = fieldType(allowMessages: true)
        var label = ""
        if !inOneof {
            label = proto3 ? pick(["", "", "optional ", "repeated "]) : pick(["optional ", "required ", "repeated "])
        }
        var options: [String] = []
        if !proto3, label != "repeated ", Self.scalars.contains(type), type != "bytes" || true, chance(40),
            let value = defaultValue(for: type)
        {
            options.append("default = \(value)")
        }
        if chance(15) { options.append("json_name = \"j\(next())\"") }
        if chance(15) { options.append("deprecated = \(pick(["true", "false"]))") }
        if label == "repeated ", Self.scalars.contains(type), type != "string", type != "bytes", chance(30) {
            options.append("packed = true")
        }
        let optionText = options.isEmpty ? "" : " [\(options.joined(separator: ", "))]"
        return "\(comment(indent))\(indent)\(label)\(type) f\(next()) = \(number)\(optionText);\(trailing())\n"
    }

    private mutating func enumDecl(indent: String, scope: String) -> String {
        let name = "E\(next())"
        enumNames.append(scope + name)
        var text = "\(comment(indent))\(indent)enum \(name) {\(trailing())\n"
        let alias = chance(20)
        if alias { text += "\(indent)  option allow_alias = true;\n" }
        for value in 0..<Int.random(in: 1...4, using: &random) {
            let options = chance(20) ? " [deprecated = true]" : ""
            text += "\(comment(indent + "  "))\(indent)  V\(next()) = \(value)\(options);\(trailing())\n"
        }
        if alias { text += "\(indent)  A\(next()) = 0;\n" }
        if chance(30) { text += "\(indent)  reserved 100 to 110, 200, 1000 to max;\n" }
        if chance(30) { text += "\(indent)  reserved \"R\(next())\";\n" }
        return text + "\(indent)}\n"
    }

    private mutating func message(indent: String, depth: Int, scope: String) -> String {
        let name = "M\(next())"
        let fullName = scope + name
        var text = "\(comment(indent))\(indent)message \(name) {\(trailing())\n"
        var number = 0
        let inner = indent + "  "
        var used = Set<Int>()
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            var choice = Int.random(in: 0..<10, using: &random)
            if choice >= 5 && choice <= 7 {
                if used.contains(choice) { choice = 9 } else { used.insert(choice) }
            }
            switch choice {
            case 0 where depth < 3:
                text += message(indent: inner, depth: depth + 1, scope: fullName + ".")
            case 1:
                text += enumDecl(indent: inner, scope: fullName + ".")
            case 2:
                text += "\(comment(inner))\(inner)oneof o\(next()) {\(trailing())\n"
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    text += field(number: &number, indent: inner + "  ", inOneof: true)
                }
                text += "\(inner)}\n"
            case 3:
                number += 1
                let key = pick(["int32", "int64", "uint32", "sint64", "fixed32", "sfixed64", "bool", "string"])
                text +=
                    """
                    \(comment(inner))\(inner)map<\(key), \
                    \(fieldType(allowMessages: true))> m\(next()) = \
                    \(number);\(trailing())\n
                    """
            case 4 where !proto3:
                number += 1
                text +=
                    """
                    \(comment(inner))\(inner)\(pick(["optional", "repeated"])) group \
                    G\(next()) = \(number) {\(trailing())\n
                    """
                var groupNumber = 0
                text += field(number: &groupNumber, indent: inner + "  ", inOneof: false)
                text += "\(inner)}\n"
            case 5:
                text += "\(inner)reserved \(number + 1000), \(number + 1010) to \(number + 1020);\n"
                text += "\(inner)reserved \"r\(next())\", 'r\(next())';\n"
            case 6 where !proto3:
                text += "\(inner)extensions \(5000 + number) to \(5100 + number), \(9000 + number);\n"
            case 7:
                text += "\(inner)option deprecated = \(pick(["true", "false"]));\n"
            default:
                text += field(number: &number, indent: inner, inOneof: false)
            }
        }
        messageNames.append(fullName)
        return text + "\(indent)}\n"
    }

    mutating func file() -> String {
        var text = "\(comment(""))syntax = \"\(proto3 ? "proto3" : "proto2")\";\(trailing())\n"
        if chance(70) { text += "\(comment(""))package p\(next()).q;\n" }
        if chance(50) { text += "option java_package = \"com.example\";\noption optimize_for = SPEED;\n" }
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            text += chance(25) ? enumDecl(indent: "", scope: "") : message(indent: "", depth: 0, scope: "")
        }
        if !messageNames.isEmpty, chance(60) {
            text += "\(comment(""))service S\(next()) {\n"
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let input = pick(messageNames)
                let output = pick(messageNames)
                let body = chance(30) ? " { option deprecated = true; }" : ";"
                text +=
                    """
                    \(comment("  "))  rpc R\(next())(\(pick(["", "stream "]))\(input)) returns \
                    (\(pick(["", "stream "]))\(output))\(body)\(trailing())\n
                    """
            }
            text += "}\n"
        }
        return text
    }
}
