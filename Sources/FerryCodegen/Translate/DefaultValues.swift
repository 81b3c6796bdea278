import FerryCodec

/// Swift literals for proto2 `[default = …]` values, from the text protoc stores in
/// `FieldDescriptorProto.default_value`.
enum DefaultValues {
    static func literal(for field: FieldModel, context: String) throws(GeneratorError) -> String? {
        guard let text = field.proto.defaultValue else { return nil }
        switch field.value {
        case .scalar(let scalar):
            switch scalar {
            case .string: return stringLiteral(text)
            case .bytes:
                let bytes = try unescapeC(text, context: context)
                return "["
                    + bytes.map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(2) }.joined(separator: ", ")
                    + "]"
            case .bool:
                guard text == "true" || text == "false" else {
                    throw GeneratorError("\(context): bool default '\(text)'")
                }
                return text
            case .float, .double:
                let type = scalar.swiftType
                switch text {
                case "inf": return "\(type).infinity"
                case "-inf": return "-\(type).infinity"
                case "nan": return "\(type).nan"
                default:
                    guard Double(text) != nil else {
                        throw GeneratorError("\(context): floating-point default '\(text)'")
                    }
                    return text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
                }
            default:
                guard Int128(text) != nil else { throw GeneratorError("\(context): integer default '\(text)'") }
                return text
            }
        case .enumeration(let symbol, _):
            guard case .enumeration(let e) = symbol.kind else { return nil }
            let (cases, aliases) = EnumTranslator.cases(of: e, open: !symbol.isClosedEnum)
            let all = cases + aliases
            guard let index = e.value.firstIndex(where: { $0.name == text }),
                let c = all.first(where: { $0.index == index })
            else {
                throw GeneratorError("\(context): default '\(text)' is not a value of \(symbol.fullName)")
            }
            return ".\(NameFormatting.escaped(c.name))"
        case .message, .group:
            throw GeneratorError("\(context): message fields cannot have defaults")
        }
    }

    /// A Swift string literal holding `text` exactly.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Undoes protoc's C escaping of bytes defaults (`\n`, `\"`, `\\`, `\ooo` octal, `\xhh`).
    static func unescapeC(_ text: String, context: String) throws(GeneratorError) -> [UInt8] {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        func octal(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x37 }
        func hexValue(_ c: UInt8) -> UInt8? { ASCII.hexValue(c).map(UInt8.init) }
        while i < input.count {
            let c = input[i]
            i += 1
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            guard i < input.count else { throw GeneratorError("\(context): bytes default ends in a backslash") }
            let e = input[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "x"):
                var value: UInt32 = 0
                var digits = 0
                while i < input.count, digits < 2, let h = hexValue(input[i]) {
                    value = value * 16 + UInt32(h)
                    i += 1
                    digits += 1
                }
                guard digits > 0 else { throw GeneratorError("\(context): bad \\x escape in bytes default") }
                out.append(UInt8(value))
            default:
                if octal(e) {
                    var value = UInt32(e - 0x30)
                    var digits = 1
                    while i < input.count, digits < 3, octal(input[i]) {
                        value = value * 8 + UInt32(input[i] - 0x30)
                        i += 1
                        digits += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: value))
                } else {
                    out.append(e)  // \\ \' \" \?
                }
            }
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
