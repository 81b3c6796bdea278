import FerryCodec

/// Field-name case conversions protoc applies.
enum JSONName {
    /// The default JSON name of a field (one definition, shared with the runtime's JSON format).
    static func from(_ name: String) -> String { ProtoNaming.jsonName(name) }

    /// CamelCase as protoc names map entries (`upperFirst`) or lower camel case.
    static func camelCase(_ name: String, upperFirst: Bool) -> String {
        var result: [UInt8] = []
        var upperNext = upperFirst
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                upperNext = true
            } else if upperNext {
                result.append(EnumNaming.upper(byte))
                upperNext = false
            } else {
                result.append(byte)
            }
        }
        if !upperFirst, let first = result.first { result[0] = EnumNaming.lower(first) }
        return String(decoding: result, as: UTF8.self)
    }
}
