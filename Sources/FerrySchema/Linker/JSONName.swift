/// Field-name case conversions protoc applies.
enum JSONName {
    /// The default JSON name of a field: underscores removed, each letter after one upper-cased.
    static func from(_ name: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var upperNext = false
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
        return String(decoding: result, as: UTF8.self)
    }

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
